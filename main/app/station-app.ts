// Composition root for main-process services: owns the (un)locked station and
// binds the IPC handlers. Plain Node: the Electron shell, the CLI and the e2e
// harness all build the same thing.
import { AppError } from '../../shared/errors';
import type { StationStatus } from '../../shared/ipc/contract';
import { ParcelLookup } from '../counter/lookup';
import type { KeyProtector } from '../crypto/key-protector';
import { importManifest } from '../inbound/import-manifest';
import { createRouter, type Handlers, type Router } from '../ipc/router';
import {
  initialiseStation,
  isInitialised,
  unlockWithPassphrase,
  unlockWithProtector,
  type KdfCost,
  type Station,
} from '../store/station';

export interface StationAppOptions {
  dbPath: string;
  kdfCost?: KdfCost;
  keyProtector?: KeyProtector;
  /** Unexpected errors (bugs), for the shell's log. Never given personal data. */
  onInternalError?: (e: unknown) => void;
}

export interface StationApp {
  router: Router;
  /** Unlocks from the OS keystore if a copy is held there; true when unlocked. */
  tryAutoUnlock(): boolean;
  close(): void;
}

interface Unlocked {
  station: Station;
  lookup: ParcelLookup;
}

export function createStationApp(opts: StationAppOptions): StationApp {
  let session: Unlocked | null = null;

  const open = (station: Station): void => {
    session?.station.close();
    session = { station, lookup: new ParcelLookup(station) };
  };
  const requireUnlocked = (): Unlocked => {
    if (!session) throw new AppError(isInitialised(opts.dbPath) ? 'LOCKED' : 'NOT_INITIALISED');
    return session;
  };
  const status = (): StationStatus => ({
    initialised: session !== null || isInitialised(opts.dbPath),
    unlocked: session !== null,
    stationName: session?.station.name ?? null,
  });

  const handlers: Handlers = {
    'station.status': () => status(),
    'station.init': ({ passphrase, stationName }) => {
      initialiseStation(opts.dbPath, { passphrase, stationName, kdfCost: opts.kdfCost });
      open(unlockWithPassphrase(opts.dbPath, passphrase, opts.keyProtector));
      return status();
    },
    'station.unlock': ({ passphrase }) => {
      open(unlockWithPassphrase(opts.dbPath, passphrase, opts.keyProtector));
      return status();
    },
    'station.lock': () => {
      session?.station.close();
      session = null;
      return status();
    },
    'manifest.import': ({ fileName, bytes }, ctx) =>
      importManifest(requireUnlocked().station, fileName, bytes, (p) =>
        ctx.emit('import.progress', { fileName, ...p }),
      ),
    'parcels.lookup': (query) => requireUnlocked().lookup.find(query),
  };

  return {
    router: createRouter(handlers, opts.onInternalError),
    tryAutoUnlock() {
      if (session) return true;
      if (!opts.keyProtector || !isInitialised(opts.dbPath)) return false;
      const station = unlockWithProtector(opts.dbPath, opts.keyProtector);
      if (station) open(station);
      return session !== null;
    },
    close() {
      session?.station.close();
      session = null;
    },
  };
}
