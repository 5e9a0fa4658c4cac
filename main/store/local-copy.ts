// A station store copied into a SQLite file, value for value: how a server
// store is backed up (the backup format encrypts a SQLite file, whichever
// engine the station runs on) and how the checks written in the embedded
// engine's SQL (chain verification, the ledger's projections, the parcel
// row scan) read a server store. The copy is read in one transaction, so it
// is one consistent state of the store. It holds what the store holds:
// ciphertext only, no personal data in clear.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase, type Db } from './database';
import type { SqlValue, Store } from './engine/store';
import { migrate } from './migrations';

/** The embedded schema's tables and their columns (the server's are the same, docs/postgres.md). */
function tablesOf(db: Db): { name: string; columns: string[] }[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return names.map((name) => ({ name, columns: (db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((c) => c.name) }));
}

/** Writes a new SQLite store at `path` holding every row of `source`; the file is removed if the copy fails. */
export async function copyToSqliteFile(source: Store, path: string): Promise<void> {
  const db = openDatabase(path, { mustExist: false });
  try {
    migrate(db);
    const tables = tablesOf(db);
    // Rows arrive table by table, not in foreign-key order; the source kept them consistent.
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN');
    // What the schema seeded (settings, shelf slots, the id allocator) is replaced by the store's own.
    for (const t of tables) db.prepare(`DELETE FROM ${t.name}`).run();
    await source.transaction(async (tx) => {
      for (const t of tables) {
        const list = t.columns.join(', ');
        const insert = db.prepare(`INSERT INTO ${t.name} (${list}) VALUES (${t.columns.map(() => '?').join(', ')})`);
        for await (const row of tx.iterate<Record<string, SqlValue>>(`SELECT ${list} FROM ${t.name}`)) insert.run(...t.columns.map((c) => row[c]));
      }
    });
    db.exec('COMMIT');
    db.pragma('foreign_keys = ON');
    closeDatabase(db);
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    rmSync(path, { force: true });
    throw e;
  }
}

/** A copy of `source` in a temporary file, opened query-only, for `job`; removed afterwards. */
export async function withLocalCopy<T>(source: Store, job: (db: Db) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-copy-'));
  try {
    const path = join(dir, 'store.db');
    await copyToSqliteFile(source, path);
    const db = openDatabase(path, { mustExist: true, readOnly: true });
    try {
      return await job(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
