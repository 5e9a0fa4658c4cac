// Stocktake (盘库) as the screens and the CLI see it: waybill numbers and
// shelf-layers ("3-2") only, never a recipient.

export type StocktakeState = 'open' | 'paused' | 'closed';

export interface StocktakeSummary {
  id: number;
  state: StocktakeState;
  startedAt: string;
  /** The shelf-layers counted. */
  layers: string[];
  /** Where the clerk stands: parcels scanned next were found there. */
  at: string | null;
  scans: number;
  closedAt: string | null;
}

export type ScanOutcome = 'in_place' | 'misplaced' | 'extra';

export type StocktakeScanResult =
  | { kind: 'layer'; slot: string }
  | { kind: 'parcel'; waybillNo: string; slot: string; outcome: ScanOutcome; expected: string | null };

export interface StocktakeMisplaced {
  waybillNo: string;
  expected: string;
  found: string;
}

/** The CLI prints exactly these keys. */
export interface StocktakeResult {
  expected: number;
  found: number;
  missing: string[];
  extra: string[];
  misplaced: StocktakeMisplaced[];
}

/** A parcel moved to another shelf-layer (or scanned onto the one it is on: `from` equals `to`). */
export interface ParcelMove {
  parcelId: number;
  waybillNo: string;
  from: string;
  to: string;
  pickupCode: string;
  /** The code changed with the slot: the label on the parcel is wrong until reprinted. */
  relabel: boolean;
}
