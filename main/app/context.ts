// What every handler group gets: the options, the unlocked station's
// application services (built by services/index.ts, as for the CLI) and the
// station lifecycle (init, unlock, lock), which creates and ends them.
import { hostname } from 'node:os';
import { AppError } from '../../shared/errors';
import type { EventName, EventPayloads, StationStatus } from '../../shared/ipc/contract';
import type { Connections } from '../devices/connections';
import { DeviceManager } from '../devices/device-manager';
import type { HidBackend } from '../devices/hid-transport';
import type { HashCost } from '../auth/password';
import type { KeyProtector } from '../crypto/key-protector';
import { CHECKPOINT_MAX_AGE_MS } from '../chain/chain-log';
import { sealStationChains } from '../exports/seal';
import { systemTimers, type Timers } from '../time/timers';
import { isServerUrl } from '../store/engine/open-store';
import { asStationChange, StationEvents } from '../store/engine/postgres-events';
import { isEmbedded, isInitialised, isStationAt, stationNameAt, type KdfCost, type Station } from '../store/station';
import { createServices, type AppServices } from './services';

export interface StationAppOptions {
  /** The store: a file path, or the station server's postgres:// URL. */
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
  /** Printers and scanners by URI (USB Printer Class, network, OS queues, virtual COM); none: HID only. */
  connections?: Connections;
  /** Events main pushes without a request (device status, HID scans, print jobs). */
  emit?: <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
  /** Device problems for the log: reasons only. */
  warn?: (message: string) => void;
  /** Keeps the UI language the person chose, for the shell to start the next window in its locale. */
  onLanguage?: (lang: 'zh' | 'en') => void;
  /** The shell's folder dialog (a chosen absolute path, or null when cancelled); none outside Electron. */
  chooseFolder?: () => Promise<string | null>;
  /** The hourly signing of the chains and the lifecycle's schedule; tests drive them. */
  timers?: Timers;
}

export class AppContext {
  private services: AppServices | null = null;
  private hourlySeal: unknown = null;
  /** A station server store's push connection: other counters' changes, and whether the server is there. */
  private serverEvents: Promise<StationEvents | null> | null = null;
  readonly now: () => Date;

  readonly workstation: string;

  constructor(readonly opts: StationAppOptions) {
    this.now = opts.now ?? (() => new Date());
    this.workstation = opts.workstation ?? hostname();
  }

  open(station: Station): void {
    if (this.services) throw new AppError('INTERNAL', 'station opened twice');
    this.services = createServices(station, {
      now: this.now,
      workstation: this.workstation,
      hashCost: this.opts.hashCost,
      keyProtector: this.opts.keyProtector,
      emit: (p) => this.opts.emit?.('lifecycle.progress', p),
      warn: this.opts.warn,
      timers: this.opts.timers,
      devices: (s) => this.startDevices(s),
      connections: this.opts.connections,
    });
    this.services.lifecycle.start();
    this.services.notify.start();
    if (isServerUrl(this.opts.dbPath)) this.serverEvents = this.listen(this.opts.dbPath);
    // Entries after the newest checkpoint can be cut off without trace: an hour with activity is
    // signed within the hour even when nothing follows it (a head already signed adds nothing).
    this.hourlySeal = (this.opts.timers ?? systemTimers).setInterval(() => {
      sealStationChains(station, 'hourly', this.now()).catch((e: unknown) => {
        this.opts.warn?.(`chains: hourly checkpoint failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    }, CHECKPOINT_MAX_AGE_MS);
  }

  private startDevices(station: Station): DeviceManager | null {
    const { hidBackend, connections, emit = () => {}, warn = () => {} } = this.opts;
    if (!hidBackend) return null;
    // A file store is this PC's alone; on a server each counter's devices and queue are its own rows.
    const workstation = isEmbedded(station) ? '' : this.workstation;
    const devices = new DeviceManager({ backend: hidBackend, connections, station, workstation, warn });
    devices.onStatus((status) => emit('devices.status', status));
    devices.onScan((scan) => emit('scan', scan));
    devices.onJob((job) => emit('print.job', job));
    devices.start().catch((e: unknown) => warn(`devices: start failed: ${e instanceof Error ? e.message : String(e)}`));
    return devices;
  }

  /** Passes the server's notifications and its connection's state on to the renderer, as events. */
  private listen(url: string): Promise<StationEvents | null> {
    const { emit = () => {}, warn = () => {} } = this.opts;
    return StationEvents.open(url, {
      message: (payload) => {
        const change = asStationChange(payload);
        if (change) emit('station.changed', change);
      },
      connection: (state) => emit('station.server', { state }),
    }).catch((e: unknown) => {
      // The store itself still reports a lost server at the next request.
      warn(`station events: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    });
  }

  async close(): Promise<void> {
    const services = this.services;
    this.services = null;
    const events = this.serverEvents;
    this.serverEvents = null;
    await (await events)?.close();
    (this.opts.timers ?? systemTimers).clearInterval(this.hourlySeal);
    this.hourlySeal = null;
    await services?.close();
  }

  get isOpen(): boolean {
    return this.live() !== null;
  }

  /**
   * The services, unless the station's key was rotated by another counter
   * (a write found it, station.ts): then this counter locks, and its next
   * unlock, with the passphrase, opens the new key.
   */
  private live(): AppServices | null {
    if (this.services?.station.keyChanged) {
      this.close().catch((e: unknown) => this.opts.warn?.(`lock after a key change elsewhere: ${e instanceof Error ? e.message : String(e)}`));
    }
    return this.services;
  }

  unlocked(): AppServices {
    const services = this.live();
    // Not asking a server on every request: `status` says whether it holds a station.
    if (!services) throw new AppError(isServerUrl(this.opts.dbPath) || isInitialised(this.opts.dbPath) ? 'LOCKED' : 'NOT_INITIALISED');
    return services;
  }

  /** Rejects with the store's own error (STORE_UNREACHABLE, …) when a server cannot be asked. */
  async status(): Promise<StationStatus> {
    const services = this.live();
    if (services) return { initialised: true, unlocked: true, stationName: services.station.name };
    const initialised = await isStationAt(this.opts.dbPath);
    return { initialised, unlocked: false, stationName: initialised ? await stationNameAt(this.opts.dbPath) : null };
  }
}
