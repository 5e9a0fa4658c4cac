// The one module that writes the parcels table (and the id allocator it draws
// from). Services call its named operations; test/unit/table-owners.test.ts
// fails when an INSERT, UPDATE or DELETE on parcels appears anywhere else.
import type { Statement } from 'better-sqlite3';
import type { Carrier, ItemCategory, ParcelStatus } from '../../shared/parcel';
import type { Db } from './database';
import { clearRowMacBackfill, ERASED_ROW_MAC, ROW_MAC_ARGS, rowMacBackfillPending } from './parcel-integrity';
import type { SealedFields } from './parcels';

/** Reserves `count` consecutive parcel ids; gaps left by a failed import are harmless. */
export function reserveParcelIds(db: Db, count: number): number {
  const row = db
    .prepare("UPDATE id_allocator SET next_id = next_id + ? WHERE name = 'parcels' RETURNING next_id - ? AS first")
    .get(count, count) as { first: number };
  return row.first;
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

/** Statements are prepared on first use, so a writer costs nothing until it writes. */
export class ParcelWriter {
  private readonly statements = new Map<string, Statement>();
  constructor(private readonly db: Db) {}

  /** False when the carrier's waybill is already stored. */
  add(p: NewParcel): boolean {
    const s = p.sealed;
    // Positional parameters: binding by name costs a property lookup per column per row.
    return (
      this.sql(`
      INSERT INTO parcels (id, carrier, waybill_no, status, item_category, weight_g, name_ct, phone_ct, address_ct,
                           masked_ct, phone_bidx, tail_bidx, row_mac, source, import_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (carrier, waybill_no) DO NOTHING`).run(
        p.id, p.carrier, p.waybillNo, p.status, p.itemCategory, p.weightG,
        s.name_ct, s.phone_ct, s.address_ct, s.masked_ct, s.phone_bidx, s.tail_bidx, s.row_mac,
        p.source, p.importId, p.createdAt,
      ).changes === 1
    );
  }

  /** Removes the carrier's waybill if it is only a row of an import still pending. */
  dropPending(carrier: Carrier, waybillNo: string): void {
    this.sql(
      "DELETE FROM parcels WHERE carrier = ? AND waybill_no = ? AND import_id IN (SELECT id FROM imports WHERE state = 'pending')",
    ).run(carrier, waybillNo);
  }

  /** An expected parcel put on the shelf; false if it was not expected. */
  arrive(a: Arrival): boolean {
    return (
      this.sql(
        `UPDATE parcels SET status = 'on_shelf', shelf = @shelf, layer = @layer, pickup_code = @code,
                arrived_at = @at, arrived_by = @by
         WHERE id = @id AND status = 'expected'`,
      ).run(a).changes === 1
    );
  }

  handOver(id: number, at: string): void {
    this.sql("UPDATE parcels SET status = 'picked_up', picked_up_at = ? WHERE id = ? AND status = 'on_shelf'").run(at, id);
  }

  /** Put on another shelf-layer under a code issued there; false if it is not on the shelf. */
  move(id: number, shelf: number, layer: number, code: string): boolean {
    return (
      this.sql("UPDATE parcels SET shelf = ?, layer = ?, pickup_code = ? WHERE id = ? AND status = 'on_shelf'").run(shelf, layer, code, id).changes === 1
    );
  }

  /** Back on the shelf under `code` after an undone handover. */
  undoHandover(id: number, code: string): void {
    this.sql("UPDATE parcels SET status = 'on_shelf', picked_up_at = NULL, pickup_code = ? WHERE id = ? AND status = 'picked_up'").run(code, id);
  }

  /** The batch's parcels that were scanned out and are still on the shelf leave with the courier. */
  returnBatch(batchId: number, at: string): void {
    this.sql(
      `UPDATE parcels SET status = 'returned', returned_at = ?
       WHERE id IN (SELECT parcel_id FROM return_batch_parcels WHERE batch_id = ? AND scanned_at IS NOT NULL)
         AND status = 'on_shelf'`,
    ).run(at, batchId);
  }

  /** The rows of the given imports, removed; returns how many. */
  deleteImported(importIds: number[]): number {
    return this.sql('DELETE FROM parcels WHERE import_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(importIds)).changes;
  }

  /** Personal data erased (never of a parcel on the shelf: the counter still needs its owner's phone); false if nothing to erase. */
  erase(id: number, at: string): boolean {
    return (
      this.sql(
        `UPDATE parcels SET name_ct = NULL, phone_ct = NULL, address_ct = NULL, masked_ct = NULL,
           phone_bidx = NULL, tail_bidx = NULL, row_mac = ${ERASED_ROW_MAC}, erased_at = ?
         WHERE id = ? AND status <> 'on_shelf' AND erased_at IS NULL`,
      ).run(at, id).changes === 1
    );
  }

  /** A new row MAC over the row as it now is: only for a row that was intact before its change. */
  remac(id: number): void {
    this.sql(`UPDATE parcels SET row_mac = pc_row_mac(${ROW_MAC_ARGS}) WHERE id = ?`).run(id);
  }

  /** Key rotation's last step: the blind indexes (and MACs) computed under the new key replace the old. */
  applyRotatedIndexes(): void {
    this.sql(
      `UPDATE parcels SET phone_bidx = r.phone_bidx, tail_bidx = r.tail_bidx, row_mac = coalesce(r.row_mac, parcels.row_mac)
       FROM rotation_bidx r WHERE parcels.id = r.parcel_id AND parcels.phone_bidx IS NOT NULL`,
    ).run();
  }

  /**
   * Rows stored before row MACs existed get theirs at the first unlock after the
   * migration, in one transaction: trust on first use, as the store is then.
   * Afterwards a row without a MAC fails like any other.
   */
  backfillRowMacs(): number {
    if (!rowMacBackfillPending(this.db)) return 0;
    return this.db
      .transaction(() => {
        const n = this.sql(`UPDATE parcels SET row_mac = pc_row_mac(${ROW_MAC_ARGS}) WHERE row_mac IS NULL`).run().changes;
        clearRowMacBackfill(this.db);
        return n;
      })
      .immediate();
  }

  private sql(text: string): Statement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = this.db.prepare(text)));
    return s;
  }
}
