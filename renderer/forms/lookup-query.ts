// What the clerk typed or scanned → which lookup to run. Order matters: a
// phone written with dashes ("138-0000-1111") must not be taken for a pickup code.
import type { SecondFactor } from '../../shared/counter';
import type { LookupQuery } from '../../shared/ipc/contract';
import { parsePhone } from '../../shared/phone';
import { normaliseWaybill } from '../../shared/waybill';

const PICKUP_CODE = /^[A-Z0-9]{1,4}-\d{1,4}-\d{1,6}$/;
const WAYBILL = /^[A-Z0-9]{4,40}$/;

export function classifyQuery(raw: string): LookupQuery | null {
  const s = raw.trim();
  if (/^\d{4}$/.test(s)) return { by: 'tail', value: s };
  const phone = parsePhone(s);
  if (phone && phone.ext === null && /^1\d{10}$/.test(phone.digits)) return { by: 'phone', value: phone.digits };
  return classifyCode(s);
}

/**
 * A barcode, or something read off one: a pickup code (the label's QR code,
 * or the customer's phone) or a waybill number. Also what proves a customer
 * among several sharing a phone tail.
 */
export function classifyCode(raw: string): SecondFactor | null {
  const upper = raw.trim().toUpperCase();
  if (PICKUP_CODE.test(upper)) return { by: 'code', value: upper };
  // Scanners and people sometimes put spaces inside a long number.
  const waybill = normaliseWaybill(raw).replace(/\s+/g, '');
  return WAYBILL.test(waybill) ? { by: 'waybill', value: waybill } : null;
}
