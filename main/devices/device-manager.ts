// The device layer for one unlocked station: lists HID devices, remembers
// which is the scanner and which the label printer, reopens them when they
// are plugged back in, turns scanner reports into scans and drains the print
// queue. State changes are pushed through onStatus so the UI can always show
// whether each device is connected.
import { AppError } from '../../shared/errors';
import type {
  DeviceChoice,
  DeviceRole,
  DeviceStatus,
  PrinterChoice,
  PrinterLanguage,
  PrinterProblem,
  PrintJobSummary,
} from '../../shared/devices';
import type { ScanEvent } from '../../shared/scan';
import type { Station } from '../store/station';
import { DeviceChoices, deviceKey, findDevice } from './device-choices';
import { HidPosDecoder } from './hid-pos';
import { isHidPosScanner, type HidBackend, type HidDeviceInfo, type HidTransport } from './hid-transport';
import { PrinterLink } from './printer-link';
import { PrintJobs, type PendingJob } from './print-jobs';
import { checkFraming } from './report-framing';
import { systemTimers, type Timers } from '../time/timers';

export interface DeviceManagerOptions {
  backend: HidBackend;
  station: Pick<Station, 'db' | 'keys'>;
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
  private readonly timers: Timers;
  private readonly pollMs: number;
  private readonly statusTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly warn: (message: string) => void;
  private readonly choices: DeviceChoices;
  private readonly jobs: PrintJobs;
  private readonly slots: Record<DeviceRole, Slot>;
  private readonly listeners: { [K in keyof Events]: Set<Listener<Events[K]>> } = { status: new Set(), scan: new Set(), job: new Set() };
  private interval: unknown = null;
  private polling: Promise<void> | null = null;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private closed = false;

  constructor(opts: DeviceManagerOptions) {
    this.backend = opts.backend;
    this.timers = opts.timers ?? systemTimers;
    this.pollMs = opts.pollMs ?? 1500;
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.warn = opts.warn ?? ((m) => console.warn(`[devices] ${m}`));
    this.choices = new DeviceChoices(opts.station.db);
    this.jobs = new PrintJobs(opts.station);
    const slot = (role: DeviceRole): Slot => {
      const choice = this.choices.get(role);
      return { choice, transport: null, link: null, status: { role, state: choice ? 'disconnected' : 'not-chosen', device: identityOf(choice), problems: [], error: null } };
    };
    this.slots = { scanner: slot('scanner'), printer: slot('printer') };
  }

  /** Resumes the queue left by the last session and starts watching for devices. */
  async start(): Promise<void> {
    const recovered = this.jobs.recoverInterrupted();
    if (recovered) this.warn(`${recovered} print job(s) were cut off by the app closing; they will print again`);
    await this.poll();
    if (!this.closed) this.interval = this.timers.setInterval(() => void this.poll(), this.pollMs);
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
    this.choices.set(choice);
    await this.replaceChoice(choice.role, choice);
  }

  async forget(role: DeviceRole): Promise<void> {
    this.choices.forget(role);
    await this.replaceChoice(role, null);
  }

  /** Queues a label; it prints as soon as the printer is connected and ready. */
  print(format: PrinterLanguage, payload: Uint8Array): PrintJobSummary {
    return this.queued(this.jobs.enqueue(this.printerKey(), format, payload));
  }

  reprint(jobId: number): PrintJobSummary {
    return this.queued(this.jobs.reprint(jobId, this.printerKey()));
  }

  printJobs(limit?: number): PrintJobSummary[] {
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
    if (this.closed) return;
    let present: HidDeviceInfo[];
    try {
      present = this.backend.list();
    } catch (e) {
      const error = e instanceof AppError ? e : new AppError('HID_UNAVAILABLE', messageOf(e));
      // Shown on both roles, chosen or not: without the driver no device can work.
      for (const role of ROLES) await this.disconnect(this.slots[role], { state: 'error', error: error.toData() });
      return;
    }
    for (const role of ROLES) await this.reconcile(this.slots[role], present);
    this.pump();
  }

  private async reconcile(slot: Slot, present: readonly HidDeviceInfo[]): Promise<void> {
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
    transport.onError((err) => {
      if (slot.transport !== transport) return;
      this.warn(`${slot.status.role}: ${err.message}`);
      void this.disconnect(slot, { state: 'disconnected' });
    });
    try {
      await transport.open();
    } catch (e) {
      const error = new AppError('DEVICE_OPEN_FAILED', messageOf(e));
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
      slot.link = new PrinterLink(transport, choice, this.timers, this.statusTimeoutMs);
    }
    this.setStatus(slot, { state: 'connected', error: null });
  }

  private async replaceChoice(role: DeviceRole, choice: DeviceChoice | null): Promise<void> {
    const slot = this.slots[role];
    slot.choice = choice;
    await this.disconnect(slot, { state: choice ? 'disconnected' : 'not-chosen', device: identityOf(choice) });
    // A poll that looked at the old choice, or a job cut off on the old
    // printer, finishes first; only then do queued jobs move over.
    await this.idle();
    if (choice?.role === 'printer') this.jobs.retarget(deviceKey(choice));
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
    const printer = this.slots.printer.choice;
    return printer?.role === 'printer' ? printer.language : null;
  }

  private printerKey(): string {
    const printer = this.slots.printer.choice;
    if (!printer) throw new AppError('PRINTER_NOT_CHOSEN');
    return deviceKey(printer);
  }

  private queued(job: PrintJobSummary): PrintJobSummary {
    this.emit('job', job);
    this.pump();
    return job;
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
    const { choice, link } = slot;
    if (choice?.role !== 'printer' || !link) return;
    const key = deviceKey(choice);
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
      if (problems?.length) return; // held until a poll finds the printer ready
      const job = this.jobs.next(key);
      if (!job) return;
      if (!(await this.send(slot, link, choice, job))) return;
    }
  }

  /** False when the printer was lost mid-job; the job is then back in the queue (or failed, after maxAttempts). */
  private async send(slot: Slot, link: PrinterLink, printer: PrinterChoice, job: PendingJob): Promise<boolean> {
    if (job.format !== printer.language) {
      this.jobs.failed(job.id, new AppError('PRINTER_FORMAT_MISMATCH', `${job.format} → ${printer.language}`).message);
      this.emit('job', this.jobs.get(job.id));
      return true;
    }
    this.jobs.started(job.id);
    this.emit('job', this.jobs.get(job.id));
    let sent = job.bytesSent;
    try {
      await link.send(job.payload, sent, (n) => (sent = n));
    } catch (e) {
      // Closing the station is no fault of the job.
      if (!this.closed && job.attempts + 1 >= this.maxAttempts) this.jobs.failed(job.id, messageOf(e));
      else this.jobs.interrupted(job.id, sent, messageOf(e));
      this.emit('job', this.jobs.get(job.id));
      await this.lost(slot, link, e);
      return false;
    }
    this.jobs.done(job.id, sent);
    this.emit('job', this.jobs.get(job.id));
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

function identityOf(choice: DeviceChoice | null): DeviceStatus['device'] {
  if (!choice) return null;
  const { vendorId, productId, serialNumber, path, usagePage, interface: iface, product } = choice;
  return { vendorId, productId, serialNumber, path, usagePage, interface: iface, product };
}
