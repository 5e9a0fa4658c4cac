// Creating and unlocking a station store. The root key exists on disk only
// wrapped: by the passphrase (scrypt) and, in the Electron build, also by the
// OS keystore so the counter PC can unlock at start.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { DEFAULT_KDF_COST, deriveKek, type KdfParams } from '../crypto/kdf';
import type { KeyProtector } from '../crypto/key-protector';
import { newRootKey, StationKeys, unwrapRootKey, wrapRootKey } from '../crypto/keyring';
import { anchorPath, closeDatabase, openDatabase, storeError, type Db } from './database';
import { describeTarget, isServerUrl, openStore } from './engine/open-store';
import { PostgresStore, type WriteCheck } from './engine/postgres-store';
import { LATEST_POSTGRES_SCHEMA, migratePostgres, postgresSchemaVersion } from './engine/postgres/migrations';
import { SqliteStore } from './engine/sqlite-store';
import type { Store } from './engine/store';
import { withLocalCopy } from './local-copy';
import { readMeta, readStoreMeta, setMeta, writeStoreMeta } from './meta';
import { LATEST_SCHEMA, migrate, schemaVersion } from './migrations';
import { registerRowMacFunctions, rowMacBackfillPending } from './parcel-integrity';
import { sqliteParcelRows } from './parcel-writer';
import { discardAbandonedImportsAtUnlock } from './pending-imports';
import { ensureSigningKey, newSigningKeyMeta } from './signing-key-pair';

export const MIN_PASSPHRASE_LENGTH = 8;

export type KdfCost = Pick<KdfParams, 'N' | 'r' | 'p'>;

/** An unlocked station, on either engine. */
export interface Station {
  readonly store: Store;
  readonly keys: StationKeys;
  readonly name: string;
  readonly storeId: string;
  /** Where it was opened (a file path, or a server URL with its login), for a second connection in this process. */
  readonly target: string;
  /** Where committed checkpoints are anchored outside the store (chain/anchor.ts); null: nowhere. */
  readonly anchorFile: string | null;
  /** The `meta` rows as read at unlock (the signing key pair is read from them). */
  readonly meta: ReadonlyMap<string, string>;
  /**
   * True once a write found that another counter has rotated the key this
   * one holds (a server store): the station must be unlocked again.
   */
  readonly keyChanged: boolean;
  close(): Promise<void>;
}

/** A station in a SQLite file: also its connection, for what only the embedded engine does. */
export interface EmbeddedStation extends Station {
  readonly db: Db;
}

export const isEmbedded = (s: Station): s is EmbeddedStation => s.store.dialect === 'sqlite' && 'db' in s;

/**
 * The store as a SQLite connection, for checks written in the embedded
 * engine's SQL: a file store's own, or a local copy of a server store.
 */
export async function withEmbeddedDb<T>(s: Station, job: (db: Db) => T | Promise<T>): Promise<T> {
  return isEmbedded(s) ? job(s.db) : withLocalCopy(s.store, job);
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** Where the OS-keystore copies of the root key live in `meta`: the rows of a file store's one PC, or of one counter of a server store. */
export const OS_COPY_PREFIX = 'root_key.os';

/** The meta keys of a counter's OS-keystore copies (the root key, a rotation's next one); '' for a file store's PC. */
export function osCopyKeys(workstation: string): { root: string; next: string } {
  const of = workstation ? `@${workstation}` : '';
  return { root: `${OS_COPY_PREFIX}${of}`, next: `${OS_COPY_PREFIX}.next${of}` };
}

/** The rows that keep this counter's OS-keystore copies of the keys just unwrapped by the passphrase. */
function osCopyRows(protector: KeyProtector | undefined, workstation: string, root: Uint8Array, next: Uint8Array | null): [string, string][] {
  if (!protector?.isAvailable()) return [];
  const keys = osCopyKeys(workstation);
  const rows: [string, string][] = [[keys.root, b64(protector.protect(root))]];
  if (next) rows.push([keys.next, b64(protector.protect(next))]);
  return rows;
}

/** The root key (and, mid-rotation, the next one) from this counter's OS-keystore copies; null: ask for the passphrase. */
function unwrapWithProtector(meta: ReadonlyMap<string, string>, protector: KeyProtector, workstation: string): { root: Uint8Array; next: Uint8Array | null } | null {
  if (!protector.isAvailable()) return null;
  const keys = osCopyKeys(workstation);
  const blob = meta.get(keys.root);
  const rotating = meta.has('root_key.next');
  const blobNext = meta.get(keys.next);
  let root: Uint8Array | null = null;
  let next: Uint8Array | null = null;
  try {
    if (blob) root = protector.unprotect(unb64(blob));
    if (rotating && blobNext) next = protector.unprotect(unb64(blobNext));
  } catch {
    // A keystore from another machine or user: fall back to the passphrase.
  }
  // Gone (a rotation cleared it), or mid-rotation without the new key in the keystore: the passphrase opens both.
  if (!root || root.length !== 32 || (rotating && next?.length !== 32)) return null;
  return { root, next };
}

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

/** A new station's keys and the `meta` rows that describe it (its root key wrapped by the passphrase). */
function newStationMeta(opts: { passphrase: string; stationName: string; kdfCost?: KdfCost }): { keys: StationKeys; rows: [string, string][] } {
  if (opts.passphrase.length < MIN_PASSPHRASE_LENGTH) throw new AppError('WEAK_PASSPHRASE');
  const kdf: KdfParams = { algorithm: 'scrypt', ...(opts.kdfCost ?? DEFAULT_KDF_COST), salt: b64(randomBytes(16)) };
  const root = newRootKey();
  const wrapped = wrapRootKey(root, deriveKek(opts.passphrase, kdf));
  const keys = new StationKeys(root);
  root.fill(0);
  const rows: [string, string][] = [
    ['store_id', randomUUID()],
    ['station_name', opts.stationName],
    ['kdf', JSON.stringify(kdf)],
    ['root_key.passphrase', b64(wrapped)],
    ['key_generation', '1'],
    ['created_at', new Date().toISOString()],
  ];
  return { keys, rows };
}

export function initialiseStation(
  path: string,
  opts: { passphrase: string; stationName: string; kdfCost?: KdfCost },
): void {
  const existed = existsSync(path);
  if (existed && isInitialised(path)) throw new AppError('ALREADY_INITIALISED', path);
  const { keys, rows } = newStationMeta(opts);
  const db = openDatabase(path, { mustExist: false });
  try {
    db.transaction(() => {
      migrate(db);
      ensureSigningKey(db, keys);
      for (const [key, value] of rows) setMeta(db, key, value);
    })();
    closeDatabase(db);
  } catch (e) {
    db.close();
    if (!existed) rmSync(path, { force: true });
    throw e;
  }
}

function embeddedStation(db: Db, meta: ReadonlyMap<string, string>, keys: StationKeys): EmbeddedStation {
  return {
    db,
    store: new SqliteStore(db),
    keys,
    name: meta.get('station_name') ?? '',
    storeId: meta.get('store_id') ?? '',
    target: db.name,
    anchorFile: anchorPath(db),
    // Read when asked: key rotation reseals the private key in it.
    get meta() {
      return readMeta(db);
    },
    keyChanged: false,
    // At once, as before the store interface: callers that do not wait may remove the file next.
    close: async () => closeDatabase(db),
  };
}

function keysOf(meta: ReadonlyMap<string, string>, root: Uint8Array, next: Uint8Array | null): StationKeys {
  const keys = new StationKeys(root, Number(meta.get('key_generation') ?? '1'));
  root.fill(0);
  // A key rotation was under way: both generations open until it completes (main/lifecycle/rotation.ts).
  if (next) {
    keys.beginRotation(new StationKeys(next, Number(meta.get('key_generation.next'))));
    next.fill(0);
  }
  return keys;
}

function openUnlocked(db: Db, meta: Map<string, string>, root: Uint8Array, next: Uint8Array | null): EmbeddedStation {
  const keys = keysOf(meta, root, next);
  migrate(db);
  discardAbandonedImportsAtUnlock(db);
  ensureSigningKey(db, keys);
  registerRowMacFunctions(db, keys);
  sqliteParcelRows.backfill(db);
  return embeddedStation(db, meta, keys);
}

/**
 * A second, read-only connection to a station already unlocked in this
 * process (its `target`), with its keys: a worker thread's, e.g. the notice
 * sender's, which leaves writing to the unlocking connection. Nothing is
 * migrated or cleaned up, that was done by the unlock.
 */
export async function attachStation(target: string, keys: StationKeys): Promise<Station> {
  if (isServerUrl(target)) {
    const store = await openStore(target, { readOnly: true });
    try {
      return serverStation(target, store, await readStoreMeta(store), keys);
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  const { db, meta } = openInitialised(target, true);
  registerRowMacFunctions(db, keys);
  return embeddedStation(db, meta, keys);
}

function serverStation(target: string, store: Store, meta: ReadonlyMap<string, string>, keys: StationKeys): Station {
  const station = {
    store,
    keys,
    name: meta.get('station_name') ?? '',
    storeId: meta.get('store_id') ?? '',
    target,
    anchorFile: null,
    meta,
    keyChanged: false,
    close: () => store.close(),
  };
  if (store instanceof PostgresStore) store.checkWrites(keyGenerationCheck(keys, () => (station.keyChanged = true)));
  return station;
}

/**
 * Several counters share a server store, each sealing under the keys it
 * unlocked with. Every write transaction (which holds the station's write
 * lock) first compares the store's key generation, and a rotation's next
 * one, with this counter's: a counter never writes a value sealed, or a
 * blind index computed, under a generation the store no longer accepts.
 * Read in the same round trip as BEGIN, so it costs no extra one.
 */
function keyGenerationCheck(keys: StationKeys, changed: () => void): WriteCheck {
  return {
    select: "(SELECT value FROM meta WHERE key = 'key_generation') AS generation, (SELECT value FROM meta WHERE key = 'key_generation.next') AS next",
    check(row) {
      const generation = Number(row.generation ?? 1);
      const next = row.next == null ? null : Number(row.next);
      const ownNext = keys.next?.generation ?? null;
      if (generation === keys.generation && next === ownNext) return;
      // Finished by another counter: this one holds the new key already and moves over.
      if (ownNext !== null && generation === ownNext && next === null) {
        keys.completeRotation();
        return;
      }
      // Begun by another counter: the new key is wrapped by the passphrase, which this counter does not hold.
      if (generation === keys.generation && next !== null && ownNext === null) throw new AppError('STATION_KEY_ROTATING');
      changed();
      throw new AppError('STATION_KEY_CHANGED');
    },
  };
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

/** The root key (and, mid-rotation, the next one) from their passphrase-wrapped copies. */
function unwrapWithPassphrase(meta: ReadonlyMap<string, string>, passphrase: string, where: string): { root: Uint8Array; next: Uint8Array | null } {
  const kdf = JSON.parse(meta.get('kdf') ?? 'null') as KdfParams | null;
  const wrapped = meta.get('root_key.passphrase');
  if (!kdf || !wrapped) throw new AppError('NOT_A_STORE', where);
  const kek = deriveKek(passphrase, kdf);
  const root = unwrapRootKey(unb64(wrapped), kek);
  const wrappedNext = meta.get('root_key.next');
  return { root, next: wrappedNext ? unwrapRootKey(unb64(wrappedNext), kek) : null };
}

/**
 * A wrong passphrase throws WRONG_PASSPHRASE before anything is written. With
 * an OS keystore, an OS-wrapped copy is kept so the next start needs no passphrase.
 */
export function unlockWithPassphrase(path: string, passphrase: string, protector?: KeyProtector, opts: { readOnly?: boolean } = {}): EmbeddedStation {
  const { db, meta } = openInitialised(path, opts.readOnly);
  try {
    const { root, next } = unwrapWithPassphrase(meta, passphrase, path);
    for (const [key, value] of osCopyRows(protector, '', root, next)) setMeta(db, key, value);
    return openUnlocked(db, meta, root, next);
  } catch (e) {
    db.close();
    throw storeError(e, path);
  }
}

/** Unlock through the OS keystore; null when no OS-wrapped key is stored or it cannot be opened. */
export function unlockWithProtector(path: string, protector: KeyProtector): EmbeddedStation | null {
  if (!protector.isAvailable()) return null;
  const { db, meta } = openInitialised(path);
  const keys = unwrapWithProtector(meta, protector, '');
  if (!keys) {
    db.close();
    return null;
  }
  return openUnlocked(db, meta, keys.root, keys.next);
}

// A station on the PostgreSQL server (a postgres:// URL) or in a file: the
// app and every CLI command open it through these. The server's schema is
// created and upgraded only by `init` (the owner role); the counters' role
// may not change it, so a counter meeting an older schema stops and says so.
// Each counter of a server store may keep its own OS-keystore copy of the
// root key, in meta rows named after its workstation (osCopyKeys).

/** Whether the server store holds a station: its schema, and the station's rows in it. */
async function holdsStation(store: Store): Promise<boolean> {
  return (await postgresSchemaVersion(store)) > 0 && (await store.value("SELECT 1 FROM meta WHERE key = 'store_id'")) !== undefined;
}

/** Whether `target` (a file path or a URL) holds a station. */
export async function isStationAt(target: string): Promise<boolean> {
  return isServerUrl(target) ? withServerStore(target, holdsStation) : isInitialised(target);
}

/** The station's name at `target`, for the unlock screen; null before it is initialised. */
export async function stationNameAt(target: string): Promise<string | null> {
  if (!isServerUrl(target)) return readStationName(target);
  return withServerStore(target, async (s) => ((await holdsStation(s)) ? ((await s.value<string>("SELECT value FROM meta WHERE key = 'station_name'")) ?? null) : null));
}

async function withServerStore<T>(url: string, fn: (store: Store) => Promise<T>, opts: { readOnly?: boolean } = { readOnly: true }): Promise<T> {
  const store = await openStore(url, opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Creates the station at a file path or on a server (its schema by migrations first, as the owner role). */
export async function initialiseStationAt(target: string, opts: { passphrase: string; stationName: string; kdfCost?: KdfCost }): Promise<void> {
  if (!isServerUrl(target)) return initialiseStation(target, opts);
  await withServerStore(
    target,
    async (store) => {
      await migratePostgres(store);
      const { keys, rows } = newStationMeta(opts);
      await store.transaction(async (tx) => {
        if ((await tx.value("SELECT 1 FROM meta WHERE key = 'store_id'")) !== undefined) throw new AppError('ALREADY_INITIALISED', describeTarget(target));
        await writeStoreMeta(tx, [...rows, ...newSigningKeyMeta(keys)]);
      });
    },
    {},
  );
}

/** WRONG_PASSPHRASE unless `passphrase` opens the station in `store`; nothing is written. */
export async function assertPassphrase(store: Store, passphrase: string): Promise<void> {
  const { root, next } = unwrapWithPassphrase(await readStoreMeta(store), passphrase, 'meta');
  root.fill(0);
  next?.fill(0);
}

/** A server store holding a station of this version, and its meta rows. */
async function openServerStation(target: string, readOnly: boolean | undefined): Promise<{ store: Store; meta: Map<string, string> }> {
  const store = await openStore(target, { readOnly });
  try {
    const version = await postgresSchemaVersion(store);
    if (version === 0) throw new AppError('NOT_INITIALISED', describeTarget(target));
    if (version < LATEST_POSTGRES_SCHEMA) throw new AppError('STORE_NEEDS_UPGRADE');
    const meta = await readStoreMeta(store);
    if (!meta.has('store_id')) throw new AppError('NOT_INITIALISED');
    return { store, meta };
  } catch (e) {
    await store.close();
    throw e;
  }
}

export interface OpenStationOptions {
  readOnly?: boolean;
  /** Whose OS-keystore copy a counter of a server store keeps (ignored for a file store, which is one PC's). */
  workstation?: string;
}

/**
 * Unlocks the station at a file path or on a server; a wrong passphrase
 * writes nothing. With an OS keystore, this counter's copy of the key is
 * kept so its next start needs no passphrase.
 */
export async function openStation(target: string, passphrase: string, protector?: KeyProtector, opts: OpenStationOptions = {}): Promise<Station> {
  if (!isServerUrl(target)) return unlockWithPassphrase(target, passphrase, protector, opts);
  const { store, meta } = await openServerStation(target, opts.readOnly);
  try {
    const { root, next } = unwrapWithPassphrase(meta, passphrase, 'meta');
    const copies = opts.readOnly ? [] : osCopyRows(protector, opts.workstation ?? '', root, next);
    if (copies.length) await store.transaction((tx) => writeStoreMeta(tx, copies));
    return serverStation(target, store, meta, keysOf(meta, root, next));
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The OS keystore's unlock at start, from this counter's copy of the key; null: ask for the passphrase. */
export async function openStationWithProtector(target: string, protector: KeyProtector, workstation = ''): Promise<Station | null> {
  if (!isServerUrl(target)) return unlockWithProtector(target, protector);
  if (!protector.isAvailable()) return null;
  const { store, meta } = await openServerStation(target, false);
  const keys = unwrapWithProtector(meta, protector, workstation);
  if (!keys) {
    await store.close();
    return null;
  }
  return serverStation(target, store, meta, keysOf(meta, keys.root, keys.next));
}
