// `npm run bench [-- --quick] [-- suite…]`: prints each figure beside a
// baseline measured in the same run. Speed targets live here, not in tests.
import { chainBench } from './chain.bench';
import { counterBench } from './counter.bench';
import { importBench } from './import.bench';
import { labelsBench } from './labels.bench';
import { postgresBench } from './postgres.bench';
import { postgresCountersBench } from './postgres-counters.bench';
import { ledgerBench } from './ledger.bench';
import { notifyBench } from './notify.bench';
import { printersBench } from './printers.bench';
import { lifecycleBench } from './lifecycle.bench';
import { photoBench } from './photo.bench';
import { rotationBench } from './rotation.bench';
import { handoverScreenBench } from './handover-screen.bench';
import { scanToScreenBench } from './scan-to-screen.bench';
import { stocktakeBench } from './stocktake.bench';
import { storeBench } from './store.bench';

const suites: Record<string, (opts: { quick: boolean }) => Promise<void>> = {
  store: storeBench,
  import: importBench,
  counter: counterBench,
  chain: chainBench,
  labels: labelsBench,
  printers: printersBench,
  ledger: ledgerBench,
  lifecycle: lifecycleBench,
  'scan-to-screen': scanToScreenBench,
  postgres: postgresBench,
  'postgres-counters': postgresCountersBench,
  stocktake: stocktakeBench,
  notify: notifyBench,
  photo: photoBench,
  'handover-screen': handoverScreenBench,
  rotation: rotationBench,
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const wanted = argv.filter((a) => !a.startsWith('--'));
  for (const [name, run] of Object.entries(suites)) {
    if (wanted.length && !wanted.includes(name)) continue;
    console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
    await run({ quick });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
