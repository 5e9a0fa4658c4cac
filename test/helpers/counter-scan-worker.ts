// A second counter in its own process: scans the given waybills into the store
// as fast as it can and prints the codes it was issued, one JSON line each.
// Run by test/integration/counter-inbound.test.ts to race another process.
import { ScanIn } from '../../main/inbound/scan-in';
import { unlockWithPassphrase } from '../../main/store/station';
import { clerk } from './counter';

const [dbPath, waybills] = process.argv.slice(2);
const station = unlockWithPassphrase(dbPath, process.env.STATION_PASSPHRASE!);
const scan = new ScanIn(station);
// Both racers start scanning at the same instant, whatever their start-up took.
const wait = Number(process.env.START_AT) - Date.now();
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
for (const waybill of waybills.split(',')) {
  const r = scan.scan(clerk(Number(process.env.CLERK_ID)), { waybill });
  process.stdout.write(`${JSON.stringify({ waybill, code: r.parcel.pickupCode, duplicate: r.duplicate, at: Date.now() })}\n`);
}
station.close();
