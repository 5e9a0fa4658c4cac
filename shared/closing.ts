// Daily close (日结) and carrier settlement (派费结算): counts per carrier and
// money, never a recipient.
import type { Carrier } from './parcel';

export interface CarrierDay {
  carrier: Carrier;
  received: number;
  handedOver: number;
  returned: number;
  /** On the shelves at the day's end, and of those past the overdue threshold. */
  onShelf: number;
  overdue: number;
}

export interface StocktakeDifferences {
  stocktakeId: number;
  expected: number;
  found: number;
  missing: number;
  misplaced: number;
  extra: number;
}

export interface DailyClose {
  /** Station-local date, YYYY-MM-DD. */
  date: string;
  closedAt: string;
  closedBy: string;
  carriers: CarrierDay[];
  papers: { detached: number; destroyed: number };
  stocktakes: StocktakeDifferences[];
  /** The chain heads the close checkpointed and signed. */
  heads: { log: string; seq: number }[];
}

export interface SettlementLine {
  carrier: Carrier;
  received: number;
  handedOver: number;
  /** 元 per parcel received, two decimals; null when the fee table has none for this carrier. */
  fee: string | null;
  amount: string | null;
}

export interface Settlement {
  from: string;
  to: string;
  lines: SettlementLine[];
  total: string;
}

/** Fee per parcel in fen (分), by carrier: whole numbers, so sums never round. */
export type FeeTable = Partial<Record<Carrier, number>>;

export const yuan = (fen: number): string => `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
