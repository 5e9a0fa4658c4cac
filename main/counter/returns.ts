// Overdue parcels (滞留) and return-to-courier batches (退回). A parcel becomes
// overdue once it has waited its carrier's overdue days (else the station's)
// in calendar days of the station's time zone (overdue-cutoff.ts). The clerk moves parcels into a batch for their carrier, scans each one
// out as the courier takes it, and hands the batch over: what was scanned is
// returned, anything not scanned stays on the shelf.
import type { Actor } from '../../shared/actor';
import type { CounterParcel, ReturnBatch, ReturnBatchSummary } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import type { Carrier } from '../../shared/parcel';
import { normaliseWaybill } from '../../shared/waybill';
import type { Queryable, Tx } from '../store/engine/store';
import { ParcelWriter } from '../store/parcel-writer';
import type { Station } from '../store/station';
import { overdueCondition, overdueRule } from './overdue-cutoff';
import { counterColumnsOf, stationDay, toCounterParcel, type CounterRow } from './counter-parcel';
import { Settings } from '../settings/settings';

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
  parcels: Number(r.parcels),
  scanned: Number(r.scanned),
});

// Longest waiting first; those already set aside for a return are not listed again.
const overdue = (due: string, carrier: string) =>
  `SELECT ${counterColumnsOf('p')} FROM parcels p
   WHERE p.status = 'on_shelf' AND ${due} ${carrier} AND NOT ${IN_OPEN_BATCH}
   ORDER BY p.arrived_at, p.id`;

const SQL = {
  summary: `${SUMMARY} WHERE b.id = ? GROUP BY b.id, b.carrier, b.created_at, b.handed_to_courier_at`,
  openSummaries: `${SUMMARY} WHERE b.handed_to_courier_at IS NULL GROUP BY b.id, b.carrier, b.created_at, b.handed_to_courier_at ORDER BY b.id`,
  items: `SELECT ${counterColumnsOf('p')}, rp.scanned_at FROM return_batch_parcels rp JOIN parcels p ON p.id = rp.parcel_id
          WHERE rp.batch_id = ? ORDER BY p.shelf, p.layer, p.arrived_at`,
  parcelState: `SELECT p.id, p.carrier, p.status, (SELECT rp.batch_id FROM return_batch_parcels rp JOIN return_batches b ON b.id = rp.batch_id
                  WHERE rp.parcel_id = p.id AND b.handed_to_courier_at IS NULL) AS open_batch
                FROM parcels p WHERE p.id = ?`,
  // A parcel is in at most one open batch (moving it into a second is refused),
  // but two carriers' parcels may share a waybill number.
  openBatchOfWaybill: `SELECT rp.batch_id, rp.parcel_id FROM parcels p JOIN return_batch_parcels rp ON rp.parcel_id = p.id
                       JOIN return_batches b ON b.id = rp.batch_id WHERE p.waybill_no = ? AND b.handed_to_courier_at IS NULL`,
  markScanned: 'UPDATE return_batch_parcels SET scanned_at = COALESCE(scanned_at, ?) WHERE batch_id = ? AND parcel_id = ?',
  insertBatch: 'INSERT INTO return_batches (carrier, created_by, created_at) VALUES (?, ?, ?) RETURNING id',
  addToBatch: 'INSERT INTO return_batch_parcels (batch_id, parcel_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  dropUnscanned: 'DELETE FROM return_batch_parcels WHERE batch_id = ? AND scanned_at IS NULL',
  handed: 'UPDATE return_batches SET handed_to_courier_at = ?, handed_by = ? WHERE id = ?',
  leave: `DELETE FROM return_batch_parcels WHERE parcel_id = ?
          AND batch_id IN (SELECT id FROM return_batches WHERE handed_to_courier_at IS NULL)`,
};

export class ReturnDesk {
  private readonly now: () => Date;
  private readonly parcels = new ParcelWriter();
  private readonly settings = new Settings();

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  async overdue(q: Queryable, opts: OverdueOptions = {}): Promise<CounterParcel[]> {
    const day = await stationDay(q, this.now());
    if (opts.days !== undefined && !(Number.isInteger(opts.days) && opts.days >= 0)) throw new AppError('INVALID_INPUT', 'days');
    // A threshold asked for applies to every carrier; otherwise each carrier's own.
    const rule = opts.days === undefined ? await overdueRule(this.settings, q) : { overdueDays: opts.days, timeZone: day.timeZone, carrierOverdueDays: {} };
    const due = overdueCondition(day.today, rule, { arrived: 'p.arrived_at', carrier: 'p.carrier' });
    const limit = opts.limit === undefined ? '' : ` LIMIT ${Number(opts.limit)}`;
    const rows = await q.all<CounterRow>(overdue(due.sql, opts.carrier ? 'AND p.carrier = @carrier' : '') + limit, { ...due.params, ...(opts.carrier ? { carrier: opts.carrier } : {}) });
    return rows.map((r) => toCounterParcel(this.station.keys, r, day));
  }

  /**
   * Sets on-shelf parcels of one carrier aside for its courier: in a new batch,
   * or added to the open batch `batchId`. All or nothing (the caller's transaction).
   */
  async moveToReturnBatch(tx: Tx, actor: Actor, input: { parcelIds: number[]; batchId?: number }): Promise<ReturnBatch> {
    if (input.parcelIds.length === 0) throw new AppError('INVALID_INPUT', 'parcelIds');
    const at = this.now().toISOString();
    const batch = input.batchId === undefined ? null : await this.openBatch(tx, input.batchId);
    let carrier = batch?.carrier ?? null;
    for (const parcelId of input.parcelIds) {
      const p = await tx.get<{ id: number; carrier: Carrier; status: string; open_batch: number | null }>(SQL.parcelState, parcelId);
      if (!p) throw new AppError('PARCEL_NOT_FOUND', String(parcelId));
      if (p.status !== 'on_shelf') throw new AppError('PARCEL_NOT_ON_SHELF', p.status);
      if (p.open_batch !== null && p.open_batch !== batch?.id) throw new AppError('ALREADY_IN_RETURN_BATCH');
      carrier ??= p.carrier;
      if (p.carrier !== carrier) throw new AppError('CARRIER_MISMATCH', `${p.carrier} ≠ ${carrier}`);
    }
    const batchId = batch?.id ?? Number(await tx.value(SQL.insertBatch, carrier, actor.userId, at));
    for (const parcelId of input.parcelIds) await tx.run(SQL.addToBatch, batchId, parcelId);
    return this.batch(tx, batchId);
  }

  /**
   * The courier takes this parcel. Its waybill must be in batch `batchId` when
   * given, else in whichever open batch holds it: the parcel in hand says which.
   */
  async scanOut(tx: Tx, _actor: Actor, waybill: string, batchId?: number): Promise<ReturnBatch> {
    if (batchId !== undefined) await this.openBatch(tx, batchId);
    const held = (await tx.all<{ batch_id: number; parcel_id: number }>(SQL.openBatchOfWaybill, normaliseWaybill(waybill))).filter(
      (h) => batchId === undefined || h.batch_id === batchId,
    );
    if (held.length === 0) throw new AppError('NOT_IN_RETURN_BATCH');
    if (held.length > 1) throw new AppError('RETURN_BATCH_AMBIGUOUS');
    await tx.run(SQL.markScanned, this.now().toISOString(), held[0].batch_id, held[0].parcel_id);
    return this.batch(tx, held[0].batch_id);
  }

  /** Records the handover to the courier; parcels not scanned out leave the batch and stay on the shelf. */
  async handToCourier(tx: Tx, actor: Actor, batchId: number): Promise<{ batch: ReturnBatch; leftOnShelf: number }> {
    const at = this.now().toISOString();
    const open = await this.openBatch(tx, batchId);
    if (open.scanned === 0) throw new AppError('INVALID_INPUT', 'no parcel scanned out');
    await this.parcels.returnBatch(tx, batchId, at);
    const leftOnShelf = (await tx.run(SQL.dropUnscanned, batchId)).changes;
    await tx.run(SQL.handed, at, actor.userId, batchId);
    return { batch: await this.batch(tx, batchId), leftOnShelf };
  }

  async openBatches(q: Queryable): Promise<ReturnBatchSummary[]> {
    return (await q.all<BatchRow>(SQL.openSummaries)).map(toSummary);
  }

  async batch(q: Queryable, id: number): Promise<ReturnBatch> {
    const row = await q.get<BatchRow>(SQL.summary, id);
    if (!row) throw new AppError('INVALID_INPUT', 'batchId');
    const day = await stationDay(q, this.now());
    const items = (await q.all<CounterRow & { scanned_at: string | null }>(SQL.items, id)).map((r) => ({
      ...toCounterParcel(this.station.keys, r, day),
      scanned: r.scanned_at !== null,
    }));
    return { ...toSummary(row), items };
  }

  private async openBatch(q: Queryable, id: number): Promise<BatchRow> {
    const row = await q.get<BatchRow>(SQL.summary, id);
    if (!row) throw new AppError('INVALID_INPUT', 'batchId');
    if (row.handed_to_courier_at) throw new AppError('RETURN_BATCH_CLOSED');
    return row;
  }
}

/** The customer came at last: a parcel picked up no longer goes back with an unfinished return batch. */
export async function leaveOpenReturnBatches(tx: Queryable, parcelId: number): Promise<void> {
  await tx.run(SQL.leave, parcelId);
}
