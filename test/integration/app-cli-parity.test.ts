// The app (through the IPC router) and the admin CLI (in child processes) run
// the same application services, so the same act leaves the same audit
// entries: same action, parcels, purpose and detail; only who acted differs,
// and where a label or backup went (a print job or a file). Two copies of one
// store make the parcel, batch and entry ids line up.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../../main/auth/totp';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { VirtualPrinter } from '../../main/devices/virtual/virtual-printer';
import { VirtualScanner } from '../../main/devices/virtual/virtual-scanner';
import type { CounterLookupResult, HandoverResult, ScanInResult } from '../../shared/counter';
import type { BackupInfo } from '../../shared/ipc/lifecycle';
import type { ShredBatch } from '../../shared/ipc/ledger';
import { PIN, startApp, type TestApp } from '../helpers/app';
import { runCli, type CliResult } from '../helpers/cli';
import { fixturePath, fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { valueOf } from '../helpers/results';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };
const rows = fixtureRows('manifest-small.csv');
/** Where the label or the backup went: a print job or a file, named as each store names it. */
const DESTINATION = ['jobId', 'file', 'fileName', 'bytes'];

interface Entry {
  action: string;
  parcelIds: number[];
  purpose: string | null;
  detail: Record<string, unknown>;
}

const lastSeq = (db: string): number => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare("SELECT coalesce(max(seq), 0) AS n FROM chain_entries WHERE log = 'audit'").get() as { n: number }).n;
  } finally {
    d.close();
  }
};

/** The audit entries after `seq`, without who acted or where the output went. */
const entriesSince = (db: string, seq: number): Entry[] => {
  const d = new Database(db, { readonly: true });
  try {
    const payloads = d.prepare("SELECT payload FROM chain_entries WHERE log = 'audit' AND seq > ? ORDER BY seq").pluck().all(seq) as string[];
    return payloads.map((p) => {
      const { action, parcelIds, purpose, detail } = JSON.parse(p) as Entry;
      return { action, parcelIds, purpose, detail: Object.fromEntries(Object.entries(detail).filter(([k]) => !DESTINATION.includes(k))) };
    });
  } finally {
    d.close();
  }
};

// SQLite only: its two identical stores are copies of one SQLite file (README, "Tests against PostgreSQL").
describe('the app and the CLI record identical audit entries for the same act', () => {
  const tmp = tempDir();
  const printer = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
  let t: TestApp;
  let appDb: string;
  let cliDb: string;
  const ok = async <T>(p: ReturnType<TestApp['call']>) => valueOf<T>(await p);
  const cli = (...args: string[]): CliResult => {
    const r = runCli([...args.slice(0, 1), '--db', cliDb, ...args.slice(1)], PASS);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  /** Runs one act in the app and one in the CLI; returns what each recorded. */
  const both = async (inApp: () => Promise<unknown>, inCli: () => unknown) => {
    const [a, c] = [lastSeq(appDb), lastSeq(cliDb)];
    await inApp();
    await inCli();
    return { app: entriesSince(appDb, a), cli: entriesSince(cliDb, c) };
  };

  beforeAll(async () => {
    const appDir = join(tmp.dir, 'app');
    const cliDir = join(tmp.dir, 'cli');
    mkdirSync(appDir);
    mkdirSync(cliDir);
    t = await startApp(appDir, [{ username: 'clerk1', role: 'clerk' }], { hidBackend: new VirtualHidBackend(new VirtualScanner({}, 32), printer) });
    appDb = t.dbPath;
    cliDb = join(cliDir, 'station.db');
    // The same store twice: the app's, locked while it is copied.
    await ok(t.call('station.lock', {}));
    for (const suffix of ['', '-wal', '.anchors']) if (existsSync(appDb + suffix)) copyFileSync(appDb + suffix, cliDb + suffix);
    await ok(t.call('station.unlock', { passphrase: TEST_PASSPHRASE }));
    await t.login('boss');
    await ok(t.call('devices.choose', { role: 'printer', ...printer.info, language: 'tspl', reportSize: 64, reportId: 0, totp: t.code('boss') } as never));
    mkdirSync(join(tmp.dir, 'backups'));
    await ok(t.call('lifecycle.settings', { backupFolder: join(tmp.dir, 'backups'), totp: t.code('boss') }));
  }, 120_000);
  afterAll(async () => {
    await t.app.close();
    tmp.cleanup();
  });

  it('import, scan-in, lookup and pickup', async () => {
    const imported = await both(
      () => ok(t.call('manifest.import', { fileName: 'manifest-small.csv', bytes: readFixture('manifest-small.csv') })),
      () => cli('import', fixturePath('manifest-small.csv')),
    );
    expect(imported.app.map((e) => e.action)).toEqual(['manifest.import']);
    expect(imported.cli).toEqual(imported.app);

    const codes = { app: '', cli: '' };
    const scanned = await both(
      async () => (codes.app = (await ok<ScanInResult>(t.call('counter.scanIn', { waybill: rows[0].waybill_no }))).parcel.pickupCode!),
      () => (codes.cli = (cli('scan-in', '--waybill', rows[0].waybill_no).lines[0] as { pickupCode: string }).pickupCode),
    );
    expect(scanned.app.map((e) => e.action)).toEqual(['counter.scan_in']);
    expect(scanned.cli).toEqual(scanned.app);

    const pickedUp = await both(
      async () => {
        const found = await ok<CounterLookupResult>(t.call('counter.find', { by: 'code', value: codes.app }));
        if (found.kind !== 'customer') throw new Error(found.kind);
        await ok<HandoverResult>(t.call('counter.handOver', { customerParcelId: found.parcels[0].id, waybill: rows[0].waybill_no }));
      },
      () => cli('pickup', '--code', codes.cli, '--confirm-waybill', rows[0].waybill_no),
    );
    expect(pickedUp.app.map((e) => [e.action, e.detail])).toEqual([
      ['parcels.view', { by: 'code', second: null }],
      ['counter.handover', { handoverId: 1, proxy: false }],
    ]);
    expect(pickedUp.cli).toEqual(pickedUp.app);
  });

  it('shred: the same operator and witness, batch and sheets', async () => {
    const list = join(tmp.dir, 'bag.txt');
    writeFileSync(list, `${rows[2].waybill_no}\n`);
    const shredded = await both(
      async () => {
        const batch = await ok<ShredBatch>(t.call('ledger.batch.open', {}));
        await ok(t.call('ledger.batch.scan', { batchId: batch.id, waybill: rows[2].waybill_no }));
        await ok(t.call('ledger.destroy', { batchId: batch.id, method: 'burn', witness: { username: 'clerk1', pin: PIN, totp: t.code('clerk1') } }));
      },
      () =>
        cli('shred', '--waybills', list, '--method', 'burn', '--operator', 'boss', '--operator-code', totp(t.secret('boss'), new Date()),
          '--witness', 'clerk1', '--witness-code', totp(t.secret('clerk1'), new Date())),
    );
    expect(shredded.app).toEqual([
      { action: 'ledger.record', parcelIds: [], purpose: null, detail: { entry: 1, batch: 1, method: 'burn', sheets: 1, operator: 'boss', witness: 'clerk1' } },
    ]);
    expect(shredded.cli).toEqual(shredded.app);
  });

  it('label: the same parcel, format and size, to a printer or to a file', async () => {
    const parcelId = (await ok<ScanInResult>(t.call('counter.scanIn', { waybill: rows[1].waybill_no }))).parcelId;
    cli('scan-in', '--waybill', rows[1].waybill_no);
    const labelled = await both(
      () => ok(t.call('labels.print', { parcelId, size: '60x40' })),
      () => cli('label', '--waybill', rows[1].waybill_no, '--format', 'tspl', '--size', '60x40', '--out', join(tmp.dir, 'label.bin')),
    );
    expect(labelled.app).toEqual([{ action: 'label.print', parcelIds: [parcelId], purpose: null, detail: { format: 'tspl', size: '60x40' } }]);
    expect(labelled.cli).toEqual(labelled.app);
  });

  it('export, purge and backup', async () => {
    const period = { from: '2020-01-01', to: '2030-12-31' };
    const exportedLedger = await both(
      () => ok(t.call('ledger.export', { format: 'csv', ...period, totp: t.code('boss') })),
      () => cli('ledger-export', '--from', period.from, '--to', period.to, '--format', 'csv', '--out', join(tmp.dir, 'ledger.csv')),
    );
    expect(exportedLedger.app).toEqual([{ action: 'export', parcelIds: [], purpose: null, detail: { what: 'shred-ledger', format: 'csv', ...period, rows: 1 } }]);
    expect(exportedLedger.cli).toEqual(exportedLedger.app);

    const purged = await both(() => ok(t.call('lifecycle.purge', { dryRun: false, totp: t.code('boss') })), () => cli('purge'));
    expect(purged.app.map((e) => [e.action, e.detail.step])).toEqual([['lifecycle', 'purge']]);
    expect(purged.cli).toEqual(purged.app);

    const backedUp = await both(
      () => ok<BackupInfo>(t.call('lifecycle.backup.now', { totp: t.code('boss') })),
      () => cli('backup', '--out', join(tmp.dir, 'station.backup')),
    );
    expect(backedUp.app.map((e) => [e.action, e.detail.step])).toEqual([['lifecycle', 'backup']]);
    expect(backedUp.cli).toEqual(backedUp.app);
  });
});
