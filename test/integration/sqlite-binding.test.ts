// `npm start` runs Electron with a better-sqlite3 built for Electron's ABI,
// named by scripts/start-electron.mjs in an environment variable; every
// database main opens must load that build, and none when it is not named.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { SQLITE_BINDING_ENV, withSqliteBinding } from '../../main/store/sqlite-binding';
import { tempDir } from '../helpers/fixtures';

const ROOT = resolve(__dirname, '../..');
const NODE_BUILD = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

// SQLite only: the SQLite driver binding (README, "Tests against PostgreSQL").
describe('the better-sqlite3 build main opens databases with', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  afterEach(() => {
    delete process.env[SQLITE_BINDING_ENV];
  });

  it('is the installed one unless the variable names another', () => {
    expect(withSqliteBinding({ readonly: true })).toEqual({ readonly: true });
    process.env[SQLITE_BINDING_ENV] = NODE_BUILD;
    expect(withSqliteBinding({ readonly: true })).toEqual({ readonly: true, nativeBinding: NODE_BUILD });
  });

  it('is loaded from the named file: a working build opens the store, a missing one fails', () => {
    process.env[SQLITE_BINDING_ENV] = NODE_BUILD;
    const db = openDatabase(join(tmp.dir, 'named.db'), { mustExist: false });
    expect(db.prepare('SELECT sqlite_version() AS v').get()).toMatchObject({ v: expect.stringMatching(/^3\./) });
    db.close();
    process.env[SQLITE_BINDING_ENV] = join(tmp.dir, 'no-such-build.node');
    expect(() => openDatabase(join(tmp.dir, 'missing.db'), { mustExist: false })).toThrow(/no-such-build/);
  });

  it('is named the same way by the start script and by main', () => {
    expect(readFileSync(join(ROOT, 'scripts/start-electron.mjs'), 'utf8')).toContain(`const SQLITE_BINDING_ENV = '${SQLITE_BINDING_ENV}';`);
  });

  it('is chosen by every place under main/ that opens a database', () => {
    const opens = readdirSync(join(ROOT, 'main'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .flatMap((e) => {
        const source = readFileSync(join(e.parentPath, e.name), 'utf8');
        return [...source.matchAll(/new Database\(([^)]*)\)/g)].map((m) => `${e.name}: ${m[1]}`);
      });
    expect(opens.length).toBeGreaterThanOrEqual(3);
    for (const open of opens) expect(open).toContain('withSqliteBinding(');
  });
});
