// The retention purge. Personal data of a parcel is erased a set time after
// it was picked up or returned, or after its import when it never arrived,
// and at once when an erasure request was waiting for it to leave. It works
// in batches, each its own transaction, so an interrupted purge leaves every
// parcel either erased or not, and the next run simply continues: what is due
// is read afresh from the partial indexes of parcels not erased yet.
import type { PurgeResult } from '../../shared/ipc/lifecycle';
import type { Settings } from '../settings/settings';
import type { Station } from '../store/station';
import type { Queryable, Store } from '../store/engine/store';
import { ParcelEraser } from './erase';

const DAY_MS = 86_400_000;
export const PURGE_BATCH = 2000;

export interface RetentionPolicy {
  pickedUpDays: number;
  returnedDays: number;
  expectedDays: number;
}

export const retentionPolicy = async (settings: Settings, q: Queryable): Promise<RetentionPolicy> => ({
  pickedUpDays: await settings.get(q, 'retention.pickedUpDays'),
  returnedDays: await settings.get(q, 'retention.returnedDays'),
  expectedDays: await settings.get(q, 'retention.expectedDays'),
});

/** Each rule selects due parcels by one index; none selects a parcel on the shelf. */
const RULES = [
  "SELECT id FROM parcels WHERE status = 'picked_up' AND erased_at IS NULL AND picked_up_at < @pickedUp",
  "SELECT id FROM parcels WHERE status = 'returned' AND erased_at IS NULL AND returned_at < @returned",
  "SELECT id FROM parcels WHERE status = 'expected' AND erased_at IS NULL AND created_at < @expected",
  `SELECT p.id FROM erasure_schedule s JOIN parcels p ON p.id = s.parcel_id
   WHERE p.erased_at IS NULL AND p.status IN ('picked_up', 'returned')`,
] as const;

export interface PurgeOptions {
  dryRun: boolean;
  /** Checked between batches: a station closing stops the purge there; the next run continues. */
  shouldStop?: () => boolean;
  onProgress?: (done: number, total: number) => void;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class RetentionPurge {
  private readonly eraser: ParcelEraser;
  private readonly store: Store;

  constructor(
    station: Pick<Station, 'store' | 'keys'>,
    private readonly policy: (q: Queryable) => Promise<RetentionPolicy>,
    private readonly now: () => Date,
    private readonly batch = PURGE_BATCH,
  ) {
    this.store = station.store;
    this.eraser = new ParcelEraser(station.keys);
  }

  private async cutoffs(q: Queryable): Promise<Record<'pickedUp' | 'returned' | 'expected', string>> {
    const p = await this.policy(q);
    const before = (days: number) => new Date(this.now().getTime() - days * DAY_MS).toISOString();
    return { pickedUp: before(p.pickedUpDays), returned: before(p.returnedDays), expected: before(p.expectedDays) };
  }

  async eligible(): Promise<number> {
    return Number(await this.store.value(`SELECT COUNT(*) FROM (${RULES.join(' UNION ')}) due`, { ...(await this.cutoffs(this.store)) }));
  }

  async run(opts: PurgeOptions): Promise<PurgeResult> {
    const eligible = await this.eligible();
    const result: PurgeResult = { eligible, erased: 0, dryRun: opts.dryRun, labels: 0, completedRequests: [] };
    if (opts.dryRun) return result;
    for (const rule of RULES) {
      for (;;) {
        if (opts.shouldStop?.()) return result;
        // Selected and erased in one transaction: a parcel scanned back onto the shelf meanwhile is not touched.
        const done = await this.store.transaction(async (tx) => {
          const ids = (await tx.all<{ id: number }>(`${rule} LIMIT ${this.batch}`, { ...(await this.cutoffs(tx)) })).map((r) => r.id);
          return { ...(await this.eraser.erase(tx, ids, this.now().toISOString())), selected: ids.length };
        });
        result.erased += done.erased;
        result.completedRequests.push(...done.completedRequests);
        opts.onProgress?.(result.erased, eligible);
        if (done.selected < this.batch) break;
        await nextTick();
      }
    }
    // Printed labels are kept as long as the longer of the pickup and return
    // rules; failed ones, which a supervisor may still reprint, as long as the never-arrived rule.
    result.labels = await this.store.transaction(async (tx) => {
      const c = await this.cutoffs(tx);
      return this.eraser.eraseOldLabels(tx, c.pickedUp < c.returned ? c.pickedUp : c.returned, c.expected);
    });
    return result;
  }
}
