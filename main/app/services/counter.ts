// Counter application service: the daily work at the counter (lookups,
// handovers, overdue parcels, returns, problem flags, counter settings). Each
// action runs its checks, writes, audit entry and anomaly counting in one
// transaction.
import type { Actor } from '../../../shared/actor';
import type { CounterLookupResult, CounterQuery, CounterSettings, HandoverInput } from '../../../shared/counter';
import type { LookupQuery } from '../../../shared/ipc/contract';
import { handedOver, lookupViewed, parcelsViewed } from '../../audit/events';
import { dailyReport } from '../../counter/daily';
import { ParcelLookup } from '../../counter/lookup';
import { PickupDesk } from '../../counter/pickup';
import { ProblemFlags } from '../../counter/problems';
import { ReturnDesk, type OverdueOptions } from '../../counter/returns';
import { markPaperDetached } from '../../ledger/shred-ledger';
import type { ServiceDeps } from './deps';

export class CounterService {
  private readonly pickup: PickupDesk;
  private readonly returns: ReturnDesk;
  private readonly problems: ProblemFlags;

  constructor(private readonly deps: ServiceDeps) {
    const { station, now } = deps;
    this.pickup = new PickupDesk(station, { now });
    this.returns = new ReturnDesk(station, { now });
    this.problems = new ProblemFlags(station, { now });
  }

  /** A counter search: whose parcels were shown and how they were found; a tail also feeds the browsing rule. */
  find(actor: Actor, query: CounterQuery): CounterLookupResult {
    return this.deps.tx.run(() => {
      const result = this.pickup.find(query);
      const shown = result.kind === 'customer' ? result.parcels.map((p) => p.id) : [];
      this.deps.oversight.record(lookupViewed(actor, query, shown), { kind: 'lookup', tail: query.by === 'tail' ? query.value : undefined });
      return result;
    });
  }

  /** Every parcel matching one key (the admin CLI's lookup), not grouped by customer. */
  search(actor: Actor, query: LookupQuery) {
    return this.deps.tx.run(() => {
      const found = new ParcelLookup(this.deps.station).search(query);
      this.deps.oversight.record(parcelsViewed(actor, found.parcels.map((p) => p.id), query.by), { kind: 'lookup' });
      return found;
    });
  }

  /** The handover; `paperLeft`: the paper waybill stayed at the counter and now awaits shredding. */
  handOver(actor: Actor, input: HandoverInput & { paperLeft?: boolean }) {
    const { paperLeft, ...handover } = input;
    return this.deps.tx.run(() => {
      const result = this.pickup.handOver(actor, handover);
      if (paperLeft) markPaperDetached(this.deps.station, result.parcel.id, 'left_at_pickup', actor, this.deps.now());
      this.deps.oversight.record(handedOver(actor, result, !!handover.proxy), { kind: 'handover' });
      return result;
    });
  }

  undoHandover(actor: Actor, handoverId: number, reason: string) {
    return this.deps.tx.run(() => {
      const parcel = this.pickup.undo(actor, handoverId, reason);
      this.deps.oversight.record({ action: 'counter.handover_undo', actor, parcelIds: [parcel.id], purpose: reason, detail: { handoverId } });
      return parcel;
    });
  }

  overdue(actor: Actor, opts: OverdueOptions = {}) {
    return this.deps.tx.run(() => {
      const parcels = this.returns.overdue(opts);
      this.deps.oversight.record(parcelsViewed(actor, parcels.map((p) => p.id), 'overdue'), { kind: 'lookup' });
      return parcels;
    });
  }

  daily(days?: number) {
    return dailyReport(this.deps.station, { now: this.deps.now, days });
  }

  moveToReturnBatch(actor: Actor, input: { parcelIds: number[]; batchId?: number }) {
    return this.deps.tx.run(() => {
      const batch = this.returns.moveToReturnBatch(actor, input);
      this.deps.oversight.record({ action: 'counter.return', actor, parcelIds: input.parcelIds, detail: { batchId: batch.id, step: 'move' } });
      return batch;
    });
  }

  scanOut(actor: Actor, waybill: string, batchId?: number) {
    return this.returns.scanOut(actor, waybill, batchId);
  }

  handToCourier(actor: Actor, batchId: number) {
    return this.deps.tx.run(() => {
      const result = this.returns.handToCourier(actor, batchId);
      this.deps.oversight.record({
        action: 'counter.return',
        actor,
        parcelIds: result.batch.items.filter((i) => i.scanned).map((i) => i.id),
        detail: { batchId, step: 'handed_to_courier', leftOnShelf: result.leftOnShelf },
      });
      return result;
    });
  }

  openReturnBatches() {
    return this.returns.openBatches();
  }

  /** A return batch's cards on a screen: audited and counted like a search. */
  returnBatch(actor: Actor, batchId: number) {
    return this.deps.tx.run(() => {
      const batch = this.returns.batch(batchId);
      this.deps.oversight.record(parcelsViewed(actor, batch.items.map((i) => i.id), 'return-batch'), { kind: 'lookup' });
      return batch;
    });
  }

  flagProblem(actor: Actor, input: Parameters<ProblemFlags['flag']>[1]) {
    return this.problems.flag(actor, input);
  }

  openProblems(actor: Actor) {
    return this.deps.tx.run(() => {
      const problems = this.problems.open();
      this.deps.oversight.record(parcelsViewed(actor, problems.map((p) => p.parcel.id), 'problems'), { kind: 'lookup' });
      return problems;
    });
  }

  settings(): CounterSettings {
    return this.deps.settings.counter();
  }

  updateSettings(actor: Actor, patch: Partial<CounterSettings>): CounterSettings {
    return this.deps.tx.run(() => {
      const settings = this.deps.settings.updateCounter(actor, patch, this.deps.now);
      this.deps.oversight.record({ action: 'settings.change', actor, detail: { scope: 'counter', ...patch } });
      return settings;
    });
  }
}
