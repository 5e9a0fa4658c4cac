// What every handler group gets: the options, the unlocked station's services
// and the station lifecycle. One place builds the services for an unlocked
// station, so handlers never construct their own.
import { hostname } from 'node:os';
import { AppError } from '../../shared/errors';
import type { StationStatus } from '../../shared/ipc/contract';
import { AuditLog } from '../audit/audit-log';
import { lookupViewed, scannedIn } from '../audit/events';
import { Oversight } from '../audit/oversight';
import { Accounts } from '../auth/accounts';
import type { HashCost } from '../auth/password';
import { Sessions } from '../auth/sessions';
import { PickupDesk } from '../counter/pickup';
import { ProblemFlags } from '../counter/problems';
import { ReturnDesk } from '../counter/returns';
import { ScanIn } from '../inbound/scan-in';
import type { KeyProtector } from '../crypto/key-protector';
import { CHECKPOINT_MAX_AGE_MS } from '../chain/chain-log';
import { DeviceManager } from '../devices/device-manager';
import type { HidBackend } from '../devices/hid-transport';
import { systemTimers, type Timers } from '../time/timers';
import type { EventName, EventPayloads } from '../../shared/ipc/contract';
import { sealStationChains } from '../exports/seal';
import { ShredLedger } from '../ledger/shred-ledger';
import { Lifecycle } from '../lifecycle/lifecycle';
import { settingsOf, type Settings } from '../settings/settings';
import { isInitialised, readStationName, type KdfCost, type Station } from '../store/station';

export interface StationAppOptions {
  dbPath: string;
  kdfCost?: KdfCost;
  /** Staff password/PIN hashing cost; tests lower it. */
  hashCost?: HashCost;
  keyProtector?: KeyProtector;
  workstation?: string;
  now?: () => Date;
  /** Unexpected errors (bugs), for the shell's log. Never given personal data. */
  onInternalError?: (e: unknown) => void;
  /** USB HID access (node-hid in the app, virtual devices in tests and demos); none: no devices. */
  hidBackend?: HidBackend;
  /** Events main pushes without a request (device status, HID scans, print jobs). */
  emit?: <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
  /** Device problems for the log: reasons only. */
  warn?: (message: string) => void;
  /** The hourly signing of the chains and the lifecycle's schedule; tests drive them. */
  timers?: Timers;
}

export interface Services {
  station: Station;
  settings: Settings;
  accounts: Accounts;
  sessions: Sessions;
  oversight: Oversight;
  scanIn: ScanIn;
  pickup: PickupDesk;
  returns: ReturnDesk;
  problems: ProblemFlags;
  ledger: ShredLedger;
  /** Retention, data-subject requests, incidents, backups, key rotation; its scheduler runs while unlocked. */
  lifecycle: Lifecycle;
  /** Null when the app runs without USB access. */
  devices: DeviceManager | null;
}

export class AppContext {
  private services: Services | null = null;
  private hourlySeal: unknown = null;
  readonly now: () => Date;

  readonly workstation: string;

  constructor(readonly opts: StationAppOptions) {
    this.now = opts.now ?? (() => new Date());
    this.workstation = opts.workstation ?? hostname();
  }

  open(station: Station): void {
    if (this.services) throw new AppError('INTERNAL', 'station opened twice');
    const settings = settingsOf(station.db);
    const accounts = new Accounts(station, this.now, this.opts.hashCost);
    const sessions = new Sessions(accounts, settings, this.workstation, this.now);
    sessions.onShiftClosed = () => sealStationChains(station, 'shift-close', this.now());
    const audit = new AuditLog(station, this.now);
    const oversight = new Oversight(station, audit, sessions, settings, this.now);
    const now = this.now;
    this.services = {
      station,
      settings,
      accounts,
      sessions,
      oversight,
      scanIn: new ScanIn(station, { now, onScanned: (actor, facts) => oversight.record(scannedIn(actor, facts)) }),
      // Which parcels appeared on whose screen; the tail feeds the browsing rule and is not logged.
      pickup: new PickupDesk(station, {
        now,
        onLookup: (actor, query, parcelIds) =>
          oversight.record(lookupViewed(actor, query, parcelIds), {
            kind: 'lookup',
            tail: query.by === 'tail' ? query.value : undefined,
          }),
      }),
      returns: new ReturnDesk(station, { now }),
      problems: new ProblemFlags(station, { now }),
      ledger: new ShredLedger(station, settings, now),
      lifecycle: new Lifecycle(station, {
        settings,
        audit,
        record: (e) => oversight.record(e),
        now,
        workstation: this.workstation,
        keyProtector: this.opts.keyProtector,
        emit: (p) => this.opts.emit?.('lifecycle.progress', p),
        warn: this.opts.warn,
        timers: this.opts.timers,
      }),
      devices: this.startDevices(station),
    };
    this.services.lifecycle.start();
    // Entries after the newest checkpoint can be cut off without trace: an hour with activity is
    // signed within the hour even when nothing follows it (a head already signed adds nothing).
    this.hourlySeal = (this.opts.timers ?? systemTimers).setInterval(() => {
      try {
        sealStationChains(station, 'hourly', this.now());
      } catch (e) {
        this.opts.warn?.(`chains: hourly checkpoint failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, CHECKPOINT_MAX_AGE_MS);
  }

  private startDevices(station: Station): DeviceManager | null {
    const { hidBackend, emit = () => {}, warn = () => {} } = this.opts;
    if (!hidBackend) return null;
    const devices = new DeviceManager({ backend: hidBackend, station, warn });
    devices.onStatus((status) => emit('devices.status', status));
    devices.onScan((scan) => emit('scan', scan));
    devices.onJob((job) => emit('print.job', job));
    devices.start().catch((e: unknown) => warn(`devices: start failed: ${e instanceof Error ? e.message : String(e)}`));
    return devices;
  }

  /** Devices let go of the store (queue writes) before it closes. */
  async close(): Promise<void> {
    const services = this.services;
    this.services = null;
    if (!services) return;
    (this.opts.timers ?? systemTimers).clearInterval(this.hourlySeal);
    this.hourlySeal = null;
    await services.lifecycle.close();
    if (services.devices) await services.devices.close();
    services.station.close();
  }

  get isOpen(): boolean {
    return this.services !== null;
  }

  unlocked(): Services {
    if (!this.services) throw new AppError(isInitialised(this.opts.dbPath) ? 'LOCKED' : 'NOT_INITIALISED');
    return this.services;
  }

  status(): StationStatus {
    const initialised = this.services !== null || isInitialised(this.opts.dbPath);
    return {
      initialised,
      unlocked: this.services !== null,
      stationName: this.services?.station.name ?? (initialised ? readStationName(this.opts.dbPath) : null),
    };
  }
}
