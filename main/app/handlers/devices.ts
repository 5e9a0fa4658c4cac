// Handlers: device choice and status, the print queue, privacy labels
// (services/devices.ts).
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type DevicesChannel =
  | 'devices.list'
  | 'devices.status'
  | 'devices.choose'
  | 'devices.forget'
  | 'devices.chooseUri'
  | 'printers.discover'
  | 'scanners.discover'
  | 'print.testPage'
  | 'print.jobs'
  | 'print.reprint'
  | 'labels.preview'
  | 'labels.print'
  | 'labels.printers'
  | 'labels.printers.set';

export function devicesHandlers(app: AppContext): Pick<Handlers, DevicesChannel> {
  const s = () => app.unlocked().devices;
  return {
    'devices.list': () => s().list(),
    'devices.status': () => s().status(),
    'devices.choose': ({ totp: _totp, manufacturer: _m, usage: _u, ...choice }, { actor }) => s().choose(actor, choice),
    'devices.forget': ({ role }, { actor }) => s().forget(actor, role),
    'devices.chooseUri': ({ totp: _totp, ...choice }, { actor }) => s().chooseUri(actor, choice),
    'printers.discover': () => s().discover(),
    'scanners.discover': () => s().discoverScanners(),
    'print.testPage': ({ size }) => s().testPage(size),
    'print.jobs': ({ limit }) => s().printJobs(limit),
    'print.reprint': ({ jobId }, { actor }) => s().reprint(actor, jobId),
    'labels.preview': ({ parcelId, size }, { actor }) => s().preview(actor, parcelId, size),
    'labels.print': ({ parcelId, size }, { actor }) => s().print(actor, parcelId, size),
    'labels.printers': () => s().printerLabels(),
    'labels.printers.set': ({ printers }, { actor }) => s().setPrinterLabels(actor, printers),
  };
}
