// Rows of an import that has not committed yet: written, but seen by nobody.
// Every query that finds parcels for a person adds VISIBLE_PARCEL, so an
// import's rows appear together when its `imports` row flips to 'done', and a
// killed import's rows never appear at all. The one module that writes `imports`.
import { AppError } from '../../shared/errors';
import type { Db } from './database';
import { ParcelWriter } from './parcel-writer';

/** SQL condition on a `parcels` row (unqualified columns): not part of a pending import. */
export const VISIBLE_PARCEL = "(import_id IS NULL OR import_id NOT IN (SELECT id FROM imports WHERE state = 'pending'))";

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes what imports killed part-way left behind (at unlock, and before an
 * import starts). An import still running in another process on this PC (the
 * CLI beside the app) is left alone. At unlock one with this process's id
 * cannot be running yet, so it is a leftover of an earlier process that had
 * the same id; once the store is open, it is this process's own import.
 */
export function discardAbandonedImports(db: Db, opts: { ownImportsRunning?: boolean } = {}): number {
  // A store opened only to be read is never written; its leftovers stay invisible until a writable open.
  if (db.readonly) return 0;
  const pending = db.prepare("SELECT id, owner_pid AS pid FROM imports WHERE state = 'pending'").all() as { id: number; pid: number | null }[];
  const gone = (pid: number): boolean => (pid === process.pid ? !opts.ownImportsRunning : !processIsAlive(pid));
  const abandoned = pending.filter((p) => p.pid === null || gone(p.pid)).map((p) => p.id);
  if (abandoned.length === 0) return 0;
  return discardImports(db, abandoned);
}

export interface NewImport {
  fileName: string;
  sha256: string;
  encoding: string;
  createdAt: string;
}

/** A pending import owned by this process; its rows stay invisible until `commitImport`. */
export function beginImport(db: Db, i: NewImport): number {
  return db
    .transaction(() => {
      assertNoImportRunning(db);
      return db
        .prepare(
          "INSERT INTO imports (file_name, sha256, encoding, imported, skipped, errors, created_at, state, owner_pid) VALUES (?, ?, ?, 0, 0, 0, ?, 'pending', ?)",
        )
        .run(i.fileName, i.sha256, i.encoding, i.createdAt, process.pid).lastInsertRowid as number;
    })
    .immediate();
}

/** Call inside the transaction that reports the import: its rows become visible together. */
export function commitImport(db: Db, importId: number, counts: { imported: number; skipped: number; errors: number }): void {
  // A re-import that added nothing leaves no trace in the store.
  if (counts.imported === 0) db.prepare('DELETE FROM imports WHERE id = ?').run(importId);
  else {
    db.prepare("UPDATE imports SET state = 'done', owner_pid = NULL, imported = ?, skipped = ?, errors = ? WHERE id = ?").run(
      counts.imported,
      counts.skipped,
      counts.errors,
      importId,
    );
  }
}

/** The imports and their rows, removed; returns how many rows. */
export function discardImports(db: Db, importIds: number[]): number {
  return db.transaction(() => {
    const rows = new ParcelWriter(db).deleteImported(importIds);
    db.prepare('DELETE FROM imports WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(importIds));
    return rows;
  })();
}

/**
 * One import at a time. A second one would count the first one's invisible
 * rows as already stored and skip them, and they would be lost should the
 * first then fail or be killed. Call in the transaction that registers the
 * new import.
 */
export function assertNoImportRunning(db: Db): void {
  discardAbandonedImports(db, { ownImportsRunning: true });
  const running = db.prepare("SELECT id, created_at AS at FROM imports WHERE state = 'pending' LIMIT 1").get() as { id: number; at: string } | undefined;
  if (running) throw new AppError('IMPORT_IN_PROGRESS', `import ${running.id}, started ${running.at}`);
}
