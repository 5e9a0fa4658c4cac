// Stocktake (盘库): layer barcodes then parcels, reconciled into found,
// misplaced, missing and extra; paused and resumed across a restart; closed
// by a supervisor with a sealed note; missing parcels stay problems until
// seen again; the signed report; and the CLI's exact keys.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { verifyExport } from '../../main/chain/export-signature';
import { loadSigningKey } from '../../main/chain/signing-key';
import { PickupDesk } from '../../main/counter/pickup';
import { ScanIn } from '../../main/inbound/scan-in';
import { Settings } from '../../main/settings/settings';
import { missingParcels } from '../../main/stocktake/missing';
import { openStation, type Station } from '../../main/store/station';
import type { Actor } from '../../shared/actor';
import { cliAuditTrail, runCli } from '../helpers/cli';
import { clerk, inTx, scanNew, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

const boss: Actor = { userId: 1, username: 'boss', displayName: '王站长', role: 'supervisor', workstation: 'counter-1' };

/** The AppError code a call rejected with, or undefined. */
const rejected = (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: { code?: string }) => e.code ?? String(e));

interface OnShelf {
  id: number;
  waybill: string;
  slot: string;
}

function onShelf(station: Station): Promise<OnShelf[]> {
  return station.store.all<OnShelf>("SELECT id, waybill_no AS waybill, shelf || '-' || layer AS slot FROM parcels WHERE status = 'on_shelf' ORDER BY id");
}

describe.each(ENGINE_CASES)('stocktake (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let dispose: () => Promise<void>;
  let station: Station;
  let services: AppServices;
  let clock: ReturnType<typeof testClock>;
  let parcels: OnShelf[];
  let handedOverWaybill: string;

  const open = async () => {
    station = await openStation(path, TEST_PASSPHRASE);
    services = createServices(station, { now: clock.now, workstation: 'counter-1' });
  };

  beforeEach(async () => {
    tmp = tempDir();
    const made = await newStationOn(engine, tmp.dir);
    ({ target: path, dispose } = made);
    clock = testClock();
    await inTx(made.station, (tx) => new Settings().updateCounter(tx, boss, { shelves: 2, layers: 2 }, clock.now));
    const scan = new ScanIn(made.station, { now: clock.now });
    // Five parcels spread over the four layers, one more handed over.
    for (let i = 0; i < 6; i++) await scanNew(made.station, scan, `1380000${String(1000 + i)}`);
    const out = (await onShelf(made.station))[5];
    await inTx(made.station, (tx) => new PickupDesk(made.station, { now: clock.now }).handOver(tx, clerk(1), { customerParcelId: out.id, waybill: out.waybill }));
    handedOverWaybill = out.waybill;
    await made.station.close();
    await open();
    parcels = await onShelf(station);
  });
  afterEach(async () => {
    await services.close();
    await dispose();
    tmp.cleanup();
  });

  const other = (slot: string) => ['1-1', '1-2', '2-1', '2-2'].find((s) => s !== slot)!;

  it('reconciles found, misplaced, missing and extra; pauses, survives a restart, and closes with a sealed note', async () => {
    expect(parcels).toHaveLength(5);
    const [inPlace, moved, lost, ...rest] = parcels;
    const st = await services.stocktake.start(clerk(2));
    expect(st.layers).toEqual(['1-1', '1-2', '2-1', '2-2']);
    expect(await rejected(services.stocktake.scan(clerk(2), inPlace.waybill))).toBe('STOCKTAKE_LAYER_FIRST');
    expect(await services.stocktake.scan(clerk(2), inPlace.slot)).toEqual({ kind: 'layer', slot: inPlace.slot });
    expect(await services.stocktake.scan(clerk(2), inPlace.waybill)).toEqual({ kind: 'parcel', waybillNo: inPlace.waybill, slot: inPlace.slot, outcome: 'in_place', expected: inPlace.slot });
    await services.stocktake.scan(clerk(2), `@${other(moved.slot)}`);
    expect(await services.stocktake.scan(clerk(2), moved.waybill)).toMatchObject({ outcome: 'misplaced', expected: moved.slot, slot: other(moved.slot) });
    expect(await services.stocktake.scan(clerk(2), handedOverWaybill)).toMatchObject({ outcome: 'extra', expected: null });
    expect(await services.stocktake.scan(clerk(2), 'SF0000000000001')).toMatchObject({ outcome: 'extra' });
    expect(await rejected(services.stocktake.scan(clerk(2), '9-9'))).toBe('STOCKTAKE_LAYER_OUT_OF_SCOPE');

    await services.stocktake.pause(clerk(2));
    expect(await rejected(services.stocktake.scan(clerk(2), rest[0].waybill))).toBe('STOCKTAKE_PAUSED');
    // The counter PC restarts: the stocktake, where the clerk stood and every scan are still there.
    await services.close();
    await open();
    const resumed = await services.stocktake.current();
    expect(resumed).toMatchObject({ id: st.id, state: 'paused', at: other(moved.slot), scans: 4 });
    await services.stocktake.resume(clerk(2));
    for (const p of rest) {
      await services.stocktake.scan(clerk(2), p.slot);
      await services.stocktake.scan(clerk(2), p.waybill);
    }
    const expected = {
      expected: 5,
      found: 4,
      missing: [lost.waybill],
      extra: [handedOverWaybill, 'SF0000000000001'].sort(),
      misplaced: [{ waybillNo: moved.waybill, expected: moved.slot, found: other(moved.slot) }],
    };
    const sortExtra = <T extends { extra: string[] }>(r: T) => ({ ...r, extra: [...r.extra].sort() });
    expect(sortExtra(await services.stocktake.progress())).toEqual(expected);

    const note = '三号架灯坏了，王师傅明天修';
    const { summary, result } = await services.stocktake.close(boss, note);
    expect(summary.state).toBe('closed');
    expect(sortExtra(result)).toEqual(expected);
    expect(await services.stocktake.current()).toBeNull();

    // The missing parcel is a problem parcel now; nothing else is.
    expect((await missingParcels.open(station.store)).map((m) => m.parcelId)).toEqual([lost.id]);
    // The counter's problem list shows it, masked, with the stocktake that missed it.
    const problems = await services.counter.openProblems(clerk(2));
    expect(problems).toEqual([expect.objectContaining({ flagId: null, kind: 'missing', stocktakeId: st.id, parcel: expect.objectContaining({ id: lost.id, waybillNo: lost.waybill }) })]);
    expect(problems[0].parcel.name).toContain('*');
    // The note is sealed and never in the chain; the close names the missing parcel and the counts.
    const trail = (await services.audit.auditEntries({ action: 'stocktake', limit: 10 })).reverse();
    expect(trail.map((e) => e.detail.step)).toEqual(['start', 'pause', 'resume', 'close']);
    expect(trail[3]).toMatchObject({ username: 'boss', parcelIds: [lost.id], detail: { stocktakeId: st.id, expected: 5, found: 4, missing: 1, misplaced: 1, extra: 2, noted: true } });
    await services.close();
    // Not in the SQLite file's bytes either (a server's files are not the test's to read).
    if (engine.name === 'sqlite') expect(readFileSync(path).includes(Buffer.from('王师傅'))).toBe(false);
    await open();

    // A later stocktake of the lost parcel's layer sees it: the problem is cleared.
    await services.stocktake.start(clerk(2), [lost.slot]);
    expect(await rejected(services.stocktake.start(clerk(2)))).toBe('STOCKTAKE_ALREADY_OPEN');
    await services.stocktake.scan(clerk(2), lost.slot);
    await services.stocktake.scan(clerk(2), lost.waybill);
    expect(await missingParcels.open(station.store)).toEqual([]);
    expect(await services.counter.openProblems(clerk(2))).toEqual([]);
    const second = await services.stocktake.close(boss);
    expect(second.result).toMatchObject({ expected: parcels.filter((p) => p.slot === lost.slot).length, missing: parcels.filter((p) => p.slot === lost.slot && p.id !== lost.id).map((p) => p.waybill) });
  });

  it('exports a closed stocktake as a signed CSV and PDF that list its differences', async () => {
    const [a, b] = parcels;
    await services.stocktake.start(boss);
    await services.stocktake.scan(boss, other(a.slot));
    await services.stocktake.scan(boss, a.waybill);
    const { summary } = await services.stocktake.close(boss);
    const fingerprint = loadSigningKey(station).fingerprint;
    const csv = await services.stocktake.exportReport(boss, summary.id, 'csv');
    expect(verifyExport(csv.bytes, csv.signature, { expectedFingerprint: fingerprint }).ok).toBe(true);
    const text = Buffer.from(csv.bytes).toString('utf8');
    expect(text).toContain(`错放 Misplaced,${a.waybill},${a.slot},${other(a.slot)}`);
    expect(text).toContain(`缺失 Missing,${b.waybill}`);
    const pdf = await services.stocktake.exportReport(boss, summary.id, 'pdf');
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(verifyExport(pdf.bytes, pdf.signature, { expectedFingerprint: fingerprint }).ok).toBe(true);
    expect((await services.audit.auditEntries({ action: 'export', limit: 5 })).map((e) => e.detail.what)).toEqual(['stocktake', 'stocktake']);
  });

  it('CLI: prints exactly the contract keys, and a bad line leaves nothing behind', async () => {
    const [a, b, c] = parcels;
    await services.close();
    const scans = join(tmp.dir, 'scans.txt');
    writeFileSync(scans, `\uFEFF@${a.slot}\r\n${a.waybill}\r\n\r\n@${other(b.slot)}\n${b.waybill}\n${handedOverWaybill}\n`);
    const env = { STATION_PASSPHRASE: TEST_PASSPHRASE };
    const bad = join(tmp.dir, 'bad.txt');
    writeFileSync(bad, `${a.waybill}\n`);
    const refused = runCli(['stocktake', '--db', path, '--scans', bad], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'STOCKTAKE_LAYER_FIRST' });
    expect(refused.stderr).toContain('line 1');

    const r = runCli(['stocktake', '--db', path, '--scans', scans], env);
    expect(r.code, r.stderr).toBe(0);
    const out = r.lines[0] as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['expected', 'found', 'missing', 'extra', 'misplaced']);
    expect(out).toEqual({
      expected: 5,
      found: 2,
      missing: parcels.filter((p) => p !== a && p !== b).map((p) => p.waybill),
      extra: [handedOverWaybill],
      misplaced: [{ waybillNo: b.waybill, expected: b.slot, found: other(b.slot) }],
    });
    expect(JSON.stringify(out)).not.toMatch(/张|1380000/);
    expect(c).toBeDefined();
    const trail = (await cliAuditTrail(path, TEST_PASSPHRASE)).filter((e) => e.action === 'stocktake');
    // The refused file left no stocktake: the one entry pair is the run that worked.
    expect(trail.map((e) => e.detail.step)).toEqual(['start', 'close']);
    await open();
  }, 120_000);
});
