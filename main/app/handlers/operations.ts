// Handlers: station operations — stocktake, moves and shelf labels, the
// daily close and settlement, handover photos (services/stocktake.ts,
// shelves.ts, closing.ts, photos.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type OperationsChannel = Extract<keyof Handlers, `stocktake.${string}` | `shelves.${string}` | `closing.${string}` | `photos.${string}`>;

export function operationsHandlers(app: AppContext): Pick<Handlers, OperationsChannel> {
  const s = () => app.unlocked();
  return {
    'stocktake.current': () => s().stocktake.current(),
    'stocktake.start': ({ layers }, { actor }) => s().stocktake.start(actor, layers),
    'stocktake.scan': ({ code }, { actor }) => s().stocktake.scan(actor, code),
    'stocktake.pause': (_input, { actor }) => s().stocktake.pause(actor),
    'stocktake.resume': (_input, { actor }) => s().stocktake.resume(actor),
    'stocktake.progress': () => s().stocktake.progress(),
    'stocktake.close': ({ note }, { actor }) => s().stocktake.close(actor, note),
    'stocktake.export': ({ stocktakeId, format }, { actor }) => s().stocktake.exportReport(actor, stocktakeId, format),
    'shelves.move': (input, { actor }) => s().shelves.move(actor, input),
    'shelves.moveLayer': (input, { actor }) => s().shelves.moveLayer(actor, input),
    'shelves.labels': (input) => s().shelves.shelfLabels(input),
    'closing.closeDay': ({ date }, { actor }) => s().closing.closeDay(actor, date),
    'closing.exportDay': ({ date, format }, { actor }) => s().closing.exportDay(actor, date, format),
    'closing.settlement': ({ from, to, format }, { actor }) => s().closing.settlement(actor, from, to, format),
    'closing.history': ({ limit }) => s().closing.history(limit),
    'closing.fees': () => s().closing.fees(),
    'closing.fees.set': ({ fees }, { actor }) => s().closing.setFees(actor, fees),
    'photos.settings.get': () => s().photos.settings(),
    'photos.settings.update': ({ totp: _totp, ...patch }, { actor }) => s().photos.updateSettings(actor, patch),
    'photos.handOver': (input, { actor }) => s().photos.handOver(actor, input),
    'photos.attach': ({ token, photo }, { actor }) => s().photos.attach(actor, token, photo),
    'photos.view': ({ handoverId, reason }, { actor }) => s().photos.view(actor, handoverId, reason),
  };
}
