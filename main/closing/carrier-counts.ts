// Per-carrier counts over station-local days: what arrived, left and stayed.
// On-shelf and overdue are as at the period's end, rebuilt from arrival and
// departure times as the daily view does, so a past day reads the same later.
import { CARRIERS, type Carrier } from '../../shared/parcel';
import type { CarrierDay } from '../../shared/closing';
import type { OverdueCondition } from '../counter/overdue-cutoff';
import type { Queryable } from '../store/engine/store';

export interface Period {
  /** [start, end) as ISO instants. */
  start: string;
  end: string;
  /** Which parcels are overdue on the period's last day, over `arrived_at` and `carrier`. */
  overdue: OverdueCondition;
}

type Counts = Map<Carrier, number>;

async function byCarrier(tx: Queryable, column: 'arrived_at' | 'picked_up_at' | 'returned_at', p: Period): Promise<Counts> {
  const rows = await tx.all<{ carrier: Carrier; n: number }>(
    `SELECT carrier, COUNT(*) AS n FROM parcels WHERE ${column} >= ? AND ${column} < ? GROUP BY carrier`,
    p.start, p.end,
  );
  return new Map(rows.map((r) => [r.carrier, Number(r.n)]));
}

export async function carrierCounts(tx: Queryable, p: Period): Promise<CarrierDay[]> {
  const [received, handedOver, returned] = [await byCarrier(tx, 'arrived_at', p), await byCarrier(tx, 'picked_up_at', p), await byCarrier(tx, 'returned_at', p)];
  const stayed = await tx.all<{ carrier: Carrier; on_shelf: number; overdue: number }>(
    `SELECT carrier, COUNT(*) AS on_shelf, SUM(CASE WHEN ${p.overdue.sql} THEN 1 ELSE 0 END) AS overdue FROM (
       SELECT carrier, arrived_at FROM parcels WHERE status = 'on_shelf' AND arrived_at < @end
       UNION ALL SELECT carrier, arrived_at FROM parcels WHERE picked_up_at >= @end AND arrived_at < @end
       UNION ALL SELECT carrier, arrived_at FROM parcels WHERE returned_at >= @end AND arrived_at < @end) t
     GROUP BY carrier`,
    { end: p.end, ...p.overdue.params },
  );
  const at = new Map(stayed.map((r) => [r.carrier, r]));
  return CARRIERS.map((carrier) => ({
    carrier,
    received: received.get(carrier) ?? 0,
    handedOver: handedOver.get(carrier) ?? 0,
    returned: returned.get(carrier) ?? 0,
    onShelf: Number(at.get(carrier)?.on_shelf ?? 0),
    overdue: Number(at.get(carrier)?.overdue ?? 0),
  })).filter((c) => c.received || c.handedOver || c.returned || c.onShelf);
}

/** Paper waybills detached from parcels, and sheets destroyed (as recorded, less any withdrawn), in the period. */
export async function paperCounts(tx: Queryable, p: Period): Promise<{ detached: number; destroyed: number }> {
  const detached = await tx.value<number>('SELECT COUNT(*) FROM shred_papers WHERE detached_at >= ? AND detached_at < ?', p.start, p.end);
  const destroyed = await tx.value<number>(
    `SELECT COALESCE(SUM(i.sheets), 0) FROM shred_ledger l
       JOIN shred_batches b ON b.destroyed_seq = l.seq
       JOIN shred_batch_items i ON i.batch_id = b.id AND i.withdrawn_seq IS NULL
     WHERE l.kind = 'destroyed' AND l.at >= ? AND l.at < ?`,
    p.start, p.end,
  );
  return { detached: Number(detached ?? 0), destroyed: Number(destroyed ?? 0) };
}
