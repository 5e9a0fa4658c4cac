// Rows of an import that has not committed yet: written, but seen by nobody.
// Every query that finds parcels for a person adds VISIBLE_PARCEL, so an
// import's rows appear together when its `imports` row flips to 'done', and a
// killed import's rows never appear at all.
import { AppError } from '../../shared/errors';
import type { Db } from './database';

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
  const ids = JSON.stringify(abandoned);
  return db.transaction(() => {
    const rows = db.prepare('DELETE FROM parcels WHERE import_id IN (SELECT value FROM json_each(?))').run(ids).changes;
    db.prepare('DELETE FROM imports WHERE id IN (SELECT value FROM json_each(?))').run(ids);
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
