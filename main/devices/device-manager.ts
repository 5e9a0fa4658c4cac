// The device layer for one unlocked station: lists HID devices, remembers
// which is the scanner and which the label printer (a HID device, or any
// connection named by URI), reopens them when they are plugged back in or
// reachable again, turns scanner reports into scans and drains the print
// queue. State changes are pushed through onStatus so the UI can always show
// whether each device is connected.
import { AppError } from '../../shared/errors';
import type {
  DeviceChoice,
  DeviceRole,
  DeviceStatus,
  PrinterLanguage,
  PrinterProblem,
  PrintJobSummary,
  UriChoice,
} from '../../shared/devices';
import { holdsQueue } from '../../shared/devices';
import { normaliseDeviceUri, parseDeviceUri } from '../../shared/printer-uri';
import type { ScanEvent } from '../../shared/scan';
import type { Tx } from '../store/engine/store';
import type { Station } from '../store/station';
import { DeviceChoices, deviceKey, findDevice } from './device-choices';
import type { Connection, Connections } from './connections';
import { SerialScanDecoder } from './connections/serial-scanner';
import { DeviceUris } from './device-uris';
import { HidPosDecoder } from './hid-pos';
import { isHidPosScanner, type HidBackend, type HidDeviceInfo, type HidTransport } from './hid-transport';
import { hidChannel, type ByteTransport } from './printer-channel';
import { PrinterLink } from './printer-link';
import { PrintJobs, type PendingJob } from './print-jobs';
import { checkFraming } from './report-framing';
import { systemTimers, type Timers } from '../time/timers';

export interface DeviceManagerOptions {
  backend: HidBackend;
  /** Printers and scanners chosen by URI; none: only HID devices can be used. */
  connections?: Connections;
  station: Pick<Station, 'store' | 'keys'>;
  /**
   * The counter PC whose devices and print queue these are: on a station
   * server each counter keeps its own rows; a file store is one PC's (none: '').
   */
  workstation?: string;
  timers?: Timers;
  /** Hot-plug check interval. */
  pollMs?: number;
  /** How long a printer has to answer a status request. */
  statusTimeoutMs?: number;
  /** Transmissions a job gets before it is marked failed. */
  maxAttempts?: number;
  /** Device problems for the log: reasons only, never scanned or printed content. */
  warn?: (message: string) => void;
}

interface Slot {
  status: DeviceStatus;
  choice: DeviceChoice | null;
  /** Set instead of `choice` for a device chosen by URI. */
  uri: UriChoice | null;
  transport: HidTransport | null;
  link: PrinterLink | null;
}

type Listener<T> = (value: T) => void;

interface Events {
  status: DeviceStatus;
  scan: ScanEvent;
  job: PrintJobSummary;
}

const ROLES: readonly DeviceRole[] = ['scanner', 'printer'];
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class DeviceManager {
  private readonly backend: HidBackend;
  private readonly connections: Connections | null;
  private readonly store: Station['store'];
  private readonly uris: DeviceUris;
  private readonly timers: Timers;
  private readonly pollMs: number;
  private readonly statusTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly warn: (message: string) => void;
  private readonly choices: DeviceChoices;
  private readonly jobs: PrintJobs;
  /** Whose devices and queue these are ('' on a station file, which is one PC's). */
  readonly workstation: string;
  private readonly slots: Record<DeviceRole, Slot>;
  private readonly listeners: { [K in keyof Events]: Set<Listener<Events[K]>> } = { status: new Set(), scan: new Set(), job: new Set() };
  private interval: unknown = null;
  private polling: Promise<void> | null = null;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private loading: Promise<void> | null = null;
  private loaded = false;
  private closed = false;

  constructor(opts: DeviceManagerOptions) {
    this.backend = opts.backend;
    this.connections = opts.connections ?? null;
    this.store = opts.station.store;
    this.workstation = opts.workstation ?? '';
    this.uris = new DeviceUris(opts.station.store, this.workstation);
    this.timers = opts.timers ?? systemTimers;
    this.pollMs = opts.pollMs ?? 1500;
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.warn = opts.warn ?? ((m) => console.warn(`[devices] ${m}`));
    this.choices = new DeviceChoices(opts.station.store, this.workstation);
    this.jobs = new PrintJobs(opts.station, this.workstation);
    const slot = (role: DeviceRole): Slot => ({ choice: null, uri: null, transport: null, link: null, status: { role, state: 'not-chosen', device: null, problems: [], error: null } });
    this.slots = { scanner: slot('scanner'), printer: slot('printer') };
  }

  /** Resolves once the choices remembered in the store are read (status() shows them from then on). */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      for (const role of ROLES) {
        const slot = this.slots[role];
        slot.choice = await this.choices.get(role);
        slot.uri = await this.uris.get(role);
        const state = slot.choice || slot.uri ? 'disconnected' : 'not-chosen';
        slot.status = { ...slot.status, state, device: identityOf(slot.choice), ...uriOf(slot.uri) };
      }
      this.loaded = true;
    })();
    return this.loading;
  }

  /** Resumes the queue left by the last session and starts watching for devices. */
  async start(): Promise<void> {
    await this.ready();
    const recovered = await this.jobs.recoverInterrupted();
    if (recovered) this.warn(`${recovered} print job(s) were cut off by the app closing; they will print again`);
    await this.poll();
    if (this.closed) return;
    // A store that cannot be reached (a lost server) fails one poll, not the next.
    this.interval = this.timers.setInterval(() => {
      this.poll().catch((e: unknown) => this.warn(`devices: ${messageOf(e)}`));
    }, this.pollMs);
  }

  /** Stops polling and closes the devices; an unfinished job is left queued where it stopped. Await before closing the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.interval !== null) this.timers.clearInterval(this.interval);
    await this.polling;
    for (const role of ROLES) if (this.slots[role].transport) await this.disconnect(this.slots[role], { state: 'disconnected' });
    await this.idle();
  }

  /** Resolves once no hot-plug check or queue drain is running (for shutdown, the CLI and tests). */
  async idle(): Promise<void> {
    while (this.polling || this.pumping) await (this.polling ?? this.pumping);
  }

  /** Devices plugged in now. Throws AppError('HID_UNAVAILABLE') when the HID driver cannot be loaded. */
  list(): HidDeviceInfo[] {
    return this.backend.list();
  }

  status(): DeviceStatus[] {
    return ROLES.map((r) => this.slots[r].status);
  }

  /** The supervisor's pick, remembered in the store; the device is (re)opened right away. */
  async choose(choice: DeviceChoice): Promise<void> {
    if (choice.role === 'scanner' && choice.usagePage !== undefined && !isHidPosScanner(choice)) {
      throw new AppError('NOT_A_POS_SCANNER');
    }
    if (choice.role === 'printer') {
      try {
        checkFraming(choice);
      } catch (e) {
        throw new AppError('INVALID_INPUT', messageOf(e));
      }
    }
    await this.remember(choice.role, async (tx) => {
      await this.uris.forget(tx, choice.role);
      await this.choices.set(tx, choice);
    });
    await this.replaceChoice(choice.role, choice);
  }

  /** A printer or scanner named by URI; it replaces any HID device in that role. */
  async chooseUri(choice: UriChoice): Promise<void> {
    const uri = normaliseDeviceUri(choice.uri);
    const kind = uri && parseDeviceUri(uri)!.kind;
    if (!kind) throw new AppError('PRINTER_URI_INVALID', choice.uri);
    if ((choice.role === 'scanner') !== (kind === 'serial')) throw new AppError('PRINTER_URI_INVALID', `${kind}:// cannot be the ${choice.role}`);
    const chosen = { ...choice, uri };
    await this.remember(choice.role, async (tx) => {
      await this.choices.forget(tx, choice.role);
      await this.uris.set(tx, chosen);
    });
    await this.replaceChoice(choice.role, null, chosen);
  }

  async forget(role: DeviceRole): Promise<void> {
    await this.remember(role, async (tx) => {
      await this.choices.forget(tx, role);
      await this.uris.forget(tx, role);
    });
    await this.replaceChoice(role, null);
  }

  /** Queues a label; it prints as soon as the printer is connected and ready. */
  async print(format: PrinterLanguage, payload: Uint8Array): Promise<PrintJobSummary> {
    await this.ready();
    return this.announce(await this.store.transaction((tx) => this.enqueue(tx, format, payload)));
  }

  /**
   * Queues a label in the caller's transaction; announce() it once that has
   * committed. After ready(): the store cannot be read while `tx` holds it.
   */
  enqueue(tx: Tx, format: PrinterLanguage, payload: Uint8Array): Promise<PrintJobSummary> {
    return this.jobs.enqueue(tx, this.printerKey(), format, payload);
  }

  /** Job `jobId` again, queued in the caller's transaction (after ready()); announce() it once that has committed. */
  reprint(tx: Tx, jobId: number): Promise<PrintJobSummary> {
    return this.jobs.reprint(tx, jobId, this.printerKey());
  }

  /** A job committed to the queue: shown, and sent when the printer is ready. */
  announce(job: PrintJobSummary): PrintJobSummary {
    this.emit('job', job);
    this.pump();
    return job;
  }

  printJobs(limit?: number): Promise<PrintJobSummary[]> {
    return this.jobs.list(limit);
  }

  onStatus(cb: Listener<DeviceStatus>): () => void {
    return subscribe(this.listeners.status, cb);
  }

  onScan(cb: Listener<ScanEvent>): () => void {
    return subscribe(this.listeners.scan, cb);
  }

  /** Every change of a print job's status. */
  onJob(cb: Listener<PrintJobSummary>): () => void {
    return subscribe(this.listeners.job, cb);
  }

  /** One hot-plug check: open what appeared, drop what went, then drain the queue. The interval calls it. */
  poll(): Promise<void> {
    this.polling ??= (async () => {
      try {
        await this.reconcileAll();
      } finally {
        // Cleared in the same turn the work ends, so no caller is handed a finished poll.
        this.polling = null;
      }
    })();
    return this.polling;
  }

  private async reconcileAll(): Promise<void> {
    await this.ready();
    if (this.closed) return;
    let present: HidDeviceInfo[] | null;
    try {
      present = this.backend.list();
    } catch (e) {
      const error = e instanceof AppError ? e : new AppError('HID_UNAVAILABLE', messageOf(e));
      // Shown on both roles, chosen or not, unless chosen by URI: without the driver no HID device can work.
      for (const role of ROLES) if (!this.slots[role].uri) await this.disconnect(this.slots[role], { state: 'error', error: error.toData() });
      present = null;
    }
    for (const role of ROLES) if (present || this.slots[role].uri) await this.reconcile(this.slots[role], present ?? []);
    this.pump();
  }

  private async reconcile(slot: Slot, present: readonly HidDeviceInfo[]): Promise<void> {
    if (slot.uri) return this.reconcileUri(slot, slot.uri);
    const { choice } = slot;
    if (!choice) {
      this.setStatus(slot, { state: 'not-chosen', error: null });
      return;
    }
    const device = findDevice(choice, present);
    if (slot.transport) {
      if (!device) await this.disconnect(slot, { state: 'disconnected' });
      return;
    }
    if (!device) {
      this.setStatus(slot, { state: 'disconnected', error: null });
      return;
    }
    const transport = this.backend.open(device);
    const error = await this.open(slot, transport);
    if (error) {
      if (slot.status.state !== 'error') this.warn(`${slot.status.role}: ${error.message}`);
      this.setStatus(slot, { state: 'error', error: error.toData() });
      return;
    }
    if (this.closed || slot.choice !== choice) {
      await transport.close().catch(() => {});
      return;
    }
    slot.transport = transport;
    if (choice.role === 'scanner') {
      const decoder = new HidPosDecoder({ warn: this.warn, now: () => this.timers.now() });
      transport.onData((report) => {
        const scan = decoder.push(report);
        if (scan) this.emit('scan', scan);
      });
    } else {
      slot.link = new PrinterLink(hidChannel(transport, choice), choice.language, this.timers, this.statusTimeoutMs);
    }
    this.setStatus(slot, { state: 'connected', error: null });
  }

  /** A device chosen by URI: connected when it can be opened; a printer that cannot be reached tells its queued jobs why. */
  private async reconcileUri(slot: Slot, choice: UriChoice): Promise<void> {
    if (slot.transport) return;
    let transport: ByteTransport;
    let printer: Connection | null = null;
    let error: AppError | null;
    try {
      if (!this.connections) throw new AppError('PRINTER_CONNECTION_UNSUPPORTED', choice.uri);
      const uri = parseDeviceUri(choice.uri)!;
      if (choice.role === 'printer') ({ transport } = printer = this.connections.printer(uri));
      else transport = this.connections.scanner(uri);
      error = await this.open(slot, transport);
    } catch (e) {
      error = e instanceof AppError ? e : new AppError('DEVICE_OPEN_FAILED', messageOf(e));
    }
    if (error) {
      const unreachable = error.code === 'PRINTER_UNREACHABLE';
      if (slot.status.error?.code !== error.code) this.warn(`${choice.role}: ${error.message}`);
      this.setStatus(slot, { state: unreachable ? 'disconnected' : 'error', problems: unreachable && printer ? ['offline'] : [], error: error.toData() });
      if (choice.role === 'printer') for (const job of await this.jobs.noteUnreachable(choice.uri, error.message)) this.emit('job', job);
      return;
    }
    if (this.closed || slot.uri !== choice) {
      await transport!.close().catch(() => {});
      return;
    }
    slot.transport = transport!;
    if (printer && choice.role === 'printer') {
      slot.link = new PrinterLink(printer.channel, choice.language, this.timers, this.statusTimeoutMs);
    } else {
      const decoder = new SerialScanDecoder({ warn: this.warn, now: () => this.timers.now() });
      transport!.onData((bytes) => {
        for (const scan of decoder.push(bytes)) this.emit('scan', scan);
      });
    }
    this.setStatus(slot, { state: 'connected', problems: [], error: null });
  }

  /** Opens a slot's transport, watching it for loss; the reason when it cannot be opened. */
  private async open(slot: Slot, transport: ByteTransport): Promise<AppError | null> {
    transport.onError((err) => {
      if (slot.transport !== transport) return;
      this.warn(`${slot.status.role}: ${err.message}`);
      void this.disconnect(slot, { state: 'disconnected' });
    });
    try {
      await transport.open();
      return null;
    } catch (e) {
      return e instanceof AppError ? e : new AppError('DEVICE_OPEN_FAILED', messageOf(e));
    }
  }

  /**
   * Writes a role's new choice. The device it replaces stops at once, before
   * the write: a label must not go on printing on the old printer meanwhile.
   */
  private async remember(role: DeviceRole, write: (tx: Tx) => Promise<void>): Promise<void> {
    const slot = this.slots[role];
    const stopped = slot.transport ? this.disconnect(slot, { state: 'disconnected' }) : Promise.resolve();
    await this.ready();
    await stopped;
    await this.store.transaction(write);
  }

  private async replaceChoice(role: DeviceRole, choice: DeviceChoice | null, uri: UriChoice | null = null): Promise<void> {
    const slot = this.slots[role];
    slot.choice = choice;
    slot.uri = uri;
    await this.disconnect(slot, { state: choice || uri ? 'disconnected' : 'not-chosen', device: identityOf(choice), ...uriOf(uri) });
    // A poll that looked at the old choice, or a job cut off on the old
    // printer, finishes first; only then do queued jobs move over.
    await this.idle();
    if (role === 'printer' && (choice || uri)) await this.jobs.retarget(this.printerKey());
    await this.poll();
  }

  private async disconnect(slot: Slot, patch: Pick<DeviceStatus, 'state'> & Partial<DeviceStatus>): Promise<void> {
    const transport = slot.transport;
    slot.link?.abandon();
    slot.transport = null;
    slot.link = null;
    this.setStatus(slot, { problems: [], error: null, ...patch });
    await transport?.close().catch((e: unknown) => this.warn(`${slot.status.role}: close failed: ${messageOf(e)}`));
  }

  /** The chosen printer's command language, or null when no printer is chosen. */
  printerLanguage(): PrinterLanguage | null {
    const { choice, uri } = this.slots.printer;
    if (uri?.role === 'printer') return uri.language;
    return choice?.role === 'printer' ? choice.language : null;
  }

  /** Print jobs name their printer by its URI, or a HID printer by its ids. */
  private printerKey(): string {
    if (!this.loaded) throw new Error('device choices not read yet: await ready() first');
    const { choice, uri } = this.slots.printer;
    if (uri) return uri.uri;
    if (!choice) throw new AppError('PRINTER_NOT_CHOSEN');
    return deviceKey(choice);
  }

  /** Single-flight: a request while the queue is draining makes it look again before stopping. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = (async () => {
      try {
        do {
          this.pumpAgain = false;
          await this.drain();
        } while (this.pumpAgain && !this.closed);
      } catch (e) {
        this.warn(`print queue stopped: ${messageOf(e)}`);
      } finally {
        // Same turn as the last check of pumpAgain: a request can never fall in between.
        this.pumping = null;
      }
    })();
  }

  /** Prints queued jobs in order while the printer stays connected and reports no problem. */
  private async drain(): Promise<void> {
    const slot = this.slots.printer;
    const { link } = slot;
    const language = this.printerLanguage();
    if (!language || !link) return;
    const key = this.printerKey();
    while (slot.link === link && !this.closed) {
      // Asked before every job: paper can run out between two labels.
      let problems: PrinterProblem[] | null;
      try {
        problems = await link.status();
      } catch (e) {
        await this.lost(slot, link, e);
        return;
      }
      if (problems) this.setStatus(slot, { problems });
      if (problems?.some(holdsQueue)) return; // held until a poll finds the printer ready
      const job = await this.jobs.next(key);
      if (!job) return;
      if (!(await this.send(slot, link, language, job))) return;
    }
  }

  /** False when the printer was lost mid-job; the job is then back in the queue (or failed, after maxAttempts). */
  private async send(slot: Slot, link: PrinterLink, language: PrinterLanguage, job: PendingJob): Promise<boolean> {
    if (job.format !== language) {
      await this.jobs.failed(job.id, new AppError('PRINTER_FORMAT_MISMATCH', `${job.format} → ${language}`).message);
      this.emit('job', await this.jobs.get(job.id));
      return true;
    }
    await this.jobs.started(job.id);
    this.emit('job', await this.jobs.get(job.id));
    let sent = job.bytesSent;
    try {
      await link.send(job.payload, sent, (n) => (sent = n));
    } catch (e) {
      // Closing the station is no fault of the job.
      if (!this.closed && job.attempts + 1 >= this.maxAttempts) await this.jobs.failed(job.id, messageOf(e));
      else await this.jobs.interrupted(job.id, sent, messageOf(e));
      this.emit('job', await this.jobs.get(job.id));
      await this.lost(slot, link, e);
      return false;
    }
    await this.jobs.done(job.id, sent);
    this.emit('job', await this.jobs.get(job.id));
    return true;
  }

  /** A write failed: the device is treated as gone until a poll finds and reopens it. */
  private async lost(slot: Slot, link: PrinterLink, e: unknown): Promise<void> {
    if (slot.link !== link) return;
    this.warn(`printer: ${messageOf(e)}`);
    await this.disconnect(slot, { state: 'disconnected' });
  }

  private setStatus(slot: Slot, patch: Partial<DeviceStatus>): void {
    const next = { ...slot.status, ...patch };
    if (JSON.stringify(next) === JSON.stringify(slot.status)) return;
    slot.status = next;
    this.emit('status', next);
  }

  private emit<K extends keyof Events>(kind: K, value: Events[K]): void {
    for (const cb of this.listeners[kind]) {
      try {
        cb(value);
      } catch (e) {
        this.warn(`${kind} listener failed: ${messageOf(e)}`);
      }
    }
  }
}

function subscribe<T>(set: Set<Listener<T>>, cb: Listener<T>): () => void {
  set.add(cb);
  return () => set.delete(cb);
}

const uriOf = (uri: UriChoice | null): Pick<DeviceStatus, 'uri'> => ({ uri: uri?.uri });

function identityOf(choice: DeviceChoice | null): DeviceStatus['device'] {
  if (!choice) return null;
  const { vendorId, productId, serialNumber, path, usagePage, interface: iface, product } = choice;
  return { vendorId, productId, serialNumber, path, usagePage, interface: iface, product };
}
