// Encrypted backups of the whole store, and restoring one into a new store.
//
// A backup is SQLite's online backup of the live store (a consistent copy
// while the counter keeps working), encrypted with SM4-CBC under a key derived
// from the station root key, and authenticated with HMAC-SM3:
//
//   "PCBK" | version (1 byte) | header length (u32 BE) | header (JSON) | ciphertext | tag (32 bytes)
//
// The header carries the root key wrapped by the passphrase exactly as the
// store's meta does, so a fresh machine restores with the passphrase alone.
// The ciphertext is one CBC stream over the database file (whose size is a
// multiple of its page size, so it needs no padding). SM4 is main/crypto/sm4
// (Electron's BoringSSL has none); the work is done in steps that yield to the
// event loop, keeping the app responsive.
//
// The tag is HMAC-SM3 over the header and the ciphertext, computed in two
// levels because our HMAC-SM3 takes whole inputs: each 1 MiB piece of
// ciphertext gets HMAC("piece" | index | piece), and the tag is
// HMAC("file" | header | piece tags in order). Changing, dropping, reordering
// or truncating anything changes the tag. Restore checks the tag over the
// whole file before decrypting a byte, then runs PRAGMA integrity_check on
// the result before it appears at the new path; any failure leaves nothing.
import Database from 'better-sqlite3';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { BackupInfo } from '../../shared/ipc/lifecycle';
import { deriveKek, type KdfParams } from '../crypto/kdf';
import { StationKeys, unwrapRootKey } from '../crypto/keyring';
import { HmacSm3, hmacSm3 } from '../crypto/sm3';
import { Sm4Key } from '../crypto/sm4';
import { closeDatabase, openDatabase } from '../store/database';
import { describeTarget, isServerUrl } from '../store/engine/open-store';
import { migratePostgres } from '../store/engine/postgres/migrations';
import { PostgresStore } from '../store/engine/postgres-store';
import { SqliteStore } from '../store/engine/sqlite-store';
import { copyToSqliteFile } from '../store/local-copy';
import { migrateToPostgres } from '../store/migrate-to-pg';
import { withSqliteBinding } from '../store/sqlite-binding';
import { readMeta, readStoreMeta } from '../store/meta';
import { isEmbedded, type Station } from '../store/station';

const BACKUP_EXT = '.pcbak';
const FORMAT = 'privacy-counter/backup/v1';
const MAGIC = Buffer.from('PCBK', 'ascii');
const VERSION = 1;
const PREFIX = MAGIC.length + 1 + 4;
const MAX_HEADER = 64 * 1024;
const TAG_LEN = 32;
const PIECE = 1024 * 1024;
/** Bytes encrypted between yields (a few ms of work). */
const STEP = 64 * 1024;

interface BackupHeader {
  format: typeof FORMAT;
  storeId: string;
  stationName: string;
  createdAt: string;
  kdf: KdfParams;
  /** The root key wrapped by the passphrase (as meta `root_key.passphrase`). */
  wrappedRoot: string;
  iv: string;
  /** Bytes of the database file, a multiple of 16. */
  size: number;
}

interface BackupKeys {
  enc: Sm4Key;
  mac: HmacSm3;
}

const encoder = new TextEncoder();
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function backupKeys(backupKey: Uint8Array): BackupKeys {
  return {
    enc: new Sm4Key(hmacSm3(backupKey, encoder.encode('backup-enc')).subarray(0, 16)),
    mac: new HmacSm3(hmacSm3(backupKey, encoder.encode('backup-mac'))),
  };
}

const PIECE_LABEL = encoder.encode('piece');
const FILE_LABEL = encoder.encode('file');

function pieceTag(mac: HmacSm3, index: number, piece: Uint8Array): Uint8Array {
  const position = new Uint8Array(8);
  new DataView(position.buffer).setBigUint64(0, BigInt(index));
  return mac.macParts(PIECE_LABEL, position, piece);
}

function fileTag(mac: HmacSm3, headerBytes: Uint8Array, tags: readonly Uint8Array[]): Uint8Array {
  return mac.macParts(FILE_LABEL, headerBytes, ...tags);
}

/**
 * The next CBC chaining value: a copy of the last ciphertext block of a step
 * (a copy: on a Buffer, slice() is a view, and the buffer is read into again).
 */
const lastBlock = (ciphertext: Uint8Array): Uint8Array => Uint8Array.from(ciphertext.subarray(ciphertext.length - 16));

function readFully(fd: number, buf: Uint8Array, position: number): number {
  let n = 0;
  while (n < buf.length) {
    const r = readSync(fd, buf, n, buf.length - n, position + n);
    if (r === 0) break;
    n += r;
  }
  return n;
}

function headerBytesOf(header: BackupHeader): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(PREFIX + json.length);
  MAGIC.copy(out, 0);
  out[MAGIC.length] = VERSION;
  out.writeUInt32BE(json.length, MAGIC.length + 1);
  json.copy(out, PREFIX);
  return out;
}

/** The header of a backup file, checked for shape and for the file's length. */
export function readBackupHeader(path: string): { header: BackupHeader; headerBytes: Uint8Array } {
  if (!existsSync(path)) throw new AppError('FILE_NOT_FOUND', path);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(PREFIX);
    if (readFully(fd, prefix, 0) < PREFIX) throw new AppError(size > 0 && MAGIC.subarray(0, size).equals(prefix.subarray(0, size)) ? 'BACKUP_TRUNCATED' : 'BACKUP_INVALID', path);
    if (!prefix.subarray(0, MAGIC.length).equals(MAGIC) || prefix[MAGIC.length] !== VERSION) throw new AppError('BACKUP_INVALID', path);
    const length = prefix.readUInt32BE(MAGIC.length + 1);
    if (length > MAX_HEADER) throw new AppError('BACKUP_INVALID', path);
    const json = Buffer.alloc(length);
    if (readFully(fd, json, PREFIX) < length) throw new AppError('BACKUP_TRUNCATED', path);
    let header: BackupHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as BackupHeader;
    } catch {
      throw new AppError('BACKUP_INVALID', path);
    }
    if (header.format !== FORMAT || !Number.isSafeInteger(header.size) || header.size <= 0 || header.size % 16 !== 0) throw new AppError('BACKUP_INVALID', path);
    // The KDF cost is read before anything is authenticated: bound it, so a forged header cannot demand gigabytes.
    const { N = 0, r = 0, p = 0 } = (header.kdf ?? {}) as Partial<KdfParams>;
    if (!(N >= 2 && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) throw new AppError('BACKUP_INVALID', path);
    const expected = PREFIX + length + header.size + TAG_LEN;
    if (size < expected) throw new AppError('BACKUP_TRUNCATED', path);
    if (size > expected) throw new AppError('BACKUP_INVALID', path);
    return { header, headerBytes: Buffer.concat([prefix, json]) };
  } finally {
    closeSync(fd);
  }
}

export interface BackupOptions {
  now: Date;
  onProgress?: (done: number, total: number) => void;
  /** Checked between steps: a closing station abandons the backup (nothing is left behind). */
  shouldStop?: () => boolean;
}

/** Writes an encrypted backup of the live store to `outFile`, which must not exist. */
export async function writeBackup(station: Station, outFile: string, opts: BackupOptions): Promise<BackupInfo> {
  if (existsSync(outFile)) throw new AppError('INVALID_INPUT', 'the backup file already exists');
  // The key and the wrapped root are read together, so they match even if a key rotation completes meanwhile.
  const meta = isEmbedded(station) ? readMeta(station.db) : await readStoreMeta(station.store);
  const keys = backupKeys(station.keys.backupKey());
  const dir = mkdtempSync(join(tmpdir(), 'pc-backup-'));
  const partial = `${outFile}.partial`;
  try {
    const copy = join(dir, 'store.db');
    // The same format on either engine: a server store is first copied into a SQLite file.
    if (isEmbedded(station)) await station.db.backup(copy);
    else await copyToSqliteFile(station.store, copy);
    const size = statSync(copy).size;
    const iv = randomBytes(16);
    const header: BackupHeader = {
      format: FORMAT,
      storeId: meta.get('store_id') ?? '',
      stationName: meta.get('station_name') ?? '',
      createdAt: opts.now.toISOString(),
      kdf: JSON.parse(meta.get('kdf') ?? 'null') as KdfParams,
      wrappedRoot: meta.get('root_key.passphrase') ?? '',
      iv: iv.toString('base64'),
      size,
    };
    const headerBytes = headerBytesOf(header);
    const fdIn = openSync(copy, 'r');
    // A leftover from a crashed run is ours to overwrite.
    const fdOut = openSync(partial, 'w', 0o600);
    try {
      writeSync(fdOut, headerBytes);
      const tags: Uint8Array[] = [];
      const plain = Buffer.alloc(PIECE);
      let chain: Uint8Array = iv;
      for (let done = 0, index = 0; done < size; index++) {
        const n = readFully(fdIn, plain.subarray(0, Math.min(PIECE, size - done)), done);
        const cipher = new Uint8Array(n);
        for (let off = 0; off < n; off += STEP) {
          if (opts.shouldStop?.()) throw new AppError('LOCKED', 'backup abandoned: the station closed');
          const end = Math.min(off + STEP, n);
          keys.enc.cbcEncryptBlocks(chain, plain.subarray(off, end), cipher, off);
          chain = lastBlock(cipher.subarray(off, end));
          await nextTick();
        }
        tags.push(pieceTag(keys.mac, index, cipher));
        writeSync(fdOut, cipher);
        done += n;
        opts.onProgress?.(done, size);
      }
      writeSync(fdOut, fileTag(keys.mac, headerBytes, tags));
      fsyncSync(fdOut);
    } finally {
      closeSync(fdIn);
      closeSync(fdOut);
    }
    renameSync(partial, outFile);
    return { fileName: basename(outFile), createdAt: header.createdAt, bytes: statSync(outFile).size, storeId: header.storeId };
  } finally {
    rmSync(partial, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  path: string;
  storeId: string;
  stationName: string;
  createdAt: string;
  parcels: number;
}

/**
 * Restores `file` into a new store at `newPath` with the passphrase the
 * station had when the backup was made. Checks, in order: the file's shape
 * and length, the passphrase (BACKUP_WRONG_KEY for another station's backup
 * too), the tag over everything, then SQLite's integrity check of the
 * decrypted store. Only then does the store appear at `newPath`.
 */
export async function restoreBackup(file: string, newPath: string, passphrase: string): Promise<RestoreResult> {
  if (existsSync(newPath)) throw new AppError('RESTORE_TARGET_EXISTS', newPath);
  if (!existsSync(dirname(newPath))) throw new AppError('FILE_NOT_FOUND', dirname(newPath));
  const { header, headerBytes } = readBackupHeader(file);
  let root: Uint8Array;
  try {
    root = unwrapRootKey(new Uint8Array(Buffer.from(header.wrappedRoot, 'base64')), deriveKek(passphrase, header.kdf));
  } catch (e) {
    if (e instanceof AppError && e.code === 'WRONG_PASSPHRASE') throw new AppError('BACKUP_WRONG_KEY', file);
    throw new AppError('BACKUP_INVALID', file);
  }
  const keys = backupKeys(new StationKeys(root).backupKey());
  root.fill(0);

  const fd = openSync(file, 'r');
  const temp = `${newPath}.restoring-${randomBytes(6).toString('hex')}`;
  try {
    const body = headerBytes.length;
    const piece = Buffer.alloc(PIECE);
    const tags: Uint8Array[] = [];
    for (let done = 0, index = 0; done < header.size; index++) {
      const n = readFully(fd, piece.subarray(0, Math.min(PIECE, header.size - done)), body + done);
      tags.push(pieceTag(keys.mac, index, piece.subarray(0, n)));
      done += n;
      await nextTick();
    }
    const stored = Buffer.alloc(TAG_LEN);
    readFully(fd, stored, body + header.size);
    if (!timingSafeEqual(fileTag(keys.mac, headerBytes, tags), stored)) throw new AppError('BACKUP_TAMPERED', file);

    const out = openSync(temp, 'wx', 0o600);
    try {
      let chain: Uint8Array = Buffer.from(header.iv, 'base64');
      const plain = new Uint8Array(STEP);
      for (let done = 0; done < header.size; ) {
        const n = readFully(fd, piece.subarray(0, Math.min(PIECE, header.size - done)), body + done);
        for (let off = 0; off < n; off += STEP) {
          const step = piece.subarray(off, Math.min(off + STEP, n));
          keys.enc.cbcDecryptBlocks(chain, step, plain);
          writeSync(out, plain, 0, step.length);
          chain = lastBlock(step);
          await nextTick();
        }
        done += n;
      }
      fsyncSync(out);
    } finally {
      closeSync(out);
    }

    const db = new Database(temp, withSqliteBinding({ fileMustExist: true }));
    let parcels: number;
    try {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new AppError('BACKUP_TAMPERED', `integrity_check: ${String(check).slice(0, 200)}`);
      if (readMeta(db).get('store_id') !== header.storeId) throw new AppError('BACKUP_TAMPERED', 'store id');
      parcels = db.prepare('SELECT COUNT(*) FROM parcels').pluck().get() as number;
    } catch (e) {
      db.close();
      if (e instanceof AppError) throw e;
      throw new AppError('BACKUP_TAMPERED', (e as Error).message);
    }
    closeDatabase(db);
    // A hard link never replaces a file: a store created at newPath meanwhile wins and this fails.
    try {
      linkSync(temp, newPath);
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw new AppError('RESTORE_TARGET_EXISTS', newPath);
      throw e;
    }
    return { path: newPath, storeId: header.storeId, stationName: header.stationName, createdAt: header.createdAt, parcels };
  } finally {
    closeSync(fd);
    for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) rmSync(f, { force: true });
  }
}

/**
 * Restores into a station server database that holds no station yet (the
 * owner role: its schema is created first): the backup is checked and
 * decrypted into a temporary file exactly as for a file, then copied over.
 */
async function restoreToServer(file: string, url: string, passphrase: string): Promise<RestoreResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-restore-'));
  try {
    const local = join(dir, 'store.db');
    const restored = await restoreBackup(file, local, passphrase);
    const source = new SqliteStore(openDatabase(local, { mustExist: true, readOnly: true }));
    try {
      const target = await PostgresStore.open(url);
      try {
        await migratePostgres(target);
        await migrateToPostgres(source, target);
      } catch (e) {
        // The same answer as for a file that exists: restore goes into a new store only.
        if (e instanceof AppError && e.code === 'ALREADY_INITIALISED') throw new AppError('RESTORE_TARGET_EXISTS', describeTarget(url));
        throw e;
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
    return { ...restored, path: describeTarget(url) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Restores into a new file, or into an empty station server database (a postgres:// URL). */
export function restoreBackupTo(file: string, target: string, passphrase: string): Promise<RestoreResult> {
  return isServerUrl(target) ? restoreToServer(file, target, passphrase) : restoreBackup(file, target, passphrase);
}

/** Backup files of this store are named by store and UTC time, so names sort by age. */
export function backupFileName(storeId: string, at: Date): string {
  return `privacy-counter_${storeId.slice(0, 8)}_${at.toISOString().replace(/[-:.]/g, '')}${BACKUP_EXT}`;
}

export function checkBackupFolder(folder: string): void {
  if (!isAbsolute(folder) || !existsSync(folder) || !statSync(folder).isDirectory()) throw new AppError('BACKUP_FOLDER_INVALID', folder);
}

/** This store's backups in `folder`, newest first; other files and damaged backups are left out. */
export function listBackups(folder: string, storeId: string): BackupInfo[] {
  if (!existsSync(folder)) return [];
  const prefix = backupFileName(storeId, new Date(0)).split('_').slice(0, 2).join('_');
  const out: BackupInfo[] = [];
  for (const name of readdirSync(folder).filter((n) => n.startsWith(`${prefix}_`) && n.endsWith(BACKUP_EXT)).sort().reverse()) {
    try {
      const { header } = readBackupHeader(join(folder, name));
      if (header.storeId === storeId) out.push({ fileName: name, createdAt: header.createdAt, bytes: statSync(join(folder, name)).size, storeId });
    } catch {
      // Not a complete backup of ours: not listed, never deleted.
    }
  }
  return out;
}

/** A new backup in `folder`, then the oldest beyond `keep` deleted. */
export async function backupToFolder(station: Station, folder: string, keep: number, opts: BackupOptions): Promise<BackupInfo> {
  checkBackupFolder(folder);
  const info = await writeBackup(station, join(folder, backupFileName(station.storeId, opts.now)), opts);
  for (const old of listBackups(folder, station.storeId).slice(keep)) rmSync(join(folder, old.fileName), { force: true });
  return info;
}
