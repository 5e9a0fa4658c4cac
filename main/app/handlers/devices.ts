// Handlers: device choice and status, the print queue, privacy labels.
// Labels are laid out from the masked projection only.
import { AppError } from '../../../shared/errors';
import type { LabelSize } from '../../../shared/ipc/devices';
import { labelPrinted, parcelsViewed } from '../../audit/events';
import type { Handlers } from '../../ipc/router';
import { layoutFor, encodeLayout, type LabelFormat, type LabelSizeId } from '../../labels';
import { markPaperDetached } from '../../ledger/shred-ledger';
import { maskedParcelById } from '../../store/parcels';
import type { AppContext } from '../context';

type DevicesChannel = 'devices.list' | 'devices.status' | 'devices.choose' | 'devices.forget' | 'print.jobs' | 'print.reprint' | 'labels.preview' | 'labels.print';

export function devicesHandlers(app: AppContext): Pick<Handlers, DevicesChannel> {
  const s = () => app.unlocked();
  const devices = () => {
    const d = s().devices;
    if (!d) throw new AppError('HID_UNAVAILABLE');
    return d;
  };
  const labelFor = (parcelId: number, size: LabelSize | undefined, format: LabelFormat) => {
    const { station, settings } = s();
    const parcel = maskedParcelById(station.db, station.keys, parcelId);
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND');
    return layoutFor(parcel, format, {
      size: (size ?? settings.get('labels.size')) as LabelSizeId,
      dpi: settings.get('labels.dpi') === 300 ? 300 : 203,
      qr: settings.get('labels.qr'),
      stationName: station.name,
      date: app.now(),
    });
  };

  return {
    'devices.list': () => devices().list(),
    'devices.status': () => devices().status(),
    'devices.choose': async ({ totp: _totp, manufacturer: _m, usage: _u, ...choice }, { actor }) => {
      await devices().choose(choice);
      s().oversight.record({ action: 'settings.change', actor, detail: { scope: 'devices', role: choice.role, vendorId: choice.vendorId, productId: choice.productId } });
      return devices().status();
    },
    'devices.forget': async ({ role }, { actor }) => {
      await devices().forget(role);
      s().oversight.record({ action: 'settings.change', actor, detail: { scope: 'devices', role, forget: true } });
      return devices().status();
    },
    'print.jobs': ({ limit }) => devices().printJobs(limit),
    'print.reprint': ({ jobId }, { actor }) => {
      const job = devices().reprint(jobId);
      s().oversight.record(labelPrinted(actor, [], { jobId: job.id, reprintOf: jobId }));
      return job;
    },
    'labels.preview': async ({ parcelId, size }, { actor }) => {
      const layout = labelFor(parcelId, size, 'png');
      // The preview shows the card: audited and counted like a lookup, before it is drawn.
      s().oversight.record(parcelsViewed(actor, [parcelId], 'label-preview'), { kind: 'lookup' });
      return { png: await encodeLayout(layout, 'png'), width: layout.width, height: layout.height, omitted: layout.omitted };
    },
    'labels.print': async ({ parcelId, size }, { actor }) => {
      const d = devices();
      const language = d.printerLanguage();
      if (!language) throw new AppError('PRINTER_NOT_CHOSEN');
      const format: LabelFormat = s().settings.get('labels.raster') ? `${language}-raster` : language;
      const job = d.print(language, await encodeLayout(labelFor(parcelId, size, format), format));
      // The privacy label goes over the paper waybill, which now awaits shredding.
      markPaperDetached(s().station, parcelId, 'label_applied', actor, app.now());
      s().oversight.record(labelPrinted(actor, [parcelId], { jobId: job.id, format }));
      return job;
    },
  };
}
