// Creating and unlocking a station store. The root key exists on disk only
// wrapped: by the passphrase (scrypt) and, in the Electron build, also by the
// OS keystore so the counter PC can unlock at start.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { DEFAULT_KDF_COST, deriveKek, type KdfParams } from '../crypto/kdf';
import type { KeyProtector } from '../crypto/key-protector';
import { newRootKey, StationKeys, unwrapRootKey, wrapRootKey } from '../crypto/keyring';
import { closeDatabase, openDatabase, storeError, type Db } from './database';
import { SqliteStore } from './engine/sqlite-store';
import type { Store } from './engine/store';
import { readMeta, setMeta } from './meta';
import { LATEST_SCHEMA, migrate, schemaVersion } from './migrations';
import { registerRowMacFunctions, rowMacBackfillPending } from './parcel-integrity';
import { sqliteParcelRows } from './parcel-writer';
import { discardAbandonedImportsAtUnlock } from './pending-imports';
import { ensureSigningKey } from './signing-key-pair';

export const MIN_PASSPHRASE_LENGTH = 8;

export type KdfCost = Pick<KdfParams, 'N' | 'r' | 'p'>;

export interface Station {
  /** The connection, for what only the embedded engine does; services use `store`. */
  readonly db: Db;
  readonly store: Store;
  readonly keys: StationKeys;
  readonly name: string;
  readonly storeId: string;
  close(): void;
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** An empty file is not a store yet (setup may create one there); any other file must be one. */
export function isInitialised(path: string): boolean {
  if (!existsSync(path) || statSync(path).size === 0) return false;
  const db = openDatabase(path, { mustExist: true, readOnly: true });
  try {
    return schemaVersion(db) > 0;
  } finally {
    db.close();
  }
}

/** The station's name is not secret: the unlock screen shows which store it is. */
export function readStationName(path: string): string | null {
  const db = openDatabase(path, { mustExist: true, readOnly: true });
  try {
    return schemaVersion(db) > 0 ? (readMeta(db).get('station_name') ?? null) : null;
  } finally {
    db.close();
  }
}

export function initialiseStation(
  path: string,
  opts: { passphrase: string; stationName: string; kdfCost?: KdfCost },
): void {
  if (opts.passphrase.length < MIN_PASSPHRASE_LENGTH) throw new AppError('WEAK_PASSPHRASE');
  const existed = existsSync(path);
  if (existed && isInitialised(path)) throw new AppError('ALREADY_INITIALISED', path);
  const kdf: KdfParams = { algorithm: 'scrypt', ...(opts.kdfCost ?? DEFAULT_KDF_COST), salt: b64(randomBytes(16)) };
  const root = newRootKey();
  const wrapped = wrapRootKey(root, deriveKek(opts.passphrase, kdf));
  const keys = new StationKeys(root);
  root.fill(0);
  const db = openDatabase(path, { mustExist: false });
  try {
    db.transaction(() => {
      migrate(db);
      ensureSigningKey(db, keys);
      setMeta(db, 'store_id', randomUUID());
      setMeta(db, 'station_name', opts.stationName);
      setMeta(db, 'kdf', JSON.stringify(kdf));
      setMeta(db, 'root_key.passphrase', b64(wrapped));
      setMeta(db, 'key_generation', '1');
      setMeta(db, 'created_at', new Date().toISOString());
    })();
    closeDatabase(db);
  } catch (e) {
    db.close();
    if (!existed) rmSync(path, { force: true });
    throw e;
  }
}

function stationOn(db: Db, meta: Map<string, string>, keys: StationKeys): Station {
  return {
    db,
    store: new SqliteStore(db),
    keys,
    name: meta.get('station_name') ?? '',
    storeId: meta.get('store_id') ?? '',
    close: () => closeDatabase(db),
  };
}

function openUnlocked(db: Db, meta: Map<string, string>, root: Uint8Array, next: Uint8Array | null): Station {
  const keys = new StationKeys(root, Number(meta.get('key_generation') ?? '1'));
  root.fill(0);
  // A key rotation was under way: both generations open until it completes (main/lifecycle/rotation.ts).
  if (next) {
    keys.beginRotation(new StationKeys(next, Number(meta.get('key_generation.next'))));
    next.fill(0);
  }
  migrate(db);
  discardAbandonedImportsAtUnlock(db);
  ensureSigningKey(db, keys);
  registerRowMacFunctions(db, keys);
  sqliteParcelRows.backfill(db);
  return stationOn(db, meta, keys);
}

/**
 * A second connection to a station already unlocked in this process, with
 * its keys (a worker thread's, e.g. the notice sender's): nothing is migrated
 * or cleaned up, that was done by the unlock.
 */
export function attachStation(path: string, keys: StationKeys): Station {
  const { db, meta } = openInitialised(path);
  registerRowMacFunctions(db, keys);
  return stationOn(db, meta, keys);
}

/**
 * `readOnly` opens the file so that nothing can be written, unless the store
 * still needs this version's one-time upgrade (migrations, row MACs).
 */
function openInitialised(path: string, readOnly = false): { db: Db; meta: Map<string, string> } {
  const db = openDatabase(path, { mustExist: true, readOnly });
  try {
    if (schemaVersion(db) === 0) throw new AppError('NOT_INITIALISED', path);
    if (readOnly && (schemaVersion(db) < LATEST_SCHEMA || rowMacBackfillPending(db))) {
      db.close();
      return openInitialised(path);
    }
    return { db, meta: readMeta(db) };
  } catch (e) {
    db.close();
    throw storeError(e, path);
  }
}

/**
 * A wrong passphrase throws WRONG_PASSPHRASE before anything is written. With
 * an OS keystore, an OS-wrapped copy is kept so the next start needs no passphrase.
 */
export function unlockWithPassphrase(path: string, passphrase: string, protector?: KeyProtector, opts: { readOnly?: boolean } = {}): Station {
  const { db, meta } = openInitialised(path, opts.readOnly);
  try {
    const kdf = JSON.parse(meta.get('kdf') ?? 'null') as KdfParams | null;
    const wrapped = meta.get('root_key.passphrase');
    if (!kdf || !wrapped) throw new AppError('NOT_A_STORE', path);
    const kek = deriveKek(passphrase, kdf);
    const root = unwrapRootKey(unb64(wrapped), kek);
    const wrappedNext = meta.get('root_key.next');
    const next = wrappedNext ? unwrapRootKey(unb64(wrappedNext), kek) : null;
    if (protector?.isAvailable()) {
      setMeta(db, 'root_key.os', b64(protector.protect(root)));
      if (next) setMeta(db, 'root_key.os.next', b64(protector.protect(next)));
    }
    return openUnlocked(db, meta, root, next);
  } catch (e) {
    db.close();
    throw storeError(e, path);
  }
}

/** Unlock through the OS keystore; null when no OS-wrapped key is stored or it cannot be opened. */
export function unlockWithProtector(path: string, protector: KeyProtector): Station | null {
  if (!protector.isAvailable()) return null;
  const { db, meta } = openInitialised(path);
  const blob = meta.get('root_key.os');
  const rotating = meta.has('root_key.next');
  const blobNext = meta.get('root_key.os.next');
  let root: Uint8Array | null = null;
  let next: Uint8Array | null = null;
  try {
    if (blob) root = protector.unprotect(unb64(blob));
    if (rotating && blobNext) next = protector.unprotect(unb64(blobNext));
  } catch {
    // A keystore from another machine or user: fall back to the passphrase.
  }
  // Mid-rotation without the new key in the keystore: the passphrase opens both.
  if (!root || root.length !== 32 || (rotating && next?.length !== 32)) {
    db.close();
    return null;
  }
  return openUnlocked(db, meta, root, next);
}
