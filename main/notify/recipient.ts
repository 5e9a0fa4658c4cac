// Whether the station can text a number at all. A virtual (privacy) number
// from a 隐私面单 has an extension: a text to the base number reaches nobody
// or the wrong person, so such a parcel is left to the carrier's own notice.
// A landline cannot receive a text either.
import { parsePhone } from '../../shared/phone';

export type Reach = { kind: 'sms'; number: string } | { kind: 'carrier'; reason: 'virtual' | 'not-mobile' };

export function reachOf(raw: string): Reach {
  const p = parsePhone(raw);
  if (p?.ext) return { kind: 'carrier', reason: 'virtual' };
  if (!p || !/^1[3-9]\d{9}$/.test(p.digits)) return { kind: 'carrier', reason: 'not-mobile' };
  return { kind: 'sms', number: p.digits };
}
