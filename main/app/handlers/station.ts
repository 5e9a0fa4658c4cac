// Handlers: station store lifecycle and manifest import.
import type { Handlers } from '../../ipc/router';
import { initialiseStationAt, openStation } from '../../store/station';
import type { AppContext } from '../context';

type StationHandlers = Pick<
  Handlers,
  'station.status' | 'station.init' | 'station.unlock' | 'station.lock' | 'ui.language' | 'manifest.import'
>;

export function stationHandlers(app: AppContext): StationHandlers {
  const { dbPath, kdfCost, keyProtector } = app.opts;
  return {
    'station.status': () => app.status(),
    'station.init': async ({ passphrase, stationName }) => {
      await initialiseStationAt(dbPath, { passphrase, stationName, kdfCost });
      app.open(await openStation(dbPath, passphrase, keyProtector, { workstation: app.workstation }));
      return app.status();
    },
    'station.unlock': async ({ passphrase }) => {
      if (!app.isOpen) {
        const station = await openStation(dbPath, passphrase, keyProtector, { workstation: app.workstation });
        // Two unlocks in flight: the second one's station is not needed.
        if (app.isOpen) await station.close();
        else app.open(station);
      }
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
