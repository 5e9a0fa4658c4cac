// A transaction cut off by the server dying: on a cluster of its own (not the
// shared one), the server is killed (`pg_ctl stop -m immediate`) while a
// transaction has written half its rows. Nothing of it survives, the store
// reports the loss with its bilingual code, refuses meanwhile, and carries on
// once the server is back, without being reopened.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyCounters, StationEvents } from '../../main/store/engine/postgres-events';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { errorMessages } from '../../shared/errors';
import { PG_URL, withDatabase } from '../helpers/postgres';

const script = join(__dirname, '../../scripts/pg-cluster.sh');
const cluster = (...args: string[]) => execFileSync(script, args, { encoding: 'utf8' });

async function until(what: () => boolean, ms: number): Promise<number> {
  const start = Date.now();
  while (!what()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

describe.skipIf(!PG_URL)('PostgreSQL server killed mid-transaction', () => {
  let dir: string;
  let store: PostgresStore;
  let events: StationEvents;
  const states: string[] = [];
  const inbox: unknown[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-pg-fault-'));
    const ownerUrl = /PC_TEST_PG_URL=(\S+)/.exec(cluster('start', dir))![1];
    const admin = new pg.Client({ connectionString: ownerUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE fault');
    await admin.end();
    store = await PostgresStore.open(withDatabase(ownerUrl, 'fault'));
    await store.exec('CREATE TABLE t (id bigint PRIMARY KEY, note text NOT NULL)');
    await store.run("INSERT INTO t (id, note) VALUES (0, 'before')");
    events = await StationEvents.open(withDatabase(ownerUrl, 'fault'), { message: (m) => inbox.push(m), connection: (s) => states.push(s) });
  }, 60_000);
  afterAll(async () => {
    await events?.close();
    await store?.close().catch(() => undefined);
    try {
      cluster('stop', dir, 'immediate');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves nothing half-written, reports the lost connection, and works again after the restart', async () => {
    const cut = store.transaction(async (tx) => {
      for (let i = 1; i <= 50; i++) await tx.run('INSERT INTO t (id, note) VALUES (?, ?)', i, 'half');
      cluster('stop', dir, 'immediate');
      for (let i = 51; i <= 100; i++) await tx.run('INSERT INTO t (id, note) VALUES (?, ?)', i, 'half');
    });
    const lost = await cut.catch((e: unknown) => e);
    // The counter hears of it at once through its listening connection, not only at its next statement.
    expect(await until(() => states.includes('lost'), 2000)).toBeLessThan(2000);
    expect(events.connected).toBe(false);
    expect(lost).toMatchObject({ code: 'STORE_CONNECTION_LOST' });
    const { zh, en } = errorMessages.STORE_CONNECTION_LOST;
    expect((lost as Error).message).toContain(zh);
    expect((lost as Error).message).toContain(en);

    // While the server is down every statement is refused the same way, writes included.
    await expect(store.value('SELECT count(*) FROM t')).rejects.toMatchObject({ code: 'STORE_CONNECTION_LOST' });
    await expect(store.run("INSERT INTO t (id, note) VALUES (200, 'down')")).rejects.toMatchObject({ code: 'STORE_CONNECTION_LOST' });

    cluster('start', dir);
    await until(() => states.includes('restored'), 15_000);
    expect(states).toEqual(['lost', 'restored']);
    expect(await store.all('SELECT id, note FROM t ORDER BY id')).toEqual([{ id: 0, note: 'before' }]);
    await store.transaction((tx) => tx.run("INSERT INTO t (id, note) VALUES (1, 'after')"));
    expect(await store.value('SELECT count(*) FROM t')).toBe(2);
    // And the counters hear each other again.
    await store.transaction((tx) => notifyCounters(tx, { event: 'handover', parcelId: 1, workstation: 'counter-1' }));
    await until(() => inbox.length === 1, 1000);
  }, 60_000);
});
