// Devices and labels application service: device choice and status, the
// print queue, privacy labels. Labels are laid out from the masked
// projection only; printing one, or writing one to a file, is audited.
import type { Actor } from '../../../shared/actor';
import type { DeviceChoice, DeviceRole } from '../../../shared/devices';
import { AppError } from '../../../shared/errors';
import type { LabelSize } from '../../../shared/ipc/devices';
import type { LookupQuery } from '../../../shared/ipc/contract';
import type { MaskedParcel } from '../../../shared/parcel';
import { labelPrinted, parcelsViewed } from '../../audit/events';
import { ParcelLookup } from '../../counter/lookup';
import type { DeviceManager } from '../../devices/device-manager';
import { encodeLayout, layoutFor, renderLabel, type Dpi, type LabelFormat, type LabelSizeId } from '../../labels';
import { markPaperDetached } from '../../ledger/shred-ledger';
import { maskedParcelById } from '../../store/parcels';
import type { ServiceDeps } from './deps';

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
  ) {}

  list() {
    return this.devices().list();
  }

  status() {
    return this.devices().status();
  }

  async choose(actor: Actor, choice: DeviceChoice) {
    await this.devices().choose(choice);
    this.recordSetting(actor, { role: choice.role, vendorId: choice.vendorId, productId: choice.productId });
    return this.devices().status();
  }

  async forget(actor: Actor, role: DeviceRole) {
    await this.devices().forget(role);
    this.recordSetting(actor, { role, forget: true });
    return this.devices().status();
  }

  printJobs(limit?: number) {
    return this.devices().printJobs(limit);
  }

  reprint(actor: Actor, jobId: number) {
    return this.deps.tx.run(() => {
      const job = this.devices().reprint(jobId);
      this.deps.oversight.record(labelPrinted(actor, [], { jobId: job.id, reprintOf: jobId }));
      return job;
    });
  }

  /** The preview shows the card: audited and counted like a lookup, before it is drawn. */
  async preview(actor: Actor, parcelId: number, size?: LabelSize) {
    const layout = this.layout(parcelId, this.sizeOf(size), 'png');
    this.deps.tx.run(() => this.deps.oversight.record(parcelsViewed(actor, [parcelId], 'label-preview'), { kind: 'lookup' }));
    return { png: await encodeLayout(layout, 'png'), width: layout.width, height: layout.height, omitted: layout.omitted };
  }

  /** Prints on the chosen printer; the privacy label goes over the paper waybill, which now awaits shredding. */
  async print(actor: Actor, parcelId: number, size?: LabelSize) {
    const { settings, station, oversight, tx, now } = this.deps;
    const d = this.devices();
    const language = d.printerLanguage();
    if (!language) throw new AppError('PRINTER_NOT_CHOSEN');
    const format: LabelFormat = settings.get('labels.raster') ? `${language}-raster` : language;
    const sizeId = this.sizeOf(size);
    const bytes = await encodeLayout(this.layout(parcelId, sizeId, format), format);
    return tx.run(() => {
      const job = d.print(language, bytes);
      markPaperDetached(station, parcelId, 'label_applied', actor, now());
      oversight.record(labelPrinted(actor, [parcelId], { jobId: job.id, format, size: sizeId }));
      return job;
    });
  }

  /** A label written to a file (the admin CLI), for the parcel with this waybill. */
  async labelFile(actor: Actor, waybill: LookupQuery, opts: LabelFileOptions): Promise<{ parcel: MaskedParcel; bytes: Uint8Array }> {
    const { station, oversight, tx, now } = this.deps;
    const [parcel] = new ParcelLookup(station).find(waybill);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND', waybill.value);
    const bytes = await renderLabel(parcel, opts.format, { size: opts.size, dpi: opts.dpi, qr: opts.qr, stationName: station.name, date: now() });
    tx.run(() => oversight.record(labelPrinted(actor, [parcel.id], { format: opts.format, size: opts.size, file: true })));
    return { parcel, bytes };
  }

  private devices(): DeviceManager {
    if (!this.manager) throw new AppError('HID_UNAVAILABLE');
    return this.manager;
  }

  private sizeOf(size: LabelSize | undefined): LabelSizeId {
    return (size ?? this.deps.settings.get('labels.size')) as LabelSizeId;
  }

  private layout(parcelId: number, size: LabelSizeId, format: LabelFormat) {
    const { station, settings, now } = this.deps;
    const parcel = maskedParcelById(station.db, station.keys, parcelId);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND');
    return layoutFor(parcel, format, {
      size,
      dpi: settings.get('labels.dpi') === 300 ? 300 : 203,
      qr: settings.get('labels.qr'),
      stationName: station.name,
      date: now(),
    });
  }

  private recordSetting(actor: Actor, detail: Record<string, string | number | boolean>) {
    this.deps.tx.run(() => this.deps.oversight.record({ action: 'settings.change', actor, detail: { scope: 'devices', ...detail } }));
  }
}
