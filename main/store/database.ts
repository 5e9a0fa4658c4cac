// Opening the SQLite file with the settings every station store relies on.
// A file that is not a store, or a damaged one, is refused before anything is
// written to it: SQLite would turn an empty file into a fresh database.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { withSqliteBinding } from './sqlite-binding';

export type Db = Database.Database;

const MAGIC = 'SQLite format 3\0';
const HEADER_LEN = 100;

/**
 * Reads the 100-byte header only: NOT_A_STORE for an empty or non-SQLite
 * file, STORE_DAMAGED when the file is shorter than its header says (cut off).
 */
function probeStoreFile(path: string): void {
  const size = statSync(path).size;
  if (size < HEADER_LEN) throw new AppError('NOT_A_STORE', path);
  const header = Buffer.alloc(HEADER_LEN);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, HEADER_LEN, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== MAGIC) throw new AppError('NOT_A_STORE', path);
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  // The page count in the header is valid when its change counter matches (SQLite file format, 1.3.7).
  const pages = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : 0;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new AppError('STORE_DAMAGED', path);
  if (size < pages * pageSize || size % pageSize !== 0) throw new AppError('STORE_DAMAGED', path);
}

/** SQLite's "not a database" and "malformed" as the store's own bilingual errors; anything else unchanged. */
export function storeError(e: unknown, path?: string): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return e;
  if (code === 'SQLITE_NOTADB') return new AppError('NOT_A_STORE', path);
  if (code.startsWith('SQLITE_CORRUPT')) return new AppError('STORE_DAMAGED', path);
  return e;
}

/**
 * `mustExist`: the file must already be a store (checked before SQLite opens
 * it). `readOnly`: no statement may write, for commands that only read. It is
 * query_only rather than SQLite's read-only open, which leaves the WAL side
 * files behind since it may not remove them.
 */
export function openDatabase(path: string, { mustExist, readOnly = false }: { mustExist: boolean; readOnly?: boolean }): Db {
  if (mustExist || readOnly) {
    if (!existsSync(path)) throw new AppError('NOT_INITIALISED', path);
    probeStoreFile(path);
  }
  const db = new Database(path, withSqliteBinding({ fileMustExist: mustExist || readOnly }));
  try {
    if (readOnly) db.pragma('query_only = ON');
    else {
      db.pragma('journal_mode = WAL');
      // Deleted personal data is overwritten, not left in free pages.
      db.pragma('secure_delete = ON');
      // A ledger entry or a handover must survive a power cut at the counter.
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    db.close();
    throw storeError(e, path);
  }
  return db;
}

export const ANCHOR_SUFFIX = '.anchors';

/** The anchor file beside a store on disk (main/chain/anchor.ts); none for an in-memory store. */
export function anchorPath(db: Db): string | null {
  return db.memory ? null : `${db.name}${ANCHOR_SUFFIX}`;
}

/** Folds the WAL back into the main file, so a closed store is one file. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  if (!db.pragma('query_only', { simple: true })) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
