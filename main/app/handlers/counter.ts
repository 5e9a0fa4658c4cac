// Handlers: the counter's daily work (services/counter.ts) and scan-in
// (services/inbound.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type CounterChannel = Extract<keyof Handlers, `counter.${string}` | `returns.${string}` | `problems.${string}`>;

export function counterHandlers(app: AppContext): Pick<Handlers, CounterChannel> {
  const s = () => app.unlocked().counter;
  return {
    'counter.scanIn': (input, { actor }) => app.unlocked().inbound.scanIn(actor, input),
    'counter.find': (query, { actor }) => s().find(actor, query),
    'counter.handOver': (input, { actor }) => s().handOver(actor, input),
    'counter.undoHandover': ({ handoverId, reason }, { actor }) => s().undoHandover(actor, handoverId, reason),
    'counter.overdue': (opts, { actor }) => s().overdue(actor, opts),
    'counter.daily': ({ days }) => s().daily(days),
    'counter.myShift': (_input, { actor }) => s().myShift(actor),
    'counter.staffDay': ({ day }) => s().staffDay(day),
    'returns.move': (input, { actor }) => s().moveToReturnBatch(actor, input),
    // The batch it returns is the one returns.get or returns.move already showed (and recorded).
    'returns.scanOut': ({ batchId, waybill }, { actor }) => s().scanOut(actor, waybill, batchId),
    'returns.handOver': ({ batchId }, { actor }) => s().handToCourier(actor, batchId),
    'returns.open': () => s().openReturnBatches(),
    'returns.get': ({ batchId }, { actor }) => s().returnBatch(actor, batchId),
    'problems.flag': (input, { actor }) => s().flagProblem(actor, input),
    'problems.open': (_input, { actor }) => s().openProblems(actor),
    'counter.settings.get': () => s().settings(),
    'counter.settings.update': ({ totp: _totp, ...patch }, { actor }) => s().updateSettings(actor, patch),
  };
}
