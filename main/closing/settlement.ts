// Carrier settlement: the per-parcel fee (派费) is owed on every parcel a
// carrier delivered to the station, so parcels received are the basis;
// handovers are listed beside them for the courier to check against.
import { CARRIERS, type Carrier } from '../../shared/parcel';
import { yuan, type CarrierDay, type FeeTable, type Settlement } from '../../shared/closing';
import { AppError } from '../../shared/errors';

/** At most 100 元 a parcel, to the fen. */
const MAX_FEE_FEN = 10_000;

/** Fees typed in 元 (numbers or "0.45") to the stored table in fen; anything else is refused. */
export function feeTableFromYuan(input: Record<string, unknown>): FeeTable {
  const out: FeeTable = {};
  for (const [carrier, value] of Object.entries(input)) {
    if (!CARRIERS.includes(carrier as Carrier)) throw new AppError('FEE_TABLE_INVALID', carrier.slice(0, 16));
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !/^\d{1,3}(\.\d{1,2})?$/.test(text.trim())) throw new AppError('FEE_TABLE_INVALID', carrier);
    const [whole, cents = ''] = text.trim().split('.');
    const fen = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
    if (fen > MAX_FEE_FEN) throw new AppError('FEE_TABLE_INVALID', carrier);
    out[carrier as Carrier] = fen;
  }
  return out;
}

/** The stored table, read leniently: a damaged value counts as no fee, never as a wrong one. */
export function parseFeeTable(json: string): FeeTable {
  try {
    const raw = JSON.parse(json) as Record<string, unknown>;
    const out: FeeTable = {};
    for (const c of CARRIERS) if (Number.isInteger(raw[c]) && (raw[c] as number) >= 0) out[c] = raw[c] as number;
    return out;
  } catch {
    return {};
  }
}

export function settle(from: string, to: string, counts: readonly CarrierDay[], fees: FeeTable): Settlement {
  let total = 0;
  const lines = counts.map((c) => {
    const fen = fees[c.carrier];
    const amount = fen === undefined ? null : fen * c.received;
    total += amount ?? 0;
    return { carrier: c.carrier, received: c.received, handedOver: c.handedOver, fee: fen === undefined ? null : yuan(fen), amount: amount === null ? null : yuan(amount) };
  });
  return { from, to, lines, total: yuan(total) };
}
