// A file that is not a store, or a damaged store, gets a bilingual
// NOT_A_STORE / STORE_DAMAGED, and is never written to: SQLite would turn an
// empty file into a fresh 4 KB database, and a command that only reads must
// leave the bytes as they were.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importManifest } from '../../main/inbound/import-manifest';
import { isInitialised, unlockWithPassphrase } from '../../main/store/station';
import { errorMessages } from '../../shared/errors';
import { runCli } from '../helpers/cli';
import { codeOf } from '../helpers/results';
import { newStation, readFixture, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const PAGE = 4096;

// SQLite only: damaged SQLite files and their bytes (README, "Tests against PostgreSQL").
describe('damaged and foreign store files', { timeout: 180_000 }, () => {
  const tmp = tempDir();
  const files: Record<'empty' | 'random' | 'truncated' | 'corrupted', string> = {
    empty: join(tmp.dir, 'empty.db'),
    random: join(tmp.dir, 'random.db'),
    truncated: join(tmp.dir, 'truncated.db'),
    corrupted: join(tmp.dir, 'corrupted.db'),
  };
  const expected = { empty: 'NOT_A_STORE', random: 'NOT_A_STORE', truncated: 'STORE_DAMAGED', corrupted: 'STORE_DAMAGED' } as const;
  let healthy: string;
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const { path, station } = newStation(tmp.dir);
    healthy = path;
    await importManifest(station, 'm.csv', readFixture('manifest-small.csv'));
    station.close();
    const size = readFileSync(path).length;
    expect(size % PAGE).toBe(0);
    writeFileSync(files.empty, '');
    writeFileSync(files.random, randomBytes(8 * PAGE));
    copyFileSync(path, files.truncated);
    truncateSync(files.truncated, Math.floor(size / PAGE / 2) * PAGE);
    // Page 1 (header and schema) intact, every table and index page overwritten.
    const bytes = readFileSync(path);
    randomBytes(size - PAGE).copy(bytes, PAGE);
    writeFileSync(files.corrupted, bytes);
  }, 60_000);

  it('unlocking gives the exact code and leaves every byte as it was', () => {
    for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const before = sha(file);
      expect(codeOf(() => unlockWithPassphrase(file, TEST_PASSPHRASE)), kind).toBe(expected[kind]);
      expect(codeOf(() => unlockWithPassphrase(file, TEST_PASSPHRASE, undefined, { readOnly: true })), kind).toBe(expected[kind]);
      expect(sha(file), kind).toBe(before);
      expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`), kind).toBe(false);
    }
  });

  it('an empty file is not a store yet (setup may create one there) and stays empty', () => {
    expect(isInitialised(files.empty)).toBe(false);
    expect(readFileSync(files.empty).length).toBe(0);
    expect(codeOf(() => isInitialised(files.random))).toBe('NOT_A_STORE');
  });

  it('CLI commands that read (lookup, overdue, verify, ledger-export) answer with the bilingual code and change nothing', () => {
    const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };
    const commands = [
      ['lookup', '--tail', '1234'],
      ['overdue'],
      ['verify'],
      ['ledger-export', '--from', '2025-01-01', '--to', '2025-01-31', '--format', 'csv', '--out', join(tmp.dir, 'out.csv')],
    ];
    for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const before = sha(file);
      for (const [command, ...rest] of commands) {
        const r = runCli([command, '--db', file, ...rest], PASS);
        expect(r.code, `${kind} ${command}`).toBe(1);
        const { error } = JSON.parse(r.stderr) as { error: { code: string; message: string } };
        expect(error.code, `${kind} ${command}: ${r.stderr}`).toBe(expected[kind]);
        const m = errorMessages[expected[kind]];
        expect(error.message).toContain(`${m.zh} / ${m.en}`);
      }
      expect(sha(file), kind).toBe(before);
      expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`), kind).toBe(false);
    }
    expect(existsSync(join(tmp.dir, 'out.csv'))).toBe(false);
  });

  it('verify of a sound store writes nothing either, and leaves no WAL files behind', () => {
    const before = sha(healthy);
    const r = runCli(['verify', '--db', healthy], { STATION_PASSPHRASE: TEST_PASSPHRASE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ table: 'parcels', ok: true, damaged: [] });
    expect(sha(healthy)).toBe(before);
    expect(existsSync(`${healthy}-wal`) || existsSync(`${healthy}-shm`)).toBe(false);
  });
});
