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
