// The composition root of the application services: one place builds them
// for an unlocked station, for the app (context.ts) and the admin CLI alike,
// so both run the same checks and record the same audit entries.
import { AuditLog } from '../../audit/audit-log';
import { Oversight } from '../../audit/oversight';
import { Accounts } from '../../auth/accounts';
import type { HashCost } from '../../auth/password';
import { Sessions } from '../../auth/sessions';
import type { KeyProtector } from '../../crypto/key-protector';
import type { Connections } from '../../devices/connections';
import type { DeviceManager } from '../../devices/device-manager';
import { sealStationChains } from '../../exports/seal';
import { Lifecycle, type LifecycleOptions } from '../../lifecycle/lifecycle';
import { Settings } from '../../settings/settings';
import type { Station } from '../../store/station';
import type { Timers } from '../../time/timers';
import { AccountsService } from './accounts';
import { ClosingService } from './closing';
import { CounterService } from './counter';
import type { ServiceDeps } from './deps';
import { DevicesService } from './devices';
import { InboundService } from './inbound';
import { LedgerService } from './ledger';
import { NotifyService } from './notify';
import { OversightService } from './oversight';
import { PhotosService } from './photos';
import { ShelvesService } from './shelves';
import { StocktakeService } from './stocktake';
import { Transactions } from './transaction';

export interface ServiceOptions {
  now: () => Date;
  workstation: string;
  /** Staff password/PIN hashing cost; tests lower it. */
  hashCost?: HashCost;
  keyProtector?: KeyProtector;
  /** The lifecycle scheduler's progress, which nobody's request is waiting for. */
  emit?: LifecycleOptions['emit'];
  warn?: (message: string) => void;
  /** USB devices for this station; none in the CLI or without USB access. */
  devices?: (station: Station) => DeviceManager | null;
  /** Printers by URI (discovery, the CLI's one-off jobs); none: not offered. */
  connections?: Connections;
  /** The lifecycle's schedule; tests drive it. */
  timers?: Timers;
}

/** One application service per domain, and what the IPC authoriser needs. */
export interface AppServices {
  station: Station;
  sessions: Sessions;
  /** The anomaly rules' gate before every request. */
  oversight: Oversight;
  /** The one way an action opens a transaction (the authoriser's anomaly check too). */
  tx: Transactions;
  accounts: AccountsService;
  audit: OversightService;
  counter: CounterService;
  inbound: InboundService;
  ledger: LedgerService;
  devices: DevicesService;
  stocktake: StocktakeService;
  shelves: ShelvesService;
  closing: ClosingService;
  photos: PhotosService;
  /** Retention, data-subject requests, incidents, backups, key rotation; its scheduler runs while the app is unlocked. */
  lifecycle: Lifecycle;
  /** Pickup notices; its background drain runs while the app is unlocked. */
  notify: NotifyService;
  /** Devices let go of the store (queue writes) before it closes. */
  close(): Promise<void>;
}

export function createServices(station: Station, opts: ServiceOptions): AppServices {
  const { now, workstation } = opts;
  const settings = new Settings();
  const accounts = new Accounts(station, now, opts.hashCost);
  const sessions = new Sessions(station.store, accounts, settings, workstation, now);
  sessions.onShiftClosed = () => sealStationChains(station, 'shift-close', now());
  const auditLog = new AuditLog(station, now);
  const oversight = new Oversight(auditLog, sessions, settings, now);
  const tx = new Transactions(station);
  const deps: ServiceDeps = { station, settings, accounts, sessions, oversight, tx, now, workstation };
  const lifecycle = new Lifecycle(station, {
    settings,
    audit: auditLog,
    record: (t, e) => oversight.record(t, e),
    transaction: (fn) => tx.run(fn),
    now,
    workstation,
    keyProtector: opts.keyProtector,
    emit: opts.emit,
    warn: opts.warn,
    timers: opts.timers,
  });
  const manager = opts.devices?.(station) ?? null;
  const ledger = new LedgerService(deps);
  const notify = new NotifyService(deps, opts.timers, opts.warn);
  const counter = new CounterService(deps);
  const photos = new PhotosService(deps, counter, opts.warn);
  const devices = new DevicesService(deps, manager, opts.connections ?? null);
  return {
    station,
    sessions,
    oversight,
    tx,
    accounts: new AccountsService(deps, () => ledger.outstandingCount()),
    audit: new OversightService(deps, () => lifecycle.restricted()),
    counter,
    inbound: new InboundService(deps),
    ledger,
    devices,
    stocktake: new StocktakeService(deps),
    shelves: new ShelvesService(deps, () => devices.labelSetup()),
    closing: new ClosingService(deps),
    photos,
    lifecycle,
    notify,
    async close() {
      await notify.close();
      await photos.settled();
      await lifecycle.close();
      if (manager) await manager.close();
      await station.close();
    },
  };
}
