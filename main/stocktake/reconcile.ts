// Reconciliation: the parcels the books put on the counted shelf-layers
// against what was scanned there. Pure and linear (two maps), so 20 000
// parcels against 20 000 scans take milliseconds, not a query per parcel.

/** A parcel as the books have it. */
export interface Booked {
  id: number;
  waybillNo: string;
  /** Its shelf-layer ("3-2") while on the shelf, else null. */
  slot: string | null;
  onShelf: boolean;
}

export interface Seen {
  waybillNo: string;
  slot: string;
}

export interface Misplaced {
  waybillNo: string;
  expected: string;
  found: string;
  parcelId: number;
}

export interface Reconciliation {
  /** Parcels the books put on the counted layers. */
  expected: number;
  /** Of those, seen (in place or on another layer). */
  found: number;
  missing: { waybillNo: string; slot: string; parcelId: number }[];
  /** Scanned but not on the shelf by the books: handed over, returned, never arrived, unknown. */
  extra: string[];
  misplaced: Misplaced[];
}

/**
 * `booked`: every on-shelf parcel on the counted layers, by waybill number;
 * `other(waybillNo)`: the books on a scanned waybill not among them (on
 * another layer, off the shelf, or unknown). A waybill scanned twice counts
 * where it was scanned last: the clerk put it back and scanned it again.
 */
export function reconcile(booked: ReadonlyMap<string, Booked>, seen: Iterable<Seen>, other: (waybillNo: string) => Booked | undefined): Reconciliation {
  const last = new Map<string, string>();
  for (const s of seen) last.set(s.waybillNo, s.slot);
  const result: Reconciliation = { expected: booked.size, found: 0, missing: [], extra: [], misplaced: [] };
  for (const [waybillNo, slot] of last) {
    const b = booked.get(waybillNo) ?? other(waybillNo);
    if (!b || !b.onShelf || b.slot === null) {
      result.extra.push(waybillNo);
      continue;
    }
    if (booked.has(waybillNo)) result.found++;
    if (b.slot !== slot) result.misplaced.push({ waybillNo, expected: b.slot, found: slot, parcelId: b.id });
  }
  for (const [waybillNo, b] of booked) if (!last.has(waybillNo)) result.missing.push({ waybillNo, slot: b.slot!, parcelId: b.id });
  return result;
}
