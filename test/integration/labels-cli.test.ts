// `label` on the real CLI: the file it writes, the JSON it prints, its errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importManifest } from '../../main/inbound/import-manifest';
import { cliAuditTrail, runCli } from '../helpers/cli';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { decodeTspl, readSymbols } from '../helpers/label-decoder';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };

describe.each(ENGINE_CASES)('CLI label (%s)', { timeout: 120_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db: string;
  let dispose: () => Promise<void>;
  const row = fixtureRows('manifest-small.csv')[0];

  beforeAll(async () => {
    const { target, station, dispose: drop } = await newStationOn(engine, tmp.dir);
    db = target;
    dispose = drop;
    await importManifest(station, 'manifest-small.csv', readFixture('manifest-small.csv'));
    await station.store.run("UPDATE parcels SET status = 'on_shelf', pickup_code = '3-2-1024' WHERE waybill_no = ?", row.waybill_no);
  });
  afterAll(async () => {
    await dispose();
    tmp.cleanup();
  });

  it('writes the label and prints what it wrote', async () => {
    const out = join(tmp.dir, 'label.tspl');
    const r = runCli(['label', '--db', db, '--waybill', row.waybill_no, '--format', 'tspl', '--size', '60x40', '--qr', '--out', out], PASS);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(out);
    expect(r.lines).toEqual([{ waybillNo: row.waybill_no, format: 'tspl', size: '60x40', bytes: bytes.length, out }]);
    const decoded = decodeTspl(bytes, 203);
    expect(decoded.texts).toContain('测试驿站'); // the open station's name
    expect(await readSymbols(decoded.canvas)).toEqual(
      expect.arrayContaining([{ format: 'Code128', text: row.waybill_no }, { format: 'QRCode', text: '3-2-1024' }]),
    );
    expect((await cliAuditTrail(db, TEST_PASSPHRASE))).toEqual([
      { action: 'label.print', parcelIds: [expect.any(Number)], detail: { format: 'tspl', size: '60x40', file: true } },
    ]);
  });

  it('says so for an unknown waybill, and for a format or size it does not know', () => {
    const base = ['label', '--db', db, '--size', '60x40', '--out', join(tmp.dir, 'x')];
    const unknown = runCli([...base, '--waybill', 'SF0000000000000', '--format', 'pdf'], PASS);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: 'PARCEL_NOT_FOUND' });
    const format = runCli([...base, '--waybill', row.waybill_no, '--format', 'zpl'], PASS);
    expect(format.code).toBe(2);
    expect(JSON.parse(format.stderr).error.message).toContain('--format must be one of tspl');
    const dpi = runCli([...base, '--waybill', row.waybill_no, '--format', 'png', '--dpi', '600'], PASS);
    expect(dpi.code).toBe(2);
  });
});
