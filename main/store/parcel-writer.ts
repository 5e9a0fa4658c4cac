// The one module that writes the parcels table (and the id allocator it draws
// from). Services call its named operations; test/unit/table-owners.test.ts
// fails when an INSERT, UPDATE or DELETE on parcels appears anywhere else.
import type { Carrier, ItemCategory, ParcelStatus } from '../../shared/parcel';
import type { Db } from './database';
import { blobUpdateSql, insertRowSql, type BulkRows } from './engine/bulk-rows';
import type { Queryable, SqlValue, Tx } from './engine/store';
import type { RowMacKey } from '../crypto/keyring';
import { clearRowMacBackfill, ROW_MAC_ARGS, rowMacBackfillPending } from './parcel-integrity';
import { ROW_MAC_COLUMNS, rowIntact, rowMac, toRowCheck, type RowWithMac } from './row-mac';
import type { SealedFields } from './parcels';

/** Reserves `count` consecutive parcel ids; gaps left by a failed import are harmless. */
export async function reserveParcelIds(q: Queryable, count: number): Promise<number> {
  return Number(await q.value("UPDATE id_allocator SET next_id = next_id + ? WHERE name = 'parcels' RETURNING next_id - ? AS first", count, count));
}

export interface NewParcel {
  id: number;
  carrier: Carrier;
  waybillNo: string;
  status: ParcelStatus;
  itemCategory: ItemCategory;
  weightG: number | null;
  source: 'manifest' | 'manual';
  importId: number | null;
  createdAt: string;
  sealed: SealedFields;
}

export interface Arrival {
  id: number;
  shelf: number;
  layer: number;
  code: string;
  at: string;
  by: number;
}

/** New rows: their columns in the order of addValues; a carrier's waybill already stored is skipped. */
const NEW_ROWS: BulkRows = {
  table: 'parcels',
  columns: [
    'id', 'carrier', 'waybill_no', 'status', 'item_category', 'weight_g', 'name_ct', 'phone_ct', 'address_ct',
    'masked_ct', 'phone_bidx', 'tail_bidx', 'row_mac', 'source', 'import_id', 'created_at',
  ],
  skipConflictsOn: ['carrier', 'waybill_no'],
};

const SQL = {
  // Positional parameters: binding by name costs a property lookup per column per row.
  add: insertRowSql(NEW_ROWS),
  dropPending: "DELETE FROM parcels WHERE carrier = ? AND waybill_no = ? AND import_id IN (SELECT id FROM imports WHERE state = 'pending')",
  arrive: `UPDATE parcels SET status = 'on_shelf', shelf = @shelf, layer = @layer, pickup_code = @code,
                  arrived_at = @at, arrived_by = @by
           WHERE id = @id AND status = 'expected'`,
  move: "UPDATE parcels SET shelf = ?, layer = ?, pickup_code = ? WHERE id = ? AND status = 'on_shelf'",
  handOver: "UPDATE parcels SET status = 'picked_up', picked_up_at = ? WHERE id = ? AND status = 'on_shelf'",
  undoHandover: "UPDATE parcels SET status = 'on_shelf', picked_up_at = NULL, pickup_code = ? WHERE id = ? AND status = 'picked_up'",
  returnBatch: `UPDATE parcels SET status = 'returned', returned_at = ?
                WHERE id IN (SELECT parcel_id FROM return_batch_parcels WHERE batch_id = ? AND scanned_at IS NOT NULL)
                  AND status = 'on_shelf'`,
  erasable: `SELECT id, ${ROW_MAC_COLUMNS} FROM parcels WHERE id = ? AND status <> 'on_shelf' AND erased_at IS NULL`,
  erase: `UPDATE parcels SET name_ct = NULL, phone_ct = NULL, address_ct = NULL, masked_ct = NULL,
            phone_bidx = NULL, tail_bidx = NULL, row_mac = ?, erased_at = ?
          WHERE id = ? AND status <> 'on_shelf' AND erased_at IS NULL`,
};

/** The rows of `n` imports, for the one clean-up at unlock that runs on the embedded connection itself. */
export const deleteImportedSql = (n: number): string => `DELETE FROM parcels WHERE import_id IN (${Array(n).fill('?').join(', ')})`;

/** The values of one new parcel row, in the order of NEW_ROWS.columns. */
const addValues = (p: NewParcel) => {
  const s = p.sealed;
  return [
    p.id, p.carrier, p.waybillNo, p.status, p.itemCategory, p.weightG,
    s.name_ct, s.phone_ct, s.address_ct, s.masked_ct, s.phone_bidx, s.tail_bidx, s.row_mac,
    p.source, p.importId, p.createdAt,
  ];
};

/** Every operation runs on the transaction (or store) it is given. */
export class ParcelWriter {
  /** False when the carrier's waybill is already stored. */
  async add(q: Queryable, p: NewParcel): Promise<boolean> {
    return (await q.run(SQL.add, ...addValues(p))).changes === 1;
  }

  /** Many new rows (a bulk import's slice) on the engine's bulk path; returns how many were stored (a waybill already stored is skipped). */
  async addMany(tx: Tx, parcels: readonly NewParcel[]): Promise<number> {
    return tx.copyRows(NEW_ROWS.table, NEW_ROWS.columns, parcels.map(addValues), NEW_ROWS.skipConflictsOn);
  }

  /** Removes the carrier's waybill if it is only a row of an import still pending. */
  async dropPending(q: Queryable, carrier: Carrier, waybillNo: string): Promise<void> {
    await q.run(SQL.dropPending, carrier, waybillNo);
  }

  /** An expected parcel put on the shelf; false if it was not expected. */
  async arrive(q: Queryable, a: Arrival): Promise<boolean> {
    return (await q.run(SQL.arrive, { ...a })).changes === 1;
  }

  async handOver(q: Queryable, id: number, at: string): Promise<void> {
    await q.run(SQL.handOver, at, id);
  }

  /** Put on another shelf-layer under a code issued there; false if it is not on the shelf. */
  async move(q: Queryable, id: number, shelf: number, layer: number, code: string): Promise<boolean> {
    return (await q.run(SQL.move, shelf, layer, code, id)).changes === 1;
  }

  /** Back on the shelf under `code` after an undone handover. */
  async undoHandover(q: Queryable, id: number, code: string): Promise<void> {
    await q.run(SQL.undoHandover, code, id);
  }

  /** The batch's parcels that were scanned out and are still on the shelf leave with the courier. */
  async returnBatch(q: Queryable, batchId: number, at: string): Promise<void> {
    await q.run(SQL.returnBatch, at, batchId);
  }

  /** The rows of the given imports, removed; returns how many. */
  async deleteImported(q: Queryable, importIds: number[]): Promise<number> {
    if (!importIds.length) return 0;
    return (await q.run(deleteImportedSql(importIds.length), ...importIds)).changes;
  }

  /** Personal data erased (never of a parcel on the shelf: the counter still needs its owner's phone); false if nothing to erase. */
  async erase(q: Queryable, key: RowMacKey, id: number, at: string): Promise<boolean> {
    const row = await q.get<RowWithMac>(SQL.erasable, id);
    if (!row) return false;
    // A new MAC only for a row that was intact: a tampered row stays tampered.
    const erased = { ...row, phone_bidx: null, tail_bidx: null, name_ct: null, phone_ct: null, address_ct: null, masked_ct: null };
    const mac = rowIntact(key, toRowCheck(row)) ? rowMac(key, erased) : row.row_mac;
    return (await q.run(SQL.erase, mac, at, id)).changes === 1;
  }
}

/**
 * Key rotation's writes, on either engine: the values and row MACs are
 * computed by main/lifecycle/rotation.ts, in TypeScript, so a server store
 * needs no function of ours.
 */
export const rotatedParcels = {
  /**
   * Rows' sealed values under the new generation, with the row MAC over
   * them, in one statement: each row is its id, its values of `columns` in
   * order, then its MAC.
   */
  async reseal(q: Queryable, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
    if (rows.length) await q.run(blobUpdateSql(q.dialect, 'parcels', [...columns, 'row_mac'], rows.length), ...rows.flat());
  },

  /** The swap: the blind indexes (and MACs) computed under the new key replace the old. */
  async applyRotatedIndexes(q: Queryable): Promise<void> {
    await q.run(
      `UPDATE parcels SET phone_bidx = r.phone_bidx, tail_bidx = r.tail_bidx, row_mac = coalesce(r.row_mac, parcels.row_mac)
       FROM rotation_bidx r WHERE parcels.id = r.parcel_id AND parcels.phone_bidx IS NOT NULL`,
    );
  },
};

/**
 * What only the embedded engine does, on its connection: the one-time
 * backfill at unlock, by the SQLite function `pc_row_mac`
 * (store/parcel-integrity.ts) over the row as stored.
 */
export const sqliteParcelRows = {
  /**
   * Rows stored before row MACs existed get theirs at the first unlock after the
   * migration, in one transaction: trust on first use, as the store is then.
   * Afterwards a row without a MAC fails like any other.
   */
  backfill(db: Db): number {
    if (!rowMacBackfillPending(db)) return 0;
    return db
      .transaction(() => {
        const n = db.prepare(`UPDATE parcels SET row_mac = pc_row_mac(${ROW_MAC_ARGS}) WHERE row_mac IS NULL`).run().changes;
        clearRowMacBackfill(db);
        return n;
      })
      .immediate();
  },
};
