// Composition root for main-process services: the station lifecycle, the
// handler groups and the authoriser behind the router. Plain Node: the
// Electron shell, the e2e harness and tests all build the same thing.
import { createRouter, type Handlers, type Router } from '../ipc/router';
import { isServerUrl } from '../store/engine/open-store';
import { isInitialised, unlockWithProtector } from '../store/station';
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
  tryAutoUnlock(): boolean;
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
    tryAutoUnlock() {
      if (app.isOpen) return true;
      // A server store is unlocked with the passphrase (station.ts says why).
      if (!opts.keyProtector || isServerUrl(opts.dbPath) || !isInitialised(opts.dbPath)) return false;
      const station = unlockWithProtector(opts.dbPath, opts.keyProtector);
      if (station) app.open(station);
      return app.isOpen;
    },
    close: () => app.close(),
  };
}
