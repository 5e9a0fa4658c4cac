// Shelf slots and pickup codes ("3-2-1024": shelf 3, layer 2, number 1024).
//
// Slot choice: the least-occupied configured slot (on the shelf the clerk
// chose, when the clerk picks), never a full one, ties to the lowest shelf
// and layer. Unlike round-robin it follows pickups, so an emptied slot fills
// again first and no slot piles up while others stand empty; on an empty
// station it visits every slot in turn, like round-robin would.
//
// Numbers come from a per-day sequence that restarts at 1 each station-local
// day and wraps after SEQ_MAX; a code still held by a parcel on the shelf is
// skipped. Both methods must run inside the caller's IMMEDIATE transaction:
// it holds the write lock from the first read, so two counters (windows or
// processes) cannot read the same state and issue the same code, and the
// partial UNIQUE index on on-shelf pickup codes backs that up.
import { AppError } from '../../shared/errors';
import type { CounterSettings } from '../../shared/counter';
import type { Queryable } from '../store/engine/store';

export const SEQ_MAX = 9999;

export interface Slot {
  shelf: number;
  layer: number;
}

const SQL = {
  leastOccupied: `SELECT shelf, layer FROM shelf_slots WHERE shelf <= ? AND layer <= ? AND (? = 0 OR occupied < ?) AND (? = 0 OR shelf = ?)
                  ORDER BY occupied, shelf, layer LIMIT 1`,
  nextSeq: `INSERT INTO pickup_code_days (day, last_seq) VALUES (?, 1)
            ON CONFLICT (day) DO UPDATE SET last_seq = pickup_code_days.last_seq % ${SEQ_MAX} + 1 RETURNING last_seq`,
  taken: "SELECT 1 FROM parcels WHERE pickup_code = ? AND status = 'on_shelf'",
};

export class ShelfCodes {
  /** `capacity` 0: no limit; `shelf` 0: any shelf. */
  async chooseSlot(tx: Queryable, settings: Pick<CounterSettings, 'shelves' | 'layers'>, opts: { capacity?: number; shelf?: number } = {}): Promise<Slot> {
    const { capacity = 0, shelf = 0 } = opts;
    if (shelf > settings.shelves) throw new AppError('SHELF_LAYER_UNKNOWN', String(shelf));
    const slot = await tx.get<Slot>(SQL.leastOccupied, settings.shelves, settings.layers, capacity, capacity, shelf, shelf);
    if (!slot) throw new AppError(shelf ? 'SHELF_FULL' : 'SHELVES_FULL', shelf ? String(shelf) : undefined);
    return slot;
  }

  /** `day` is the station-local date the sequence belongs to. */
  async issueCode(tx: Queryable, slot: Slot, day: string): Promise<string> {
    // A slot never holds SEQ_MAX parcels, so a free number turns up long before the sequence comes round.
    for (let i = 0; i < SEQ_MAX; i++) {
      const code = `${slot.shelf}-${slot.layer}-${await tx.value<number>(SQL.nextSeq, day)}`;
      if ((await tx.value(SQL.taken, code)) === undefined) return code;
    }
    throw new AppError('INTERNAL', `no free pickup code in slot ${slot.shelf}-${slot.layer}`);
  }
}
