// Which compiled better-sqlite3 opens the databases. `npm install` builds it
// for Node (tests, CLI, benchmarks); `npm start` runs Electron, whose ABI
// differs, with a copy built for Electron (scripts/start-electron.mjs) named in
// this variable. Packaged apps are rebuilt for Electron and the shell clears
// it there: a variable must not choose native code for an installed app.
import type Database from 'better-sqlite3';

export const SQLITE_BINDING_ENV = 'PRIVACY_COUNTER_SQLITE_BINDING';

/** `options` plus the native binding to load, when one is named (read on each open: worker threads too). */
export function withSqliteBinding(options: Database.Options = {}): Database.Options {
  const nativeBinding = process.env[SQLITE_BINDING_ENV];
  return nativeBinding ? { ...options, nativeBinding } : options;
}
