// The CLI is a contract for outside scripts: commands, flags and JSON keys.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhone, phoneTail } from '../../shared/phone';
import { cliAuditTrail, runCli } from '../helpers/cli';
import { ENGINE_CASES } from '../helpers/engines';
import { fixturePath, fixtureRows, tempDir } from '../helpers/fixtures';

const PASS = { STATION_PASSPHRASE: 'cli test passphrase' };

describe.each(ENGINE_CASES)('admin CLI (%s)', { timeout: 180_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db = '';
  let dispose: () => Promise<void>;
  afterAll(async () => {
    await dispose();
    tmp.cleanup();
  });

  beforeAll(async () => {
    ({ target: db, dispose } = await engine.stationTarget(tmp.dir));
    const init = runCli(['init', '--db', db, '--name', '测试驿站'], PASS);
    expect(init.code, init.stderr).toBe(0);
    expect(init.lines[0]).toMatchObject({ initialised: true });
  }, 60_000);

  it('imports a manifest and reports counts; a second import skips everything', async () => {
    const first = runCli(['import', '--db', db, fixturePath('manifest-small.csv')], PASS);
    expect(first.code, first.stderr).toBe(0);
    expect(first.lines).toEqual([{ imported: 300, skipped: 0, errors: [], encoding: 'utf-8' }]);
    const again = runCli(['import', '--db', db, fixturePath('manifest-small.csv')], PASS);
    expect(again.lines[0]).toMatchObject({ imported: 0, skipped: 300, errors: [] });
    // Audited as the CLI, like an import in the app.
    expect((await cliAuditTrail(db, PASS.STATION_PASSPHRASE))).toEqual([
      { action: 'manifest.import', parcelIds: [], detail: { imported: 300, skipped: 0, errors: 0 } },
      { action: 'manifest.import', parcelIds: [], detail: { imported: 0, skipped: 300, errors: 0 } },
    ]);
  });

  it('looks up by tail, phone, waybill with exactly the contract keys, masked', async () => {
    const row = fixtureRows('manifest-small.csv')[5];
    const phone = parsePhone(row.recipient_phone)!;
    const keys = ['waybillNo', 'carrier', 'pickupCode', 'status', 'name', 'phone', 'address', 'item'];
    const shown: number[] = [];
    for (const args of [['--tail', phoneTail(phone)], ['--phone', row.recipient_phone], ['--waybill', row.waybill_no]]) {
      const r = runCli(['lookup', '--db', db, ...args], PASS);
      shown.push(r.lines.length);
      expect(r.code, r.stderr).toBe(0);
      const hit = r.lines.find((l) => (l as { waybillNo: string }).waybillNo === row.waybill_no) as Record<string, unknown>;
      expect(Object.keys(hit)).toEqual(keys);
      expect(hit.phone).toBe(`*******${phoneTail(phone)}`);
      expect(r.stdout).not.toContain(row.recipient_name);
      expect(r.stdout).not.toContain(phone.digits);
      expect(r.stdout).not.toContain(row.recipient_address);
    }
    // Each lookup is audited with the parcels it printed and how they were found, never the value searched for.
    const views = (await cliAuditTrail(db, PASS.STATION_PASSPHRASE)).slice(-3);
    expect(views.map((v) => [v.action, v.detail, v.parcelIds.length])).toEqual([
      ['parcels.view', { by: 'tail' }, shown[0]],
      ['parcels.view', { by: 'phone' }, shown[1]],
      ['parcels.view', { by: 'waybill' }, 1],
    ]);
    const [parcelId] = views[2].parcelIds;
    expect(views[0].parcelIds).toContain(parcelId);
    expect(views[1].parcelIds).toContain(parcelId);
    expect(JSON.stringify(views)).not.toContain(phoneTail(phone));
  });

  it('fails clearly: wrong passphrase, missing passphrase, missing file, bad flags', () => {
    const wrong = runCli(['lookup', '--db', db, '--tail', '1234'], { STATION_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).not.toBe(0);
    expect(JSON.parse(wrong.stderr).error).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(JSON.parse(wrong.stderr).error.message).toMatch(/口令错误.*Wrong station passphrase/);

    const none = runCli(['lookup', '--db', db, '--tail', '1234'], { STATION_PASSPHRASE: '' });
    expect(JSON.parse(none.stderr).error.code).toBe('PASSPHRASE_MISSING');

    const missing = runCli(['import', '--db', db, join(tmp.dir, 'nope.csv')], PASS);
    expect(JSON.parse(missing.stderr).error.code).toBe('FILE_NOT_FOUND');

    const usage = runCli(['lookup', '--db', db, '--tail', '12'], PASS);
    expect(usage.code).not.toBe(0);
    expect(runCli(['frobnicate'], PASS).code).toBe(2);
    expect(runCli(['init', '--db', join(tmp.dir, 'x.db')], { STATION_PASSPHRASE: 'short' }).code).toBe(1);
    expect(existsSync(join(tmp.dir, 'x.db'))).toBe(false);
  });
});
