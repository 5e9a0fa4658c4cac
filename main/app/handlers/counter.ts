// Handlers: the counter's daily work. Each state change is audited after it
// succeeds; scans and lookups are audited by hooks of the scan-in and pickup
// desks (context.ts).
import type { Actor } from '../../../shared/actor';
import { handedOver, parcelsViewed, type ViewedBy } from '../../audit/events';
import { dailyReport } from '../../counter/daily';
import { markPaperDetached } from '../../ledger/shred-ledger';
import { settingsOf } from '../../settings/settings';
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type CounterChannel = Extract<keyof Handlers, `counter.${string}` | `returns.${string}` | `problems.${string}`>;

export function counterHandlers(app: AppContext): Pick<Handlers, CounterChannel> {
  const s = () => app.unlocked();
  /** Masked cards on a screen outside a search: audited and counted by the lookup-rate rule like a search. */
  const shown = <T>(actor: Actor, result: T, ids: (r: T) => number[], by: ViewedBy): T => {
    s().oversight.record(parcelsViewed(actor, ids(result), by), { kind: 'lookup' });
    return result;
  };
  return {
    'counter.scanIn': (input, { actor }) => s().scanIn.scan(actor, input),
    'counter.find': (query, { actor }) => s().pickup.find(actor, query),
    'counter.handOver': ({ paperLeft, ...input }, { actor }) => {
      const result = s().pickup.handOver(actor, input);
      if (paperLeft) markPaperDetached(s().station, result.parcel.id, 'left_at_pickup', actor, app.now());
      s().oversight.record(handedOver(actor, result, !!input.proxy), { kind: 'handover' });
      return result;
    },
    'counter.undoHandover': ({ handoverId, reason }, { actor }) => {
      const parcel = s().pickup.undo(actor, handoverId, reason);
      s().oversight.record({ action: 'counter.handover_undo', actor, parcelIds: [parcel.id], purpose: reason, detail: { handoverId } });
      return parcel;
    },
    'counter.overdue': (opts, { actor }) => shown(actor, s().returns.overdue(opts), (ps) => ps.map((p) => p.id), 'overdue'),
    'counter.daily': ({ days }) => dailyReport(s().station, { now: app.now, days }),
    'returns.move': (input, { actor }) => {
      const batch = s().returns.moveToReturnBatch(actor, input);
      s().oversight.record({ action: 'counter.return', actor, parcelIds: input.parcelIds, detail: { batchId: batch.id, step: 'move' } });
      return batch;
    },
    // The batch it returns is the one returns.get or returns.move already showed (and recorded).
    'returns.scanOut': ({ batchId, waybill }, { actor }) => s().returns.scanOut(actor, waybill, batchId),
    'returns.handOver': ({ batchId }, { actor }) => {
      const result = s().returns.handToCourier(actor, batchId);
      s().oversight.record({
        action: 'counter.return',
        actor,
        parcelIds: result.batch.items.filter((i) => i.scanned).map((i) => i.id),
        detail: { batchId, step: 'handed_to_courier', leftOnShelf: result.leftOnShelf },
      });
      return result;
    },
    'returns.open': () => s().returns.openBatches(),
    'returns.get': ({ batchId }, { actor }) => shown(actor, s().returns.batch(batchId), (b) => b.items.map((i) => i.id), 'return-batch'),
    'problems.flag': (input, { actor }) => s().problems.flag(actor, input),
    'problems.open': (_input, { actor }) => shown(actor, s().problems.open(), (ps) => ps.map((p) => p.parcel.id), 'problems'),
    'counter.settings.get': () => settingsOf(s().station.db).counter(),
    'counter.settings.update': ({ totp: _totp, ...patch }, { actor }) => {
      const settings = settingsOf(s().station.db).updateCounter(actor, patch, app.now);
      s().oversight.record({ action: 'settings.change', actor, detail: { scope: 'counter', ...patch } });
      return settings;
    },
  };
}
