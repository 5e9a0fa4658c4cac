// Encrypted backups: a round trip gives back every row of every table
// (parcels, the shred ledger, the audit log and their chains), and restore
// refuses — with a clear bilingual error and nothing written — a wrong
// passphrase, another station's backup, a truncated, altered or foreign file,
// and an existing target.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { AuditLog } from '../../main/audit/audit-log';
import { stationPublicKey } from '../../main/chain/signing-key';
import { verifyAllChains } from '../../main/chain/verify';
import { importManifest } from '../../main/inbound/import-manifest';
import { readBackupHeader, restoreBackup, writeBackup } from '../../main/lifecycle/backup';
import { ShredLedger } from '../../main/ledger/shred-ledger';
import { Settings } from '../../main/settings/settings';
import type { Tx } from '../../main/store/engine/store';
import { openDatabase, type Db } from '../../main/store/database';
import { openPersonalField } from '../../main/store/parcels';
import { initialiseStation, unlockWithPassphrase, type EmbeddedStation as Station } from '../../main/store/station';
import { AppError } from '../../shared/errors';
import { clerk, testClock } from '../helpers/counter';
import { newStation, TEST_KDF, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';
import { lifecycleOf, SUPERVISOR, workThroughCounter } from '../helpers/lifecycle';

/** Every row of every table, in key order: what a restore must give back. */
function everything(db: Db): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
}

// SQLite only: backup and restore of the SQLite file (README, "Tests against PostgreSQL").
describe('encrypted backup and restore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let file: string;
  const clock = testClock('2026-03-02T02:00:00Z');

  beforeEach(async () => {
    tmp = tempDir();
    station = newStation(tmp.dir).station;
    await workThroughCounter(station, clock);
    const operator = clerk(1);
    const ledger = new ShredLedger(station, new Settings(), clock.now);
    const tx = <T>(fn: (t: Tx) => Promise<T>) => station.store.transaction(fn);
    const batch = await tx((t) => ledger.openBatch(t, operator));
    await tx((t) => ledger.addCount(t, operator, batch.id, 3, 'wet, unreadable'));
    await tx((t) => ledger.destroy(t, operator, { ...clerk(2), role: 'supervisor' }, { batchId: batch.id, method: 'burn' }));
    const audit = new AuditLog(station, clock.now);
    await tx((t) => audit.record(t, { action: 'parcels.view', actor: operator, parcelIds: [1, 2, 3], detail: { by: 'tail' } }));
    await audit.checkpoint('export');
    file = join(tmp.dir, 'station.pcbak');
  });
  afterEach(() => {
    if (station.db.open) station.close();
    tmp.cleanup();
  });

  it('round trip: every parcel, ledger and audit entry comes back, the chains verify, the restored store unlocks', async () => {
    const info = await writeBackup(station, file, { now: clock.now() });
    expect(info).toMatchObject({ fileName: 'station.pcbak', storeId: station.storeId });
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 4).toString()).toBe('PCBK');
    // The body is ciphertext: not even SQLite's own header survives in it.
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const before = everything(station.db);
    station.close();

    const restored = join(tmp.dir, 'restored.db');
    const result = await restoreBackup(file, restored, TEST_PASSPHRASE);
    const storeId = (before.meta as { key: string; value: string }[]).find((m) => m.key === 'store_id')!.value;
    expect(result).toMatchObject({ path: restored, storeId, parcels: before.parcels.length });
    const db = openDatabase(restored, { mustExist: true });
    expect(everything(db)).toEqual(before);
    const results = verifyAllChains(db, stationPublicKey(db).publicKey, { logs: ['audit', 'shred'] }).results;
    expect(results.map((r) => [r.log, r.ok])).toEqual([
      ['audit', true],
      ['shred', true],
    ]);
    db.close();
    const again = unlockWithPassphrase(restored, TEST_PASSPHRASE);
    expect(await openPersonalField(again.store, again.keys, 1, 'name')).toBeTruthy();
    again.close();
  });

  it('round trip of a store spanning several 1 MiB pieces: each piece chains on from the last', async () => {
    await importManifest(station, 'big.csv', toCsv(syntheticRows(6000, 11)));
    station.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(station.db.pragma('page_count', { simple: true }) as number).toBeGreaterThan(3 * 256);
    await writeBackup(station, file, { now: clock.now() });
    const before = everything(station.db);
    station.close();
    const restored = join(tmp.dir, 'restored.db');
    await restoreBackup(file, restored, TEST_PASSPHRASE);
    const db = openDatabase(restored, { mustExist: true });
    expect(everything(db)).toEqual(before);
    db.close();
  });

  it('refuses a wrong passphrase and another station’s backup, writing nothing', async () => {
    await writeBackup(station, file, { now: clock.now() });
    const target = join(tmp.dir, 'new.db');
    expect(await codeOf(restoreBackup(file, target, 'not the passphrase'))).toBe('BACKUP_WRONG_KEY');
    const otherPath = join(tmp.dir, 'other.db');
    initialiseStation(otherPath, { passphrase: 'other station pass', stationName: '别的驿站', kdfCost: TEST_KDF });
    const other = unlockWithPassphrase(otherPath, 'other station pass');
    const otherFile = join(tmp.dir, 'other.pcbak');
    await writeBackup(other, otherFile, { now: clock.now() });
    other.close();
    expect(await codeOf(restoreBackup(otherFile, target, TEST_PASSPHRASE))).toBe('BACKUP_WRONG_KEY');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('new.db'))).toEqual([]);
    expect(new AppError('BACKUP_WRONG_KEY').message).toMatch(/口令.*passphrase/);
  });

  it('refuses truncated, altered and foreign files before decrypting anything, and an existing target', async () => {
    await writeBackup(station, file, { now: clock.now() });
    const bytes = readFileSync(file);
    const target = join(tmp.dir, 'new.db');
    const variant = (name: string, b: Uint8Array) => {
      const p = join(tmp.dir, name);
      writeFileSync(p, b);
      return p;
    };
    const flip = (at: number) => {
      const b = Buffer.from(bytes);
      b[at] ^= 0x01;
      return b;
    };
    const { headerBytes } = readBackupHeader(file);
    expect(await codeOf(restoreBackup(variant('cut-end', bytes.subarray(0, bytes.length - 100)), target, TEST_PASSPHRASE))).toBe('BACKUP_TRUNCATED');
    expect(await codeOf(restoreBackup(variant('cut-header', bytes.subarray(0, 30)), target, TEST_PASSPHRASE))).toBe('BACKUP_TRUNCATED');
    expect(await codeOf(restoreBackup(variant('body', flip(headerBytes.length + 5000)), target, TEST_PASSPHRASE))).toBe('BACKUP_TAMPERED');
    expect(await codeOf(restoreBackup(variant('tag', flip(bytes.length - 1)), target, TEST_PASSPHRASE))).toBe('BACKUP_TAMPERED');
    const created = Buffer.from(headerBytes).indexOf(Buffer.from('"createdAt":"2026')) + 16;
    expect(await codeOf(restoreBackup(variant('header', flip(created)), target, TEST_PASSPHRASE))).toBe('BACKUP_TAMPERED');
    expect(await codeOf(restoreBackup(variant('foreign', Buffer.from('SQLite format 3\0 not a backup at all')), target, TEST_PASSPHRASE))).toBe('BACKUP_INVALID');
    expect(await codeOf(restoreBackup(join(tmp.dir, 'missing.pcbak'), target, TEST_PASSPHRASE))).toBe('FILE_NOT_FOUND');
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('new.db'))).toEqual([]);
    expect(await codeOf(restoreBackup(file, join(tmp.dir, 'station.db'), TEST_PASSPHRASE))).toBe('RESTORE_TARGET_EXISTS');
  });

  it('a backup taken mid-rotation restores into a store that opens both generations and finishes the rotation', async () => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    await lifecycle.rotation.begin(TEST_PASSPHRASE);
    let batches = 0;
    expect(await lifecycle.rotation.run({ onProgress: () => batches++, shouldStop: () => batches > 1 })).toBeNull();
    await writeBackup(station, file, { now: clock.now() });
    station.close();
    const restoredPath = join(tmp.dir, 'restored.db');
    await restoreBackup(file, restoredPath, TEST_PASSPHRASE);
    station = unlockWithPassphrase(restoredPath, TEST_PASSPHRASE);
    expect(station.keys.next).not.toBeNull();
    const resumed = lifecycleOf(station, clock.now).lifecycle;
    expect((await resumed.rotate(SUPERVISOR, TEST_PASSPHRASE)).generation).toBe(2);
    expect(station.db.prepare('SELECT COUNT(*) FROM parcels WHERE substr(masked_ct, 2, 1) <> X\'02\'').pluck().get()).toBe(0);
  });
});
