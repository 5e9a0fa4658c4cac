// The store's `meta` key/value table (station name, wrapped keys, key
// generation, signing key, one-time flags): the one module that writes it.
// The embedded store's unlock reads and writes it on its connection; a
// server store through the store interface.
import type { Db } from './database';
import type { Queryable } from './engine/store';

const SQL = {
  all: 'SELECT key, value FROM meta',
  get: 'SELECT value FROM meta WHERE key = ?',
  set: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
};

type MetaRow = { key: string; value: string };
const toMap = (rows: MetaRow[]): Map<string, string> => new Map(rows.map((r) => [r.key, r.value]));

export function readMeta(db: Db): Map<string, string> {
  return toMap(db.prepare(SQL.all).all() as MetaRow[]);
}

export function getMeta(db: Db, key: string): string | undefined {
  return (db.prepare(SQL.get).get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(SQL.set).run(key, value);
}

export function deleteMeta(db: Db, ...keys: string[]): void {
  db.prepare('DELETE FROM meta WHERE key IN (SELECT value FROM json_each(?))').run(JSON.stringify(keys));
}

export async function readStoreMeta(q: Queryable): Promise<Map<string, string>> {
  return toMap(await q.all<MetaRow>(SQL.all));
}

export async function writeStoreMeta(q: Queryable, rows: Iterable<[string, string]>): Promise<void> {
  for (const [key, value] of rows) await q.run(SQL.set, key, value);
}

export async function deleteStoreMeta(q: Queryable, keys: readonly string[]): Promise<void> {
  for (const key of keys) await q.run('DELETE FROM meta WHERE key = ?', key);
}

/** Every row whose key starts with `prefix` (a family of per-workstation rows). */
export async function deleteStoreMetaFamily(q: Queryable, prefix: string): Promise<void> {
  await q.run('DELETE FROM meta WHERE substr(key, 1, ?) = ?', prefix.length, prefix);
}
