// Overdue parcels (滞留) and return-to-courier batches (退回). A parcel becomes
// overdue once it has waited `overdueDays` calendar days in the station's time
// zone. The clerk moves parcels into a batch for their carrier, scans each one
// out as the courier takes it, and hands the batch over: what was scanned is
// returned, anything not scanned stays on the shelf.
import type { Actor } from '../../shared/actor';
import type { CounterParcel, ReturnBatch, ReturnBatchSummary } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import type { Carrier } from '../../shared/parcel';
import { normaliseWaybill } from '../../shared/waybill';
import type { Db } from '../store/database';
import { ParcelWriter } from '../store/parcel-writer';
import type { Station } from '../store/station';
import { addDays, dayStart } from '../settings/calendar';
import { counterColumnsOf, stationDay, toCounterParcel, type CounterRow, type StationDay } from './counter-parcel';
import { settingsOf } from '../settings/settings';

export interface OverdueOptions {
  /** Overrides the station's overdue threshold for this list. */
  days?: number;
  carrier?: Carrier;
  limit?: number;
}

interface BatchRow {
  id: number;
  carrier: Carrier;
  created_at: string;
  handed_to_courier_at: string | null;
  parcels: number;
  scanned: number;
}

const IN_OPEN_BATCH = `EXISTS (SELECT 1 FROM return_batch_parcels rp JOIN return_batches b ON b.id = rp.batch_id
  WHERE rp.parcel_id = p.id AND b.handed_to_courier_at IS NULL)`;

const SUMMARY = `SELECT b.id, b.carrier, b.created_at, b.handed_to_courier_at,
  COUNT(rp.parcel_id) AS parcels, COUNT(rp.scanned_at) AS scanned
  FROM return_batches b LEFT JOIN return_batch_parcels rp ON rp.batch_id = b.id`;

const toSummary = (r: BatchRow): ReturnBatchSummary => ({
  id: r.id,
  carrier: r.carrier,
  createdAt: r.created_at,
  handedToCourierAt: r.handed_to_courier_at,
  parcels: r.parcels,
  scanned: r.scanned,
});

export class ReturnDesk {
  private readonly overdueAll;
  private readonly overdueByCarrier;
  private readonly summary;
  private readonly openSummaries;
  private readonly items;
  private readonly parcelState;
  private readonly openBatchOfWaybill;
  private readonly markScanned;
  private readonly now: () => Date;
  private readonly parcels;

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    const { db } = station;
    this.now = opts.now ?? (() => new Date());
    this.parcels = new ParcelWriter(db);
    // Longest waiting first; those already set aside for a return are not listed again.
    const overdue = (carrier: string) =>
      db.prepare(
        `SELECT ${counterColumnsOf('p')} FROM parcels p
         WHERE p.status = 'on_shelf' AND p.arrived_at < ? ${carrier} AND NOT ${IN_OPEN_BATCH}
         ORDER BY p.arrived_at, p.id LIMIT ?`,
      );
    this.overdueAll = overdue('');
    this.overdueByCarrier = overdue('AND p.carrier = ?');
    this.summary = db.prepare(`${SUMMARY} WHERE b.id = ? GROUP BY b.id`);
    this.openSummaries = db.prepare(`${SUMMARY} WHERE b.handed_to_courier_at IS NULL GROUP BY b.id ORDER BY b.id`);
    this.items = db.prepare(
      `SELECT ${counterColumnsOf('p')}, rp.scanned_at FROM return_batch_parcels rp JOIN parcels p ON p.id = rp.parcel_id
       WHERE rp.batch_id = ? ORDER BY p.shelf, p.layer, p.arrived_at`,
    );
    this.parcelState = db.prepare(
      `SELECT p.id, p.carrier, p.status, (SELECT rp.batch_id FROM return_batch_parcels rp JOIN return_batches b ON b.id = rp.batch_id
         WHERE rp.parcel_id = p.id AND b.handed_to_courier_at IS NULL) AS open_batch
       FROM parcels p WHERE p.id = ?`,
    );
    // A parcel is in at most one open batch (moving it into a second is refused),
    // but two carriers' parcels may share a waybill number.
    this.openBatchOfWaybill = db.prepare(
      `SELECT rp.batch_id, rp.parcel_id FROM parcels p JOIN return_batch_parcels rp ON rp.parcel_id = p.id
       JOIN return_batches b ON b.id = rp.batch_id WHERE p.waybill_no = ? AND b.handed_to_courier_at IS NULL`,
    );
    this.markScanned = db.prepare(
      'UPDATE return_batch_parcels SET scanned_at = COALESCE(scanned_at, ?) WHERE batch_id = ? AND parcel_id = ?',
    );
  }

  overdue(opts: OverdueOptions = {}): CounterParcel[] {
    const day = this.day();
    const threshold = opts.days ?? settingsOf(this.station.db).counter().overdueDays;
    if (!Number.isInteger(threshold) || threshold < 0) throw new AppError('INVALID_INPUT', 'days');
    // daysOnShelf >= threshold ⟺ arrived before the start of day (today - threshold + 1).
    const cutoff = dayStart(addDays(day.today, 1 - threshold), day.timeZone).toISOString();
    const limit = opts.limit ?? -1; // SQLite: no limit
    const rows = (
      opts.carrier ? this.overdueByCarrier.all(cutoff, opts.carrier, limit) : this.overdueAll.all(cutoff, limit)
    ) as CounterRow[];
    return rows.map((r) => toCounterParcel(this.station.keys, r, day));
  }

  /**
   * Sets on-shelf parcels of one carrier aside for its courier: in a new batch,
   * or added to the open batch `batchId`. All or nothing.
   */
  moveToReturnBatch(actor: Actor, input: { parcelIds: number[]; batchId?: number }): ReturnBatch {
    if (input.parcelIds.length === 0) throw new AppError('INVALID_INPUT', 'parcelIds');
    const { db } = this.station;
    const id = db
      .transaction(() => {
        const at = this.now().toISOString();
        const batch = input.batchId === undefined ? null : this.openBatch(input.batchId);
        let carrier = batch?.carrier ?? null;
        for (const parcelId of input.parcelIds) {
          const p = this.parcelState.get(parcelId) as
            | { id: number; carrier: Carrier; status: string; open_batch: number | null }
            | undefined;
          if (!p) throw new AppError('PARCEL_NOT_FOUND', String(parcelId));
          if (p.status !== 'on_shelf') throw new AppError('PARCEL_NOT_ON_SHELF', p.status);
          if (p.open_batch !== null && p.open_batch !== batch?.id) throw new AppError('ALREADY_IN_RETURN_BATCH');
          carrier ??= p.carrier;
          if (p.carrier !== carrier) throw new AppError('CARRIER_MISMATCH', `${p.carrier} ≠ ${carrier}`);
        }
        const batchId =
          batch?.id ??
          Number(
            db
              .prepare('INSERT INTO return_batches (carrier, created_by, created_at) VALUES (?, ?, ?)')
              .run(carrier, actor.userId, at).lastInsertRowid,
          );
        const add = db.prepare('INSERT OR IGNORE INTO return_batch_parcels (batch_id, parcel_id) VALUES (?, ?)');
        for (const parcelId of input.parcelIds) add.run(batchId, parcelId);
        return batchId;
      })
      .immediate();
    return this.batch(id);
  }

  /**
   * The courier takes this parcel. Its waybill must be in batch `batchId` when
   * given, else in whichever open batch holds it: the parcel in hand says which.
   */
  scanOut(_actor: Actor, waybill: string, batchId?: number): ReturnBatch {
    const { db } = this.station;
    const scannedInto = db
      .transaction(() => {
        if (batchId !== undefined) this.openBatch(batchId);
        const held = (this.openBatchOfWaybill.all(normaliseWaybill(waybill)) as { batch_id: number; parcel_id: number }[]).filter(
          (h) => batchId === undefined || h.batch_id === batchId,
        );
        if (held.length === 0) throw new AppError('NOT_IN_RETURN_BATCH');
        if (held.length > 1) throw new AppError('RETURN_BATCH_AMBIGUOUS');
        this.markScanned.run(this.now().toISOString(), held[0].batch_id, held[0].parcel_id);
        return held[0].batch_id;
      })
      .immediate();
    return this.batch(scannedInto);
  }

  /** Records the handover to the courier; parcels not scanned out leave the batch and stay on the shelf. */
  handToCourier(actor: Actor, batchId: number): { batch: ReturnBatch; leftOnShelf: number } {
    const { db } = this.station;
    const leftOnShelf = db
      .transaction(() => {
        const at = this.now().toISOString();
        const batch = this.openBatch(batchId);
        if (batch.scanned === 0) throw new AppError('INVALID_INPUT', 'no parcel scanned out');
        this.parcels.returnBatch(batchId, at);
        const left = db.prepare('DELETE FROM return_batch_parcels WHERE batch_id = ? AND scanned_at IS NULL').run(batchId).changes;
        db.prepare('UPDATE return_batches SET handed_to_courier_at = ?, handed_by = ? WHERE id = ?').run(at, actor.userId, batchId);
        return left;
      })
      .immediate();
    return { batch: this.batch(batchId), leftOnShelf };
  }

  openBatches(): ReturnBatchSummary[] {
    return (this.openSummaries.all() as BatchRow[]).map(toSummary);
  }

  batch(id: number): ReturnBatch {
    const row = this.summary.get(id) as BatchRow | undefined;
    if (!row) throw new AppError('INVALID_INPUT', 'batchId');
    const day = this.day();
    const items = (this.items.all(id) as (CounterRow & { scanned_at: string | null })[]).map((r) => ({
      ...toCounterParcel(this.station.keys, r, day),
      scanned: r.scanned_at !== null,
    }));
    return { ...toSummary(row), items };
  }

  private openBatch(id: number): BatchRow {
    const row = this.summary.get(id) as BatchRow | undefined;
    if (!row) throw new AppError('INVALID_INPUT', 'batchId');
    if (row.handed_to_courier_at) throw new AppError('RETURN_BATCH_CLOSED');
    return row;
  }

  private day(): StationDay {
    return stationDay(this.station.db, this.now());
  }
}

/** The customer came at last: a parcel picked up no longer goes back with an unfinished return batch. */
export function leaveOpenReturnBatches(db: Db): (parcelId: number) => void {
  const leave = db.prepare(
    `DELETE FROM return_batch_parcels WHERE parcel_id = ?
     AND batch_id IN (SELECT id FROM return_batches WHERE handed_to_courier_at IS NULL)`,
  );
  return (parcelId) => void leave.run(parcelId);
}
