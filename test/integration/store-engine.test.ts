import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUsageError, type Queryable, type Store } from '../../main/store/engine/store';
import { ENGINES } from '../helpers/engines';

describe.each(ENGINES)('store engine: $name', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.emptyStore());
    await store.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, blob BYTEA)');
  });
  afterEach(() => dispose());

  it('binds positional and named values and reads rows, values and blobs back', async () => {
    await store.run('INSERT INTO t (id, name, blob) VALUES (?, ?, ?)', 1, 'a', new Uint8Array([1, 2, 3]));
    await store.run('INSERT INTO t (id, name, blob) VALUES (@id, @name, NULL)', { id: 2, name: 'b' });
    const row = await store.get<{ id: number; name: string; blob: Uint8Array }>('SELECT id, name, blob FROM t WHERE name = ?', 'a');
    expect(row?.id).toBe(1);
    expect([...row!.blob]).toEqual([1, 2, 3]);
    expect(await store.value<number>('SELECT count(*) AS n FROM t')).toBe(2);
    expect((await store.all<{ name: string }>('SELECT name FROM t ORDER BY id')).map((r) => r.name)).toEqual(['a', 'b']);
    expect(await store.get('SELECT id FROM t WHERE name = ?', 'none')).toBeUndefined();
    expect((await store.run('UPDATE t SET name = name || ? WHERE id > ?', 'x', 0)).changes).toBe(2);
  });

  it('commits a transaction that resolves and leaves nothing of one that throws', async () => {
    const id = await store.transaction(async (tx) => {
      await tx.run('INSERT INTO t (id, name) VALUES (?, ?)', 1, 'kept');
      return tx.value<number>('SELECT id FROM t WHERE name = ?', 'kept');
    });
    expect(id).toBe(1);
    await expect(
      store.transaction(async (tx) => {
        await tx.run('INSERT INTO t (id, name) VALUES (?, ?)', 2, 'lost');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await store.value('SELECT count(*) FROM t')).toBe(1);
  });

  it('runs transactions one after another even when each awaits in the middle', async () => {
    const order: string[] = [];
    const step = async (name: string) => {
      await store.transaction(async (tx) => {
        order.push(`${name}:begin`);
        const n = Number(await tx.value('SELECT count(*) FROM t'));
        await new Promise((r) => setTimeout(r, 5));
        await tx.run('INSERT INTO t (id, name) VALUES (?, ?)', n + 1, name);
        order.push(`${name}:end`);
      });
    };
    await Promise.all([step('a'), step('b'), step('c')]);
    expect(order).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
    expect(await store.value('SELECT count(*) FROM t')).toBe(3);
  });

  it('makes a statement on the store wait for an open transaction instead of joining it', async () => {
    let inside!: () => void;
    const gate = new Promise<void>((r) => (inside = r));
    const tx = store.transaction(async (t) => {
      await t.run("INSERT INTO t (id, name) VALUES (1, 'rolled back')");
      await gate;
      throw new Error('undo');
    });
    await new Promise((r) => setTimeout(r, 0));
    const outside = store.run("INSERT INTO t (id, name) VALUES (2, 'outside')");
    inside();
    await expect(tx).rejects.toThrow('undo');
    await outside;
    expect(await store.all('SELECT name FROM t')).toEqual([{ name: 'outside' }]);
  });

  it('rolls a savepoint back alone and keeps the rest of the transaction', async () => {
    await store.transaction(async (tx) => {
      await tx.run("INSERT INTO t (id, name) VALUES (1, 'outer')");
      await expect(
        tx.savepoint(async (sp) => {
          await sp.run("INSERT INTO t (id, name) VALUES (2, 'inner')");
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await tx.savepoint((sp) => sp.run("INSERT INTO t (id, name) VALUES (3, 'second')"));
    });
    expect((await store.all<{ name: string }>('SELECT name FROM t ORDER BY id')).map((r) => r.name)).toEqual(['outer', 'second']);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let kept!: Parameters<Parameters<Store['transaction']>[0]>[0];
    await store.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept.run("INSERT INTO t (id, name) VALUES (1, 'late')")).rejects.toBeInstanceOf(StoreUsageError);
  });

  it('commits a non-durable transaction at the relaxed safety level, then puts the durable one back', async () => {
    // What "durable" means differs per engine; the test reads each engine's own setting.
    const level = (q: Queryable): Promise<unknown> =>
      q.dialect === 'sqlite' ? q.value<number>('PRAGMA synchronous') : q.value<string>('SHOW synchronous_commit');
    const durable = await store.transaction(level);
    const relaxed = await store.transaction(async (tx) => {
      await tx.run('INSERT INTO t (id, name) VALUES (?, ?)', 1, 'fast');
      return level(tx);
    }, { durable: false });
    expect(relaxed).not.toBe(durable);
    expect(relaxed).toBe(store.dialect === 'sqlite' ? 1 : 'off');
    await expect(
      store.transaction(async (tx) => {
        await tx.run('INSERT INTO t (id, name) VALUES (?, ?)', 2, 'lost');
        throw new Error('refused');
      }, { durable: false }),
    ).rejects.toThrow('refused');
    expect(await store.transaction(level)).toBe(durable);
    expect((await store.all<{ name: string }>('SELECT name FROM t')).map((r) => r.name)).toEqual(['fast']);
  });

  it('answers statements sent at once inside a transaction, in the order sent, without the driver warning of it', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const names = await store.transaction(async (tx) => {
        await Promise.all([1, 2, 3, 4].map((i) => tx.run('INSERT INTO t (id, name) VALUES (?, ?)', i, `n${i}`)));
        return Promise.all([1, 2, 3, 4].map((i) => tx.value<string>('SELECT name FROM t WHERE id = ?', i)));
      });
      expect(names).toEqual(['n1', 'n2', 'n3', 'n4']);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('copies rows in bulk: every kind of value back as sent, conflicting rows skipped, the first of two kept', async () => {
    const tricky = 'tab\there, line\nend\r\n, back\\slash, \\N, 中文';
    const stored = await store.transaction((tx) =>
      tx.copyRows(
        't',
        ['id', 'name', 'blob'],
        [
          [1, tricky, new Uint8Array([0, 9, 10, 13, 92, 255])],
          [2, 'plain', null],
          [3, '', Buffer.alloc(0)],
          [4, 'plain', new Uint8Array([1])], // the same name as id 2: skipped
        ],
        ['name'],
      ),
    );
    expect(stored).toBe(3);
    const rows = await store.all<{ id: number; name: string; blob: Uint8Array | null }>('SELECT id, name, blob FROM t ORDER BY id');
    expect(rows.map((r) => [r.id, r.name, r.blob && [...r.blob]])).toEqual([
      [1, tricky, [0, 9, 10, 13, 92, 255]],
      [2, 'plain', null],
      [3, '', []],
    ]);
    // Twice in one transaction, and against what is stored: only the new name goes in.
    const again = await store.transaction(async (tx) => [
      await tx.copyRows('t', ['id', 'name'], [[5, 'plain'], [6, 'new']], ['name']),
      await tx.copyRows('t', ['id', 'name'], [[7, 'new'], [8, 'newer']], ['name']),
    ]);
    expect(again).toEqual([1, 1]);
    expect(await store.value('SELECT count(*) FROM t')).toBe(5);
    // A failed copy rolls back with its transaction.
    await expect(store.transaction((tx) => tx.copyRows('t', ['id', 'name'], [[9, 'x'], [9, 'y']]))).rejects.toThrow();
    expect(await store.value('SELECT count(*) FROM t')).toBe(5);
    await expect(store.transaction((tx) => tx.copyRows('t; DROP TABLE t', ['id'], [[10]]))).rejects.toBeInstanceOf(StoreUsageError);
  });

  it('iterates over every row', async () => {
    await store.transaction(async (tx) => {
      for (let i = 1; i <= 250; i++) await tx.run('INSERT INTO t (id, name) VALUES (?, ?)', i, `n${i}`);
    });
    let n = 0;
    for await (const row of store.iterate<{ id: number }>('SELECT id FROM t ORDER BY id')) expect(row.id).toBe(++n);
    expect(n).toBe(250);
  });
});
