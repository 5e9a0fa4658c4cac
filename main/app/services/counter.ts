// Counter application service: the daily work at the counter (lookups,
// handovers, overdue parcels, returns, problem flags, counter settings). Each
// action runs its checks, writes, audit entry and anomaly counting in one
// transaction.
import type { Actor } from '../../../shared/actor';
import type { CounterLookupResult, CounterQuery, CounterSettings, HandoverInput, ShelfPlan, ShiftFigures, StaffDayFigures } from '../../../shared/counter';
import type { LookupQuery } from '../../../shared/ipc/contract';
import { handedOver, lookupViewed, parcelsViewed } from '../../audit/events';
import { dailyReport } from '../../counter/daily';
import { figuresByPerson, NO_FIGURES, shiftFigures } from '../../counter/shift-figures';
import { addDays, dayStart, localDay } from '../../settings/calendar';
import { ParcelLookup } from '../../counter/lookup';
import { PickupDesk } from '../../counter/pickup';
import { ProblemFlags } from '../../counter/problems';
import { ReturnDesk, type OverdueOptions } from '../../counter/returns';
import { markPaperDetached } from '../../ledger/shred-ledger';
import { notifyCounters } from '../../store/engine/postgres-events';
import type { ServiceDeps } from './deps';

export class CounterService {
  private readonly pickup: PickupDesk;
  private readonly returns: ReturnDesk;
  private readonly problems: ProblemFlags;
  private readonly lookup: ParcelLookup;

  constructor(private readonly deps: ServiceDeps) {
    const { station, now } = deps;
    this.pickup = new PickupDesk(station, { now });
    this.returns = new ReturnDesk(station, { now });
    this.problems = new ProblemFlags(station, { now });
    this.lookup = new ParcelLookup(station);
  }

  /** A counter search: whose parcels were shown and how they were found; a tail also feeds the browsing rule. */
  find(actor: Actor, query: CounterQuery): Promise<CounterLookupResult> {
    return this.deps.tx.run(async (tx) => {
      const result = await this.pickup.find(tx, query);
      const shown = result.kind === 'customer' ? result.parcels.map((p) => p.id) : [];
      await this.deps.oversight.record(tx, lookupViewed(actor, query, shown), { kind: 'lookup', tail: query.by === 'tail' ? query.value : undefined });
      return query.by === 'tail' ? { ...result, tails: this.deps.oversight.tailsWithoutHandover(actor) } : result;
    });
  }

  /** Every parcel matching one key (the admin CLI's lookup), not grouped by customer. */
  search(actor: Actor, query: LookupQuery) {
    return this.deps.tx.run(async (tx) => {
      const found = await this.lookup.search(tx, query);
      await this.deps.oversight.record(tx, parcelsViewed(actor, found.parcels.map((p) => p.id), query.by), { kind: 'lookup' });
      return found;
    });
  }

  /**
   * The handover; `paperLeft`: the paper waybill stayed at the counter and now
   * awaits shredding; `photoFollows`: a photo was taken at the scan and follows
   * (services/photos.ts), as the handover's audit entry records.
   */
  handOver(actor: Actor, input: HandoverInput & { paperLeft?: boolean }, photoFollows = false) {
    const { paperLeft, ...handover } = input;
    return this.deps.tx.run(async (tx) => {
      const result = await this.pickup.handOver(tx, actor, handover);
      if (paperLeft) await markPaperDetached(tx, this.deps.station, result.parcel.id, 'left_at_pickup', actor, this.deps.now());
      await this.deps.oversight.record(tx, handedOver(actor, result, !!handover.proxy, photoFollows), { kind: 'handover' });
      await notifyCounters(tx, { event: 'handover', parcelId: result.parcel.id, workstation: this.deps.workstation });
      return result;
    });
  }

  undoHandover(actor: Actor, handoverId: number, reason: string) {
    return this.deps.tx.run(async (tx) => {
      const parcel = await this.pickup.undo(tx, actor, handoverId, reason);
      await this.deps.oversight.record(tx, { action: 'counter.handover_undo', actor, parcelIds: [parcel.id], purpose: reason, detail: { handoverId } });
      await notifyCounters(tx, { event: 'handover-undone', parcelId: parcel.id, workstation: this.deps.workstation });
      return parcel;
    });
  }

  overdue(actor: Actor, opts: OverdueOptions = {}) {
    return this.deps.tx.run(async (tx) => {
      const parcels = await this.returns.overdue(tx, opts);
      await this.deps.oversight.record(tx, parcelsViewed(actor, parcels.map((p) => p.id), 'overdue'), { kind: 'lookup' });
      return parcels;
    });
  }

  /** The acting person's figures since their shift began, shown before the shift closes. */
  myShift(actor: Actor): Promise<ShiftFigures> {
    // Up to and including this moment: what was just done counts.
    const until = new Date(this.deps.now().getTime() + 1);
    return shiftFigures(this.deps.station.store, actor.userId, new Date(this.deps.sessions.shiftStartedAt(actor.userId)), until);
  }

  /** Each person's figures for one station day (today by default), for the supervisor. */
  async staffDay(day?: string): Promise<StaffDayFigures[]> {
    const { station, settings, accounts, now } = this.deps;
    const { timeZone } = await settings.counter(station.store);
    const date = day ?? localDay(now(), timeZone);
    const since = dayStart(date, timeZone);
    const until = dayStart(addDays(date, 1), timeZone);
    const figures = await figuresByPerson(station.store, since, until);
    return (await accounts.list(station.store)).map((u) => ({ userId: u.id, username: u.username, displayName: u.displayName, ...(figures.get(u.id) ?? NO_FIGURES) }));
  }

  daily(days?: number) {
    return dailyReport(this.deps.station.store, { now: this.deps.now, days });
  }

  moveToReturnBatch(actor: Actor, input: { parcelIds: number[]; batchId?: number }) {
    return this.deps.tx.run(async (tx) => {
      const batch = await this.returns.moveToReturnBatch(tx, actor, input);
      await this.deps.oversight.record(tx, { action: 'counter.return', actor, parcelIds: input.parcelIds, detail: { batchId: batch.id, step: 'move' } });
      return batch;
    });
  }

  scanOut(actor: Actor, waybill: string, batchId?: number) {
    return this.deps.tx.run((tx) => this.returns.scanOut(tx, actor, waybill, batchId));
  }

  handToCourier(actor: Actor, batchId: number) {
    return this.deps.tx.run(async (tx) => {
      const result = await this.returns.handToCourier(tx, actor, batchId);
      await this.deps.oversight.record(tx, {
        action: 'counter.return',
        actor,
        parcelIds: result.batch.items.filter((i) => i.scanned).map((i) => i.id),
        detail: { batchId, step: 'handed_to_courier', leftOnShelf: result.leftOnShelf },
      });
      return result;
    });
  }

  openReturnBatches() {
    return this.returns.openBatches(this.deps.station.store);
  }

  /** A return batch's cards on a screen: audited and counted like a search. */
  returnBatch(actor: Actor, batchId: number) {
    return this.deps.tx.run(async (tx) => {
      const batch = await this.returns.batch(tx, batchId);
      await this.deps.oversight.record(tx, parcelsViewed(actor, batch.items.map((i) => i.id), 'return-batch'), { kind: 'lookup' });
      return batch;
    });
  }

  flagProblem(actor: Actor, input: Parameters<ProblemFlags['flag']>[2]) {
    return this.deps.tx.run((tx) => this.problems.flag(tx, actor, input));
  }

  openProblems(actor: Actor) {
    return this.deps.tx.run(async (tx) => {
      const problems = await this.problems.open(tx);
      await this.deps.oversight.record(tx, parcelsViewed(actor, problems.map((p) => p.parcel.id), 'problems'), { kind: 'lookup' });
      return problems;
    });
  }

  async settings(): Promise<CounterSettings & ShelfPlan> {
    const { settings, station } = this.deps;
    return { ...(await settings.counter(station.store)), ...(await settings.plan(station.store)) };
  }

  /** The audit entry names what changed: shelf names by how many, per-carrier days as their table. */
  updateSettings(actor: Actor, patch: Partial<CounterSettings & ShelfPlan>): Promise<CounterSettings & ShelfPlan> {
    const { slotMode, shelfNames, layerCapacity, carrierOverdueDays, ...counter } = patch;
    return this.deps.tx.run(async (tx) => {
      const settings = await this.deps.settings.updateCounter(tx, actor, counter, this.deps.now);
      const plan = await this.deps.settings.updatePlan(tx, { slotMode, shelfNames, layerCapacity, carrierOverdueDays });
      const planned = {
        ...(slotMode !== undefined && { slotMode }),
        ...(shelfNames && { shelfNames: plan.shelfNames.filter(Boolean).length }),
        ...(layerCapacity !== undefined && { layerCapacity }),
        ...(carrierOverdueDays && { carrierOverdueDays: JSON.stringify(carrierOverdueDays) }),
      };
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'counter', ...counter, ...planned } });
      return { ...settings, ...plan };
    });
  }
}
