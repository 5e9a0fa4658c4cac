// What only the PostgreSQL engine has to get right: opening (unreachable
// server, refused login, the station CA's certificate check), scans through
// server-side cursors, and openStore's choice of engine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store/engine/open-store';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { SqliteStore } from '../../main/store/engine/sqlite-store';
import { AppError } from '../../shared/errors';
import { freshDatabase, PG_URL } from '../helpers/postgres';
import { closedPort } from '../helpers/net';

const CA = process.env.PC_TEST_PG_CA;

describe('openStore', () => {
  it('opens a file path as the embedded SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-open-'));
    const store = await openStore(join(dir, 'new.db'), { mustExist: false });
    expect(store).toBeInstanceOf(SqliteStore);
    expect(store.dialect).toBe('sqlite');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a server that cannot be reached with its own code, naming the server and never the password', async () => {
    const port = await closedPort();
    const err = await openStore(`postgres://pc_app:s3cret-pw@127.0.0.1:${port}/station`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'STORE_UNREACHABLE', detail: `127.0.0.1:${port}/station` });
    expect(String((err as Error).message)).not.toContain('s3cret');
  });
});

describe.skipIf(!PG_URL)('PostgreSQL engine', () => {
  let url: string;
  let store: PostgresStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    url = db.ownerUrl;
    drop = db.drop;
    store = (await openStore(url)) as PostgresStore;
    await store.exec('CREATE TABLE t (id bigint PRIMARY KEY, v bigint NOT NULL, b bytea)');
    await store.run('INSERT INTO t (id, v) SELECT n, n * 10 FROM generate_series(1, 1234) AS n');
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('is chosen for a postgres:// URL', () => {
    expect(store).toBeInstanceOf(PostgresStore);
    expect(store.dialect).toBe('postgres');
  });

  it('refuses a wrong password with its own code', async () => {
    const u = new URL(url);
    u.password = 'wrong';
    await expect(openStore(u.toString())).rejects.toMatchObject({ code: 'STORE_LOGIN_REFUSED' });
  });

  it('reports a database that was never created as not initialised', async () => {
    const u = new URL(url);
    u.pathname = '/no_such_station';
    await expect(openStore(u.toString())).rejects.toMatchObject({ code: 'NOT_INITIALISED' });
  });

  it('opens read-only for commands that only read: the server refuses every write', async () => {
    const reader = await openStore(url, { readOnly: true });
    expect(await reader.value('SELECT count(*) FROM t')).toBe(1234);
    await expect(reader.run('DELETE FROM t')).rejects.toMatchObject({ code: '25006' });
    await expect(reader.transaction((tx) => tx.run('UPDATE t SET v = 0'))).rejects.toMatchObject({ code: '25006' });
    await reader.close();
    expect(await store.value('SELECT count(*) FROM t WHERE v = 0')).toBe(0);
  });

  it('reads int8 results as numbers, big ones as bigint, and binds the same names twice', async () => {
    expect(await store.value('SELECT count(*) FROM t')).toBe(1234);
    expect(await store.value('SELECT sum(v) FROM t')).toBe(7_619_950);
    expect(await store.value('SELECT 9007199254740993::bigint')).toBe(9007199254740993n);
    expect(await store.value('SELECT v FROM t WHERE id = @id AND v = @id * 10', { id: 7 })).toBe(70);
    expect(await store.value("SELECT '?' || ? || '@x'", 'a')).toBe('?a@x');
    expect(await store.value('SELECT 1 = 1')).toBe(1);
  });

  it('scans through a server-side cursor, a page at a time', async () => {
    const u = new URL(url);
    u.searchParams.set('application_name', 'observer');
    const observer = await PostgresStore.open(u.toString());
    let n = 0;
    let seen: unknown;
    for await (const row of store.iterate<{ id: number }>('SELECT id FROM t WHERE id > ? ORDER BY id', 0)) {
      expect(row.id).toBe(++n);
      if (n === 700) {
        seen = await observer.value("SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'privacy-counter' AND query LIKE 'FETCH%'");
      }
    }
    expect(n).toBe(1234);
    expect(seen).toBe('FETCH 500 FROM pc_scan');
    await observer.close();
  });

  it('scans inside a transaction through a cursor of its own, closed when the reader stops early', async () => {
    await store.transaction(async (tx) => {
      let n = 0;
      for await (const row of tx.iterate<{ id: number }>('SELECT id FROM t ORDER BY id')) {
        if (++n === 1) expect(await tx.all("SELECT name FROM pg_cursors WHERE name <> ''")).toEqual([{ name: 'pc_cursor1' }]);
        await tx.run('UPDATE t SET b = ? WHERE id = ?', new Uint8Array([n & 255]), row.id);
        if (n === 600) break;
      }
      expect(await tx.all("SELECT name FROM pg_cursors WHERE name <> ''")).toEqual([]);
    });
    expect(await store.value('SELECT count(*) FROM t WHERE b IS NOT NULL')).toBe(600);
    expect([...(await store.value<Uint8Array>('SELECT b FROM t WHERE id = 600'))!]).toEqual([600 & 255]);
  });

  describe.skipIf(!CA)('TLS', () => {
    it('connects with sslmode=verify-full to a server certified by the station CA', async () => {
      const tls = await openStore(`${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(CA!)}`);
      expect(await tls.value('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toBe(1);
      await tls.close();
    });

    it('refuses a server whose certificate does not name the host in the URL', async () => {
      const u = new URL(url);
      u.hostname = 'localhost'; // the certificate names 127.0.0.1 only
      await expect(openStore(`${u}?sslmode=verify-full&sslrootcert=${encodeURIComponent(CA!)}`)).rejects.toMatchObject({ code: 'STORE_TLS_FAILED' });
    });

    it('refuses a server whose certificate another CA issued', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pc-ca-'));
      const other = join(dir, 'other-ca.crt');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=another CA', '-keyout', join(dir, 'other-ca.key'), '-out', other], { stdio: 'ignore' });
      await expect(openStore(`${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(other)}`)).rejects.toMatchObject({ code: 'STORE_TLS_FAILED' });
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
