// Devices and labels application service: device choice and status, the
// print queue, privacy labels. Labels are laid out from the masked
// projection only; printing one, or writing one to a file, is audited.
import type { Actor } from '../../../shared/actor';
import type { DeviceChoice, DeviceRole, PrinterLanguage, UriChoice } from '../../../shared/devices';
import { AppError } from '../../../shared/errors';
import type { LabelSize, PrinterLabelsView } from '../../../shared/ipc/devices';
import type { LookupQuery } from '../../../shared/ipc/contract';
import type { MaskedParcel } from '../../../shared/parcel';
import { formatDeviceUri, parseDeviceUri } from '../../../shared/printer-uri';
import { labelPrinted, parcelsViewed } from '../../audit/events';
import { ParcelLookup } from '../../counter/lookup';
import type { Connections } from '../../devices/connections';
import type { DeviceManager } from '../../devices/device-manager';
import { labelSetupOf, labelSizeId, listPrinterLabels, setPrinterLabels, type LabelSetup } from '../../devices/printer-labels';
import { sendOnce, type SentStatus } from '../../devices/send-once';
import { encodeLayout, layoutFor, renderLabel, type Dpi, type LabelFormat, type LabelSizeId } from '../../labels';
import { testPageLayout } from '../../labels/test-page';
import { markPaperDetached } from '../../ledger/shred-ledger';
import { maskedParcelById } from '../../store/parcels';
import type { ServiceDeps } from './deps';

/** The formats a printer takes: its language, natively or as a bitmap. */
export type PrinterFormat = 'tspl' | 'escpos' | 'tspl-raster' | 'escpos-raster';
export const PRINTER_FORMATS: readonly PrinterFormat[] = ['tspl', 'escpos', 'tspl-raster', 'escpos-raster'];

export interface DirectPrint {
  uri: string;
  format: PrinterFormat;
  size: LabelSizeId;
}

export interface LabelFileOptions {
  format: LabelFormat;
  size: LabelSizeId;
  dpi: Dpi;
  qr: boolean;
}

export class DevicesService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Null when the app runs without USB access. */
    private readonly manager: DeviceManager | null,
    /** Printers by URI, for discovery and one-off jobs; null where none are offered. */
    private readonly connections: Connections | null = null,
  ) {}

  list() {
    return this.devices().list();
  }

  async status() {
    await this.devices().ready();
    return this.devices().status();
  }

  async choose(actor: Actor, choice: DeviceChoice) {
    await this.devices().choose(choice);
    await this.recordSetting(actor, { role: choice.role, vendorId: choice.vendorId, productId: choice.productId });
    return this.devices().status();
  }

  /** A printer (USB Printer Class, network, OS queue) or a virtual COM scanner named by URI. */
  async chooseUri(actor: Actor, choice: UriChoice) {
    await this.devices().chooseUri(choice);
    await this.recordSetting(actor, { role: choice.role, uri: choice.uri, ...(choice.role === 'printer' ? { language: choice.language } : {}) });
    return this.devices().status();
  }

  /** What can be found: USB printers, OS print queues, HID devices (and why a kind cannot be searched). */
  discover() {
    if (!this.connections) throw new AppError('PRINTER_CONNECTION_UNSUPPORTED');
    return this.connections.discover();
  }

  /** Scanners in virtual COM mode that could be chosen. */
  discoverScanners() {
    if (!this.connections) throw new AppError('PRINTER_CONNECTION_UNSUPPORTED');
    return this.connections.discoverScanners();
  }

  /** A test page on the chosen printer: station name, barcode, a Chinese line, in its language and the station's DPI. */
  async testPage(size?: LabelSize) {
    const d = this.devices();
    await d.ready();
    const language = d.printerLanguage();
    if (!language) throw new AppError('PRINTER_NOT_CHOSEN');
    const layout = testPageLayout({ stationName: this.deps.station.name, size: labelSizeId(size ?? (await this.labelSetup()).size), dpi: await this.dpi(), language });
    return d.print(language, await encodeLayout(layout, await this.formatFor(language)));
  }

  /**
   * One label straight to the printer at a URI, not queued (the admin CLI);
   * audited once the printer has it, like a label from the queue.
   */
  async printTo(actor: Actor, waybill: LookupQuery, target: DirectPrint): Promise<{ parcel: MaskedParcel; printer: string; bytes: number; status: SentStatus }> {
    const uri = parseDeviceUri(target.uri);
    if (!uri || uri.kind === 'serial') throw new AppError('PRINTER_URI_INVALID', target.uri);
    if (!this.connections) throw new AppError('PRINTER_CONNECTION_UNSUPPORTED', uri.kind);
    const { station, oversight, tx, now, settings } = this.deps;
    const [parcel] = await new ParcelLookup(station).find(station.store, waybill);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND', waybill.value);
    const bytes = await renderLabel(parcel, target.format, { size: target.size, dpi: await this.dpi(), qr: await settings.get(station.store, 'labels.qr'), stationName: station.name, date: now() });
    const language: PrinterLanguage = target.format.startsWith('tspl') ? 'tspl' : 'escpos';
    const status = await sendOnce(this.connections.printer(uri), language, bytes);
    const printer = formatDeviceUri(uri);
    await tx.run(async (t) => {
      await markPaperDetached(t, station, parcel.id, 'label_applied', actor, now());
      await oversight.record(t, labelPrinted(actor, [parcel.id], { format: target.format, size: target.size, printer }));
    });
    return { parcel, printer, bytes: bytes.length, status };
  }

  async forget(actor: Actor, role: DeviceRole) {
    await this.devices().forget(role);
    await this.recordSetting(actor, { role, forget: true });
    return this.devices().status();
  }

  printJobs(limit?: number) {
    return this.devices().printJobs(limit);
  }

  async reprint(actor: Actor, jobId: number) {
    const d = this.devices();
    await d.ready();
    const job = await this.deps.tx.run(async (tx) => {
      const queued = await d.reprint(tx, jobId);
      await this.deps.oversight.record(tx, labelPrinted(actor, [], { jobId: queued.id, reprintOf: jobId }));
      return queued;
    });
    return d.announce(job);
  }

  /** The preview shows the card: audited and counted like a lookup, before it is drawn. */
  async preview(actor: Actor, parcelId: number, size?: LabelSize) {
    const setup = await this.labelSetup();
    const layout = await this.layout(parcelId, { ...setup, size: size ?? setup.size }, 'png');
    await this.deps.tx.run((tx) => this.deps.oversight.record(tx, parcelsViewed(actor, [parcelId], 'label-preview'), { kind: 'lookup' }));
    return { png: await encodeLayout(layout, 'png'), width: layout.width, height: layout.height, omitted: layout.omitted };
  }

  /** Prints on the chosen printer; the privacy label goes over the paper waybill, which now awaits shredding. */
  async print(actor: Actor, parcelId: number, size?: LabelSize) {
    const { station, oversight, tx, now } = this.deps;
    const d = this.devices();
    await d.ready();
    const language = d.printerLanguage();
    if (!language) throw new AppError('PRINTER_NOT_CHOSEN');
    const format = await this.formatFor(language);
    const setup = await this.labelSetup();
    const sizeId = labelSizeId(size ?? setup.size);
    const bytes = await encodeLayout(await this.layout(parcelId, { ...setup, size: size ?? setup.size }, format), format);
    const job = await tx.run(async (t) => {
      const queued = await d.enqueue(t, language, bytes);
      await markPaperDetached(t, station, parcelId, 'label_applied', actor, now());
      await oversight.record(t, labelPrinted(actor, [parcelId], { jobId: queued.id, format, size: sizeId }));
      return queued;
    });
    return d.announce(job);
  }

  /** A label written to a file (the admin CLI), for the parcel with this waybill. */
  async labelFile(actor: Actor, waybill: LookupQuery, opts: LabelFileOptions): Promise<{ parcel: MaskedParcel; bytes: Uint8Array }> {
    const { station, oversight, tx, now } = this.deps;
    const [parcel] = await new ParcelLookup(station).find(station.store, waybill);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND', waybill.value);
    const bytes = await renderLabel(parcel, opts.format, { size: opts.size, dpi: opts.dpi, qr: opts.qr, stationName: station.name, date: now() });
    await tx.run((t) => oversight.record(t, labelPrinted(actor, [parcel.id], { format: opts.format, size: opts.size, file: true })));
    return { parcel, bytes };
  }

  private devices(): DeviceManager {
    if (!this.manager) throw new AppError('HID_UNAVAILABLE');
    return this.manager;
  }

  private async formatFor(language: PrinterLanguage): Promise<LabelFormat> {
    return (await this.deps.settings.get(this.deps.station.store, 'labels.raster')) ? `${language}-raster` : language;
  }

  private async dpi(): Promise<Dpi> {
    return (await this.deps.settings.get(this.deps.station.store, 'labels.dpi')) === 300 ? 300 : 203;
  }

  /** This counter's printer's label size and language, or the station's size in Chinese (no printer here: the CLI). */
  labelSetup(): Promise<LabelSetup> {
    return labelSetupOf(this.deps.settings, this.deps.station.store, this.workstation());
  }

  printerLabels(): Promise<PrinterLabelsView> {
    return listPrinterLabels(this.deps.settings, this.deps.station.store, this.workstation());
  }

  /** Each printer's label size and language; audited by what changed, one entry per printer. */
  setPrinterLabels(actor: Actor, printers: readonly ({ workstation: string } & LabelSetup)[]): Promise<PrinterLabelsView> {
    return this.deps.tx.run(async (tx) => {
      for (const c of await setPrinterLabels(this.deps.settings, tx, printers)) {
        await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'labels', workstation: c.workstation, labelSize: c.size, labelLanguage: c.language } });
      }
      return listPrinterLabels(this.deps.settings, tx, this.workstation());
    });
  }

  /** The workstation this counter's printer is kept under (none without devices: the CLI). */
  private workstation(): string {
    return this.manager?.workstation ?? '';
  }

  private async layout(parcelId: number, setup: LabelSetup, format: LabelFormat) {
    const { station, settings, now } = this.deps;
    const parcel = await maskedParcelById(station.store, station.keys, parcelId);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND');
    return layoutFor(parcel, format, {
      size: labelSizeId(setup.size),
      language: setup.language,
      dpi: await this.dpi(),
      qr: await settings.get(station.store, 'labels.qr'),
      stationName: station.name,
      date: now(),
    });
  }

  private recordSetting(actor: Actor, detail: Record<string, string | number | boolean>) {
    return this.deps.tx.run((tx) => this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'devices', ...detail } }));
  }
}
