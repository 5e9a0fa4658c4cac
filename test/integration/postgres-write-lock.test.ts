// The station's write lock between counters: a counter that waits too long
// for it is told the store is busy (nothing changed), and a counter that froze
// in the middle of a transaction does not hold it, and every other counter,
// for longer than the server's idle-in-transaction limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { freshDatabase, PG_URL } from '../helpers/postgres';

describe.skipIf(!PG_URL)('PostgreSQL: the write lock between counters', () => {
  let url: string;
  let counter1: PostgresStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    url = db.ownerUrl;
    drop = db.drop;
    counter1 = await PostgresStore.open(url);
    await counter1.exec('CREATE TABLE t (id bigint PRIMARY KEY, who text NOT NULL)');
  });
  afterAll(async () => {
    await counter1?.close();
    await drop?.();
  });

  it('tells a counter that waited past its lock timeout that the store is busy, with nothing changed', async () => {
    const counter2 = await PostgresStore.open(url, { lockTimeoutMs: 300 });
    let release!: () => void;
    const holding = counter1.transaction(async (tx) => {
      await tx.run("INSERT INTO t (id, who) VALUES (1, 'counter1')");
      await new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setTimeout(r, 50));
    await expect(counter2.transaction((tx) => tx.run("INSERT INTO t (id, who) VALUES (2, 'counter2')"))).rejects.toMatchObject({ code: 'STORE_BUSY' });
    release();
    await holding;
    expect(await counter1.all('SELECT id, who FROM t ORDER BY id')).toEqual([{ id: 1, who: 'counter1' }]);
    await counter2.close();
  });

  it('frees the lock of a counter frozen mid-transaction once the server ends its idle session', async () => {
    const frozen = await PostgresStore.open(url, { idleInTransactionMs: 500 });
    let thaw!: () => void;
    const stuck = frozen.transaction(async (tx) => {
      await tx.run("INSERT INTO t (id, who) VALUES (10, 'frozen')");
      await new Promise<void>((r) => (thaw = r));
      await tx.run("INSERT INTO t (id, who) VALUES (11, 'frozen')");
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await counter1.transaction((tx) => tx.run("INSERT INTO t (id, who) VALUES (20, 'counter1')"));
    expect(Date.now() - started).toBeLessThan(5000);
    thaw();
    await expect(stuck).rejects.toMatchObject({ code: 'STORE_CONNECTION_LOST' });
    expect(await counter1.value('SELECT count(*) FROM t WHERE who = ?', 'frozen')).toBe(0);
    await frozen.close();
  });
});
