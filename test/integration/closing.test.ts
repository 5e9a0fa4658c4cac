// Daily close (日结) and carrier settlement (派费结算): counts per carrier from
// real scans and handovers, a day closed once, both chains checkpointed, the
// fee table, signed reports, and the two CLI commands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { verifyExport } from '../../main/chain/export-signature';
import { loadSigningKey } from '../../main/chain/signing-key';
import { PickupDesk } from '../../main/counter/pickup';
import { ScanIn } from '../../main/inbound/scan-in';
import { openStation, type Station } from '../../main/store/station';
import type { Actor } from '../../shared/actor';
import { runCli } from '../helpers/cli';
import { clerk, inTx, scanNew, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

const boss: Actor = { userId: 1, username: 'boss', displayName: '王站长', role: 'supervisor', workstation: 'counter-1' };
const rejected = (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: { code?: string }) => e.code ?? String(e));
const recipient = { name: '李四', phone: '13600001111', address: '上海市浦东新区张江路88号' };

describe.each(ENGINE_CASES)('daily close and settlement (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let dispose: () => Promise<void>;
  let station: Station;
  let services: AppServices;
  let clock: ReturnType<typeof testClock>;

  beforeEach(async () => {
    tmp = tempDir();
    ({ target: path, station, dispose } = await newStationOn(engine, tmp.dir));
    clock = testClock('2025-06-02T02:00:00Z');
    const scan = new ScanIn(station, { now: clock.now });
    const sf = [await scanNew(station, scan, '13800001111'), await scanNew(station, scan, '13800002222'), await scanNew(station, scan, '13800003333')];
    await inTx(station, (tx) => scan.scan(tx, clerk(1), { waybill: '75312345678901', carrier: 'ZTO', recipient }));
    clock.advance({ minutes: 60 });
    await inTx(station, (tx) => new PickupDesk(station, { now: clock.now }).handOver(tx, clerk(1), { customerParcelId: sf[0].parcelId, waybill: sf[0].parcel.waybillNo }));
    // The next day: one more SF parcel arrives.
    clock.advance({ days: 1 });
    await scanNew(station, scan, '13800004444');
    services = createServices(station, { now: clock.now, workstation: 'counter-1' });
  });
  afterEach(async () => {
    await services.close();
    await dispose();
    tmp.cleanup();
  });

  it('closes a day once: per-carrier counts as at its end, papers, both chains checkpointed, a signed report', async () => {
    const close = await services.closing.closeDay(boss, '2025-06-02');
    expect(close.carriers).toEqual([
      { carrier: 'SF', received: 3, handedOver: 1, returned: 0, onShelf: 2, overdue: 0 },
      { carrier: 'ZTO', received: 1, handedOver: 0, returned: 0, onShelf: 1, overdue: 0 },
    ]);
    expect(close.papers).toEqual({ detached: 0, destroyed: 0 });
    expect(close.heads.map((h) => h.log).sort()).toEqual(['audit', 'shred']);
    const auditHead = close.heads.find((h) => h.log === 'audit')!;
    const entry = (await services.audit.auditEntries({ action: 'day.close', limit: 1 }))[0];
    // The signed head covers the close's own entry.
    expect(auditHead.seq).toBeGreaterThanOrEqual(entry.seq);
    expect(entry).toMatchObject({ username: 'boss', detail: { date: '2025-06-02', received: 4, handedOver: 1, onShelf: 3 } });
    expect(await rejected(services.closing.closeDay(boss, '2025-06-02'))).toBe('DAY_ALREADY_CLOSED');
    // The history screen shows the close as it was made.
    expect(await services.closing.history(7)).toEqual([close]);
    expect(await rejected(services.closing.closeDay(boss, '2025-06-04'))).toBe('DAY_NOT_OVER');

    const fingerprint = loadSigningKey(station).fingerprint;
    const csv = await services.closing.exportDay(boss, '2025-06-02', 'csv');
    expect(verifyExport(csv.bytes, csv.signature, { expectedFingerprint: fingerprint }).ok).toBe(true);
    const text = Buffer.from(csv.bytes).toString('utf8');
    expect(text).toContain('SF,3,1,0,2,0');
    expect(text).not.toMatch(/1380000|张三丰/);
    const pdf = await services.closing.exportDay(boss, '2025-06-02', 'pdf');
    expect(verifyExport(pdf.bytes, pdf.signature, { expectedFingerprint: fingerprint }).ok).toBe(true);
  });

  it('settles per carrier from the fee table, to the fen', async () => {
    expect(await rejected(Promise.resolve().then(() => services.closing.setFees(boss, { SF: '-1' })))).toBe('FEE_TABLE_INVALID');
    expect(await rejected(Promise.resolve().then(() => services.closing.setFees(boss, { XX: '1' })))).toBe('FEE_TABLE_INVALID');
    expect(await services.closing.setFees(boss, { SF: '0.45', ZTO: 0.3 })).toEqual({ SF: '0.45', ZTO: '0.30' });
    const { settlement, file } = await services.closing.settlement(boss, '2025-06-01', '2025-06-30', 'csv');
    expect(settlement).toEqual({
      from: '2025-06-01',
      to: '2025-06-30',
      lines: [
        { carrier: 'SF', received: 4, handedOver: 1, fee: '0.45', amount: '1.80' },
        { carrier: 'ZTO', received: 1, handedOver: 0, fee: '0.30', amount: '0.30' },
      ],
      total: '2.10',
    });
    expect(Buffer.from(file.bytes).toString('utf8')).toContain('SF,4,1,0.45,1.80');
    expect((await services.audit.auditEntries({ action: 'export', limit: 1 }))[0].detail).toMatchObject({ what: 'settlement', from: '2025-06-01', to: '2025-06-30' });
  });

  it('CLI: daily-close and settlement write signed files with the contract keys', async () => {
    await services.closing.setFees(boss, { SF: '1' });
    await services.close();
    const env = { STATION_PASSPHRASE: TEST_PASSPHRASE };
    const day = join(tmp.dir, 'day.csv');
    const closed = runCli(['daily-close', '--db', path, '--date', '2025-06-03', '--format', 'csv', '--out', day], env);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.lines[0]).toMatchObject({ date: '2025-06-03', carriers: [{ carrier: 'SF', received: 1, onShelf: 3 }, { carrier: 'ZTO', onShelf: 1 }] });
    const again = runCli(['daily-close', '--db', path, '--date', '2025-06-03'], env);
    expect(JSON.parse(again.stderr).error.code).toBe('DAY_ALREADY_CLOSED');

    const out = join(tmp.dir, 'settlement.pdf');
    const r = runCli(['settlement', '--db', path, '--from', '2025-06-01', '--to', '2025-06-03', '--format', 'pdf', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toMatchObject({ out, format: 'pdf', total: '4.00', lines: [{ carrier: 'SF', received: 4, fee: '1.00', amount: '4.00' }, { carrier: 'ZTO', fee: null, amount: null }] });
    const check = runCli(['verify-export', out, '--db', path], env);
    expect(check.code, check.stderr).toBe(0);
    expect(runCli(['verify-export', day, '--db', path], env).code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    services = createServices(await openStation(path, TEST_PASSPHRASE), { now: clock.now, workstation: 'counter-1' });
  }, 180_000);
});
