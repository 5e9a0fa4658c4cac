// Parcels a closed stocktake did not find: problem parcels until one is seen
// again (scanned in a later stocktake, or scanned to be moved). Listed while
// still on the shelf by the books; a handover or return ends the question.
import type { Queryable } from '../store/engine/store';

export type ClearedHow = 'stocktake' | 'move';

export interface MissingParcel {
  parcelId: number;
  stocktakeId: number;
  since: string;
}

export const missingParcels = {
  async flag(tx: Queryable, stocktakeId: number, parcelIds: readonly number[], at: string): Promise<void> {
    for (const id of parcelIds) {
      await tx.run(
        `INSERT INTO missing_parcels (parcel_id, stocktake_id, since)
         SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM missing_parcels WHERE parcel_id = ? AND cleared_at IS NULL)`,
        id, stocktakeId, at, id,
      );
    }
  },

  /** True when the parcel was missing and is now cleared. */
  async clear(tx: Queryable, parcelId: number, how: ClearedHow, at: string): Promise<boolean> {
    const r = await tx.run('UPDATE missing_parcels SET cleared_at = ?, cleared_how = ? WHERE parcel_id = ? AND cleared_at IS NULL', at, how, parcelId);
    return r.changes > 0;
  },

  async open(tx: Queryable): Promise<MissingParcel[]> {
    return tx.all<MissingParcel>(
      `SELECT m.parcel_id AS "parcelId", m.stocktake_id AS "stocktakeId", m.since
       FROM missing_parcels m JOIN parcels p ON p.id = m.parcel_id
       WHERE m.cleared_at IS NULL AND p.status = 'on_shelf' ORDER BY m.id`,
    );
  },
};
