// What the clerk typed → which lookup to run. Order matters: a phone written
// with dashes ("138-0000-1111") must not be taken for a pickup code.
import type { LookupQuery } from '../shared/ipc/contract';
import { parsePhone } from '../shared/phone';
import { normaliseWaybill } from '../shared/waybill';

const PICKUP_CODE = /^[A-Z0-9]{1,4}-\d{1,4}-\d{1,6}$/;
const WAYBILL = /^[A-Z0-9]{4,40}$/;

export function classifyQuery(raw: string): LookupQuery | null {
  const s = raw.trim();
  if (/^\d{4}$/.test(s)) return { by: 'tail', value: s };
  const phone = parsePhone(s);
  if (phone && phone.ext === null && /^1\d{10}$/.test(phone.digits)) return { by: 'phone', value: phone.digits };
  const upper = s.toUpperCase();
  if (PICKUP_CODE.test(upper)) return { by: 'code', value: upper };
  // Scanners and people sometimes put spaces inside a long number.
  const waybill = normaliseWaybill(s).replace(/\s+/g, '');
  return WAYBILL.test(waybill) ? { by: 'waybill', value: waybill } : null;
}
