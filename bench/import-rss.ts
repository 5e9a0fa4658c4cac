// Child process of import.bench.ts: imports a manifest file (or, as the
// baseline, only opens the store) and prints its own peak resident memory.
import { readFileSync } from 'node:fs';
import { importManifest } from '../main/inbound/import-manifest';
import { unlockWithPassphrase } from '../main/store/station';

/**
 * This process image's peak RSS in MB. Linux's VmHWM: getrusage's maxrss also
 * counts the parent's memory at fork time, which a spawned child inherits.
 */
function peakRssMb(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const [mode, db, file] = process.argv.slice(2);
  const station = unlockWithPassphrase(db, process.env.STATION_PASSPHRASE!);
  const t = performance.now();
  const report = mode === 'import' ? await importManifest(station, file, { path: file }) : { imported: 0 };
  const ms = performance.now() - t;
  station.close();
  process.stdout.write(JSON.stringify({ maxRssMb: peakRssMb(), imported: report.imported, ms }));
}

void main();
