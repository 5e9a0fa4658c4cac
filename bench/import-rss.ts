// Child process of import.bench.ts: imports a manifest file (or, as the
// baseline, only opens the store) and prints its own peak resident memory.
import { importManifest } from '../main/inbound/import-manifest';
import { unlockWithPassphrase } from '../main/store/station';

async function main(): Promise<void> {
  const [mode, db, file] = process.argv.slice(2);
  const station = unlockWithPassphrase(db, process.env.STATION_PASSPHRASE!);
  const t = performance.now();
  const report = mode === 'import' ? await importManifest(station, file, { path: file }) : { imported: 0 };
  const ms = performance.now() - t;
  station.close();
  process.stdout.write(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, imported: report.imported, ms }));
}

void main();
