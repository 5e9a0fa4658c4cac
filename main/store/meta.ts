// The store's `meta` key/value table (station name, wrapped keys, key
// generation, signing key, one-time flags): the one module that writes it.
import type { Db } from './database';

export function readMeta(db: Db): Map<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}

export function getMeta(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteMeta(db: Db, ...keys: string[]): void {
  db.prepare('DELETE FROM meta WHERE key IN (SELECT value FROM json_each(?))').run(JSON.stringify(keys));
}
