// Backups from the supervisor's screen: the folder chosen through the shell's
// dialog port (or typed where there is none), and a restore into a new file
// with the CLI restore's checks: an existing target, a wrong passphrase, a
// damaged file and a relative path are refused with their codes, nothing is
// written, and the restore that succeeds is audited.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/ipc/contract';
import type { BackupInfo, RestoredBackup } from '../../shared/ipc/lifecycle';
import { startApp, type TestApp } from '../helpers/app';
import { fixtureRows, readFixture, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';
import { resultCode, valueOf } from '../helpers/results';

// SQLite only: restore into a new SQLite file (README, "Tests against PostgreSQL").
describe('backups from the screen', () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  let backup: string;
  const boss = () => t.code('boss');
  const parcels = fixtureRows('manifest-small.csv').length;

  beforeEach(async () => {
    tmp = tempDir();
    const folder = join(tmp.dir, 'backups');
    mkdirSync(folder);
    t = await startApp(tmp.dir, [], { chooseFolder: async () => folder });
    valueOf(await t.call('manifest.import', { fileName: 'small.csv', bytes: readFixture('manifest-small.csv') }));
    valueOf(await t.call('lifecycle.settings', { backupFolder: folder, totp: boss() }));
    const info = valueOf<BackupInfo>(await t.call('lifecycle.backup.now', { totp: boss() }));
    backup = join(folder, info.fileName);
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('the folder dialog port answers with the folder; without one the screen is told to take a typed path', async () => {
    expect(valueOf(await t.call('lifecycle.backup.chooseFolder', {}))).toEqual({ folder: join(tmp.dir, 'backups'), available: true });
    const other = join(tmp.dir, 'other');
    mkdirSync(other);
    const bare = await startApp(other);
    try {
      expect(valueOf(await bare.call('lifecycle.backup.chooseFolder', {}))).toEqual({ folder: null, available: false });
    } finally {
      await bare.close();
    }
  });

  it('restores into a new file, refusing what the CLI refuses, and audits the restore', async () => {
    const target = join(tmp.dir, 'restored.db');
    const restore = (input: { file?: string; target?: string; passphrase?: string }) =>
      t.call('lifecycle.backup.restore', { file: backup, target, passphrase: TEST_PASSPHRASE, ...input, totp: boss() });

    expect(resultCode(await restore({ passphrase: 'not the passphrase' }))).toBe('BACKUP_WRONG_KEY');
    expect(resultCode(await restore({ target: 'restored.db' }))).toBe('INVALID_INPUT');
    const damaged = join(tmp.dir, 'damaged.pcbak');
    const bytes = readFileSync(backup);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(damaged, bytes);
    expect(resultCode(await restore({ file: damaged }))).toBe('BACKUP_TAMPERED');
    expect(existsSync(target)).toBe(false);

    const restored = valueOf<RestoredBackup>(await restore({}));
    expect(restored).toMatchObject({ path: target, stationName: '测试驿站', parcels });
    expect(existsSync(target)).toBe(true);
    expect(resultCode(await restore({}))).toBe('RESTORE_TARGET_EXISTS');

    const entries = valueOf<AuditEntry[]>(await t.call('audit.list', { action: 'lifecycle' }));
    const restores = entries.filter((e) => e.detail.step === 'restore');
    expect(restores).toHaveLength(1);
    expect(restores[0].detail).toMatchObject({ fileName: basename(backup), parcels });
  });
});
