// Opening the SQLite file with the settings every station store relies on.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { withSqliteBinding } from './sqlite-binding';

export type Db = Database.Database;

export function openDatabase(path: string, { mustExist }: { mustExist: boolean }): Db {
  if (mustExist && !existsSync(path)) throw new AppError('NOT_INITIALISED', path);
  const db = new Database(path, withSqliteBinding());
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Deleted personal data is overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    // A ledger entry or a handover must survive a power cut at the counter.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw new AppError('NOT_A_STORE', path);
    throw e;
  }
  return db;
}

/** Folds the WAL back into the main file, so a closed store is one file. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
