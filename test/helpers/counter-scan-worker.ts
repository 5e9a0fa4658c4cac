// A second counter in its own process: scans the given waybills into the store
// as fast as it can and prints the codes it was issued, one JSON line each.
// Run by test/integration/counter-inbound.test.ts to race another process.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanIn } from '../../main/inbound/scan-in';
import { openStation } from '../../main/store/station';
import { clerk } from './counter';

const [dbPath, waybills] = process.argv.slice(2);
const pause = new Int32Array(new SharedArrayBuffer(4));
// A millisecond between scans, still far faster than any scanner: SQLite's busy
// handler polls at up to 100 ms, so a process committing back to back could
// starve the other, and the two would scan one after the other instead of at once.
async function scanAll(): Promise<void> {
  const station = await openStation(dbPath, process.env.STATION_PASSPHRASE!);
  const scan = new ScanIn(station);
  // Both racers start scanning together, whatever their start-up took: each
  // says it is ready in READY_DIR and waits until the other has said so too.
  const readyDir = process.env.READY_DIR!;
  writeFileSync(join(readyDir, process.env.CLERK_ID!), '');
  while (readdirSync(readyDir).length < 2) Atomics.wait(pause, 0, 0, 2);
  for (const waybill of waybills.split(',')) {
    const r = await station.store.transaction((tx) => scan.scan(tx, clerk(Number(process.env.CLERK_ID)), { waybill }));
    process.stdout.write(`${JSON.stringify({ waybill, code: r.parcel.pickupCode, duplicate: r.duplicate, at: Date.now() })}\n`);
    Atomics.wait(pause, 0, 0, 1);
  }
  await station.close();
}
void scanAll();
