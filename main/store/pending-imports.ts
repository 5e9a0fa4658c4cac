// Rows of an import that has not committed yet: written, but seen by nobody.
// Every query that finds parcels for a person adds VISIBLE_PARCEL, so an
// import's rows appear together when its `imports` row flips to 'done', and a
// killed import's rows never appear at all.
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
 * Removes what imports killed part-way left behind (at unlock). An import
 * still running in another process on this PC (the CLI beside the app) is
 * left alone; one with this process's id cannot be running before the store
 * is opened, so it is a leftover of an earlier process that had the same id.
 */
export function discardAbandonedImports(db: Db): number {
  // A store opened only to be read is never written; its leftovers stay invisible until a writable open.
  if (db.readonly) return 0;
  const pending = db.prepare("SELECT id, owner_pid AS pid FROM imports WHERE state = 'pending'").all() as { id: number; pid: number | null }[];
  const abandoned = pending.filter((p) => p.pid === null || p.pid === process.pid || !processIsAlive(p.pid)).map((p) => p.id);
  if (abandoned.length === 0) return 0;
  const ids = JSON.stringify(abandoned);
  return db.transaction(() => {
    const rows = db.prepare('DELETE FROM parcels WHERE import_id IN (SELECT value FROM json_each(?))').run(ids).changes;
    db.prepare('DELETE FROM imports WHERE id IN (SELECT value FROM json_each(?))').run(ids);
    return rows;
  })();
}
