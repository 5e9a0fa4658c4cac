// Composition root for main-process services: the station lifecycle, the
// handler groups and the authoriser behind the router. Plain Node: the
// Electron shell, the e2e harness and tests all build the same thing.
import { createRouter, type Handlers, type Router } from '../ipc/router';
import { isStationAt, openStationWithProtector } from '../store/station';
import { AppContext, type StationAppOptions } from './context';
import { auditHandlers } from './handlers/audit';
import { authHandlers } from './handlers/auth';
import { counterHandlers } from './handlers/counter';
import { devicesHandlers } from './handlers/devices';
import { ledgerHandlers } from './handlers/ledger';
import { lifecycleHandlers } from './handlers/lifecycle';
import { notifyHandlers } from './handlers/notify';
import { operationsHandlers } from './handlers/operations';
import { stationHandlers } from './handlers/station';

export type { StationAppOptions } from './context';

export interface StationApp {
  router: Router;
  /** Unlocks from the OS keystore if a copy is held there; true when unlocked. */
  tryAutoUnlock(): Promise<boolean>;
  /** Closes devices, then the store. */
  close(): Promise<void>;
}

export function createStationApp(opts: StationAppOptions): StationApp {
  const app = new AppContext(opts);
  const handlers: Handlers = { ...stationHandlers(app), ...authHandlers(app), ...auditHandlers(app), ...counterHandlers(app), ...devicesHandlers(app), ...ledgerHandlers(app), ...lifecycleHandlers(app), ...notifyHandlers(app), ...operationsHandlers(app) };
  const router = createRouter(
    handlers,
    async (policy, input) => {
      const { sessions, oversight, tx } = app.unlocked();
      const actor = await sessions.require(policy.action);
      await sessions.stepUp(actor, policy.action, (input as { totp?: string }).totp);
      await tx.run((t) => oversight.check(t, actor));
      return actor;
    },
    opts.onInternalError,
  );
  return {
    router,
    async tryAutoUnlock() {
      if (app.isOpen) return true;
      if (!opts.keyProtector || !(await isStationAt(opts.dbPath).catch(() => false))) return false;
      // A server that cannot be reached now: the unlock screen says so when asked.
      const station = await openStationWithProtector(opts.dbPath, opts.keyProtector, app.workstation).catch(() => null);
      if (station && !app.isOpen) app.open(station);
      else await station?.close();
      return app.isOpen;
    },
    close: () => app.close(),
  };
}
