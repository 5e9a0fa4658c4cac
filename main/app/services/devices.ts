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
    await this.recordSetting(actor, { role: choice.role, vendorId: choice.vendorId, productId: choice.productId });
    return this.devices().status();
  }

  async forget(actor: Actor, role: DeviceRole) {
    await this.devices().forget(role);
    await this.recordSetting(actor, { role, forget: true });
    return this.devices().status();
  }

  printJobs(limit?: number) {
    return this.devices().printJobs(limit);
  }

  reprint(actor: Actor, jobId: number) {
    return this.deps.tx.run(async (tx) => {
      const job = this.devices().reprint(jobId);
      await this.deps.oversight.record(tx, labelPrinted(actor, [], { jobId: job.id, reprintOf: jobId }));
      return job;
    });
  }

  /** The preview shows the card: audited and counted like a lookup, before it is drawn. */
  async preview(actor: Actor, parcelId: number, size?: LabelSize) {
    const layout = await this.layout(parcelId, await this.sizeOf(size), 'png');
    await this.deps.tx.run((tx) => this.deps.oversight.record(tx, parcelsViewed(actor, [parcelId], 'label-preview'), { kind: 'lookup' }));
    return { png: await encodeLayout(layout, 'png'), width: layout.width, height: layout.height, omitted: layout.omitted };
  }

  /** Prints on the chosen printer; the privacy label goes over the paper waybill, which now awaits shredding. */
  async print(actor: Actor, parcelId: number, size?: LabelSize) {
    const { settings, station, oversight, tx, now } = this.deps;
    const d = this.devices();
    const language = d.printerLanguage();
    if (!language) throw new AppError('PRINTER_NOT_CHOSEN');
    const format: LabelFormat = (await settings.get(station.store, 'labels.raster')) ? `${language}-raster` : language;
    const sizeId = await this.sizeOf(size);
    const bytes = await encodeLayout(await this.layout(parcelId, sizeId, format), format);
    return tx.run(async (t) => {
      const job = d.print(language, bytes);
      await markPaperDetached(t, station, parcelId, 'label_applied', actor, now());
      await oversight.record(t, labelPrinted(actor, [parcelId], { jobId: job.id, format, size: sizeId }));
      return job;
    });
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

  private async sizeOf(size: LabelSize | undefined): Promise<LabelSizeId> {
    return (size ?? (await this.deps.settings.get(this.deps.station.store, 'labels.size'))) as LabelSizeId;
  }

  private async layout(parcelId: number, size: LabelSizeId, format: LabelFormat) {
    const { station, settings, now } = this.deps;
    const parcel = await maskedParcelById(station.store, station.keys, parcelId);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND');
    return layoutFor(parcel, format, {
      size,
      dpi: (await settings.get(station.store, 'labels.dpi')) === 300 ? 300 : 203,
      qr: await settings.get(station.store, 'labels.qr'),
      stationName: station.name,
      date: now(),
    });
  }

  private recordSetting(actor: Actor, detail: Record<string, string | number | boolean>) {
    return this.deps.tx.run((tx) => this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'devices', ...detail } }));
  }
}
