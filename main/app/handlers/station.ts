// Handlers: station store lifecycle and manifest import.
import type { Handlers } from '../../ipc/router';
import { initialiseStation, unlockWithPassphrase } from '../../store/station';
import type { AppContext } from '../context';

type StationHandlers = Pick<
  Handlers,
  'station.status' | 'station.init' | 'station.unlock' | 'station.lock' | 'ui.language' | 'manifest.import'
>;

export function stationHandlers(app: AppContext): StationHandlers {
  const { dbPath, kdfCost, keyProtector } = app.opts;
  return {
    'station.status': () => app.status(),
    'station.init': ({ passphrase, stationName }) => {
      initialiseStation(dbPath, { passphrase, stationName, kdfCost });
      app.open(unlockWithPassphrase(dbPath, passphrase, keyProtector));
      return app.status();
    },
    'station.unlock': ({ passphrase }) => {
      if (!app.isOpen) app.open(unlockWithPassphrase(dbPath, passphrase, keyProtector));
      return app.status();
    },
    'station.lock': async () => {
      await app.close();
      return app.status();
    },
    'ui.language': ({ lang }) => {
      app.opts.onLanguage?.(lang);
      return { lang };
    },
    'manifest.import': ({ fileName, bytes }, { ctx, actor }) =>
      app.unlocked().inbound.importManifest(actor, fileName, bytes, (p) => ctx.emit('import.progress', { fileName, ...p })),
  };
}
