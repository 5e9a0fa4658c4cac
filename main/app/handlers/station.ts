// Handlers: station store lifecycle, manifest import, masked lookup.
import { importManifest } from '../../inbound/import-manifest';
import type { Handlers } from '../../ipc/router';
import { initialiseStation, unlockWithPassphrase } from '../../store/station';
import type { AppContext } from '../context';

type StationHandlers = Pick<
  Handlers,
  'station.status' | 'station.init' | 'station.unlock' | 'station.lock' | 'manifest.import' | 'parcels.lookup'
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
      app.open(unlockWithPassphrase(dbPath, passphrase, keyProtector));
      return app.status();
    },
    'station.lock': () => {
      app.close();
      return app.status();
    },
    'manifest.import': ({ fileName, bytes }, { ctx }) =>
      importManifest(app.unlocked().station, fileName, bytes, (p) => ctx.emit('import.progress', { fileName, ...p }), app.now),
    'parcels.lookup': (query) => app.unlocked().lookup.find(query),
  };
}
