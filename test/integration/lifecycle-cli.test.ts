// The lifecycle's CLI contract as outside scripts call it: purge
// with its exact JSON, backup and restore (refusing an existing target and a
// wrong passphrase), passphrase change and key rotation.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importManifest } from '../../main/inbound/import-manifest';
import { describeTarget } from '../../main/store/engine/open-store';
import { runCli, type CliResult } from '../helpers/cli';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { fixtureRows, readFixture, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };
const error = (r: CliResult) => (JSON.parse(r.stderr) as { error: { code: string; message: string } }).error;

describe.each(ENGINE_CASES)('lifecycle CLI (%s)', { timeout: 300_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db = '';
  /** An empty place to restore into: a new file, or a database of its own. */
  let restoreTo = '';
  const drops: (() => Promise<void>)[] = [];
  const parcels = fixtureRows('manifest-small.csv').length;

  beforeAll(async () => {
    const s = await newStationOn(engine, tmp.dir);
    db = s.target;
    // Imported 100 days ago and never arrived: due for erasure under the 90-day rule.
    const longAgo = new Date(Date.now() - 100 * 86_400_000);
    await importManifest(s.station, 'manifest-small.csv', readFixture('manifest-small.csv'), { now: () => longAgo });
    await s.station.close();
    drops.push(s.dispose);
    mkdirSync(join(tmp.dir, 'restored'));
    const empty = await engine.stationTarget(join(tmp.dir, 'restored'));
    restoreTo = empty.target;
    drops.push(empty.dispose);
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    tmp.cleanup();
  });

  it('backup, then restore into a new path only, with the right passphrase only', () => {
    const out = join(tmp.dir, 'station.pcbak');
    const backup = runCli(['backup', '--db', db, '--out', out], PASS);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.lines[0]).toMatchObject({ out, bytes: expect.any(Number) });

    const wrong = runCli(['restore', '--in', out, '--db', restoreTo], { STATION_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect(error(wrong).code).toBe('BACKUP_WRONG_KEY');
    expect(error(wrong).message).toMatch(/备份.*backup/);
    expect(error(runCli(['restore', '--in', out, '--db', db], PASS)).code).toBe('RESTORE_TARGET_EXISTS');

    // The refused restore left nothing behind: the same target takes the backup now.
    const restored = runCli(['restore', '--in', out, '--db', restoreTo], PASS);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.lines[0]).toMatchObject({ path: describeTarget(restoreTo), parcels });
    const lookup = runCli(['lookup', '--db', restoreTo, '--waybill', fixtureRows('manifest-small.csv')[0].waybill_no], PASS);
    expect(lookup.code, lookup.stderr).toBe(0);
    expect(runCli(['restore', '--db', join(tmp.dir, 'x.db')], PASS).code).toBe(2);
  });

  it('purge: a dry run counts, the real one erases, each as {"eligible","erased","dryRun"}', () => {
    const dry = runCli(['purge', '--db', db, '--dry-run'], PASS);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.trim()).toBe(JSON.stringify({ eligible: parcels, erased: 0, dryRun: true }));
    const real = runCli(['purge', '--db', db], PASS);
    expect(real.stdout.trim()).toBe(JSON.stringify({ eligible: parcels, erased: parcels, dryRun: false }));
    expect(runCli(['purge', '--db', db], PASS).lines[0]).toEqual({ eligible: 0, erased: 0, dryRun: false });
  });

  it('rotates the key', () => {
    const rotated = runCli(['rotate-key', '--db', db], PASS);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.lines[0]).toMatchObject({ generation: 2 });
  });

  it('changes the passphrase', () => {
    expect(error(runCli(['change-passphrase', '--db', db], PASS)).code).toBe('NEW_PASSPHRASE_MISSING');
    const changed = runCli(['change-passphrase', '--db', db], { ...PASS, NEW_STATION_PASSPHRASE: 'new passphrase 2' });
    expect(changed.lines[0]).toEqual({ changed: true });
    expect(error(runCli(['purge', '--db', db, '--dry-run'], PASS)).code).toBe('WRONG_PASSPHRASE');
    expect(runCli(['purge', '--db', db, '--dry-run'], { STATION_PASSPHRASE: 'new passphrase 2' }).code).toBe(0);
  });
});
