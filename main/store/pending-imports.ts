// Rows of an import that has not committed yet: written, but seen by nobody.
// Every query that finds parcels for a person adds VISIBLE_PARCEL, so an
// import's rows appear together when its `imports` row flips to 'done', and a
// killed import's rows never appear at all. The one module that writes `imports`.
import { AppError } from '../../shared/errors';
import type { Db } from './database';
import type { Store, Tx } from './engine/store';
import { deleteImportedSql, ParcelWriter } from './parcel-writer';

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

const SQL = {
  pending: "SELECT id, owner_pid AS pid FROM imports WHERE state = 'pending'",
  begin: `INSERT INTO imports (file_name, sha256, encoding, imported, skipped, errors, created_at, state, owner_pid)
          VALUES (?, ?, ?, 0, 0, 0, ?, 'pending', ?) RETURNING id`,
  dropEmpty: 'DELETE FROM imports WHERE id = ?',
  done: "UPDATE imports SET state = 'done', owner_pid = NULL, imported = ?, skipped = ?, errors = ? WHERE id = ?",
  drop: (n: number) => `DELETE FROM imports WHERE id IN (${Array(n).fill('?').join(', ')})`,
  running: "SELECT id, created_at AS at FROM imports WHERE state = 'pending' LIMIT 1",
};

type PendingRow = { id: number; pid: number | null };

/**
 * Which pending imports were left behind by a process that is gone. An import
 * still running in another process on this PC (the CLI beside the app) is
 * left alone. At unlock one with this process's id cannot be running yet, so
 * it is a leftover of an earlier process that had the same id; once the store
 * is open, it is this process's own import.
 */
function abandonedOf(pending: readonly PendingRow[], ownImportsRunning: boolean): number[] {
  const gone = (pid: number): boolean => (pid === process.pid ? !ownImportsRunning : !processIsAlive(pid));
  return pending.filter((p) => p.pid === null || gone(p.pid)).map((p) => p.id);
}

/**
 * At unlock of the embedded store, before anyone can use it: removes what
 * imports killed part-way left behind, in one transaction on the connection.
 */
export function discardAbandonedImportsAtUnlock(db: Db): number {
  // A store opened only to be read is never written; its leftovers stay invisible until a writable open.
  if (db.readonly) return 0;
  const abandoned = abandonedOf(db.prepare(SQL.pending).all() as PendingRow[], false);
  if (abandoned.length === 0) return 0;
  return db.transaction(() => {
    const rows = db.prepare(deleteImportedSql(abandoned.length)).run(...abandoned).changes;
    db.prepare(SQL.drop(abandoned.length)).run(...abandoned);
    return rows;
  })();
}

export interface NewImport {
  fileName: string;
  sha256: string;
  encoding: string;
  createdAt: string;
}

/** A pending import owned by this process; its rows stay invisible until `commitImport`. */
export function beginImport(store: Store, i: NewImport): Promise<number> {
  return store.transaction(async (tx) => {
    await assertNoImportRunning(tx);
    return Number(await tx.value(SQL.begin, i.fileName, i.sha256, i.encoding, i.createdAt, process.pid));
  });
}

/** Call inside the transaction that reports the import: its rows become visible together. */
export async function commitImport(tx: Tx, importId: number, counts: { imported: number; skipped: number; errors: number }): Promise<void> {
  // A re-import that added nothing leaves no trace in the store.
  if (counts.imported === 0) await tx.run(SQL.dropEmpty, importId);
  else await tx.run(SQL.done, counts.imported, counts.skipped, counts.errors, importId);
}

/** The imports and their rows, removed, in the caller's transaction; returns how many rows. */
export async function discardImports(tx: Tx, importIds: number[]): Promise<number> {
  const rows = await new ParcelWriter().deleteImported(tx, importIds);
  await tx.run(SQL.drop(importIds.length), ...importIds);
  return rows;
}

/**
 * One import at a time. A second one would count the first one's invisible
 * rows as already stored and skip them, and they would be lost should the
 * first then fail or be killed. Call in the transaction that registers the
 * new import.
 */
async function assertNoImportRunning(tx: Tx): Promise<void> {
  const abandoned = abandonedOf(await tx.all<PendingRow>(SQL.pending), true);
  if (abandoned.length) await discardImports(tx, abandoned);
  const running = await tx.get<{ id: number; at: string }>(SQL.running);
  if (running) throw new AppError('IMPORT_IN_PROGRESS', `import ${running.id}, started ${running.at}`);
}
