// Waybill numbers as printed in their barcodes: letters and digits only.
import { CARRIERS, type Carrier } from './parcel';

export function normaliseWaybill(raw: string): string {
  return raw.trim().toUpperCase();
}

export const isWellFormedWaybill = (w: string): boolean => /^[A-Z0-9]{8,32}$/.test(w);

const CARRIER_ALIASES: Record<string, Carrier> = {
  顺丰: 'SF', 中通: 'ZTO', 圆通: 'YTO', 申通: 'STO', 韵达: 'YUNDA', 京东: 'JD', 邮政: 'EMS', 极兔: 'JT',
};

/** Carrier code from a manifest cell: the code itself or its Chinese short name. */
export function parseCarrier(raw: string): Carrier | null {
  const s = raw.trim();
  const up = s.toUpperCase();
  if ((CARRIERS as readonly string[]).includes(up)) return up as Carrier;
  for (const [alias, code] of Object.entries(CARRIER_ALIASES)) if (s.startsWith(alias)) return code;
  return null;
}

// Number shapes each carrier prints today, checked against every fixture row.
// The lengths keep them apart: STO's 77… has 13 digits, ZTO's 7… has 14.
const CARRIER_PATTERNS: readonly [RegExp, Carrier][] = [
  [/^SF\d{12,13}$/, 'SF'],
  [/^YT\d{12,13}$/, 'YTO'],
  [/^JD[A-Z]?\d{11,13}$/, 'JD'],
  [/^JT\d{13}$/, 'JT'],
  [/^77\d{11}$/, 'STO'],
  [/^7\d{13}$/, 'ZTO'],
  [/^(?:10|11|98)\d{11}$/, 'EMS'],
  [/^4[36]\d{11}$/, 'YUNDA'],
];

/** The carrier a waybill number's shape gives away, or null when it needs asking. */
export function inferCarrier(waybillNo: string): Carrier | null {
  const w = normaliseWaybill(waybillNo);
  for (const [re, carrier] of CARRIER_PATTERNS) if (re.test(w)) return carrier;
  return null;
}
