// When the running app signs its chains' heads besides every N entries: at
// every shift close, every hour with activity, and with the anchor file beside
// the store kept up.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAnchors } from '../../main/chain/anchor';
import { CHECKPOINT_MAX_AGE_MS } from '../../main/chain/chain-log';
import { startApp, type TestApp } from '../helpers/app';
import { tempDir } from '../helpers/fixtures';
import { ManualTimers } from '../helpers/manual-timers';

let tmp: ReturnType<typeof tempDir>;
let t: TestApp;
let timers: ManualTimers;

beforeEach(async () => {
  tmp = tempDir();
  timers = new ManualTimers();
  t = await startApp(tmp.dir, [{ username: 'clerk1', role: 'clerk' }], { timers });
});

afterEach(() => {
  t.app.close();
  tmp.cleanup();
});

/** One row read from the store file, beside the running app. */
function readRow<T>(sql: string, ...params: unknown[]): T {
  const raw = new Database(t.dbPath, { readonly: true });
  try {
    return raw.prepare(sql).get(...params) as T;
  } finally {
    raw.close();
  }
}

const latest = (log: string) =>
  readRow<{ seq: number; reason: string } | undefined>('SELECT seq, reason FROM chain_checkpoints WHERE log = ? ORDER BY seq DESC LIMIT 1', log);
const checkpointCount = () => readRow<{ n: number }>('SELECT COUNT(*) AS n FROM chain_checkpoints').n;
const auditHead = () => readRow<{ n: number }>("SELECT MAX(seq) AS n FROM chain_entries WHERE log = 'audit'").n;

describe('checkpoints of the running station', () => {
  it('a shift close signs the audit head, including its own logout entry, and anchors it outside the store', async () => {
    await t.login('clerk1');
    expect((await t.call('auth.logout', {})).ok).toBe(true);
    const head = auditHead();
    expect(latest('audit')).toEqual({ seq: head, reason: 'shift-close' });
    const read = readAnchors(`${t.dbPath}.anchors`);
    if (!read.ok) throw new Error(read.detail);
    expect(read.anchors.filter((a) => a.log === 'audit').at(-1)).toMatchObject({ seq: head, reason: 'shift-close' });
  });

  it('a shift that runs out of time is closed, and signed, too', async () => {
    await t.login('clerk1');
    const before = auditHead();
    t.clock.advance(15 * 3_600_000);
    expect((await t.call('auth.status', {})).ok).toBe(true);
    expect(latest('audit')).toMatchObject({ seq: before, reason: 'shift-close' });
  });

  it('an hour with activity is signed within the hour even when nothing follows it, and anchored', async () => {
    await t.login('clerk1');
    expect((await t.call('counter.find', { by: 'tail', value: '1234' })).ok).toBe(true);
    const head = auditHead();
    // Within the hour of the last checkpoint: not signed by any entry.
    expect(latest('audit')!.seq).toBeLessThan(head);
    await timers.advance(CHECKPOINT_MAX_AGE_MS);
    expect(latest('audit')).toEqual({ seq: head, reason: 'hourly' });
    const read = readAnchors(`${t.dbPath}.anchors`);
    if (!read.ok) throw new Error(read.detail);
    expect(read.anchors.filter((a) => a.log === 'audit').at(-1)).toMatchObject({ seq: head, reason: 'hourly' });
    // An hour without activity adds nothing.
    const count = checkpointCount();
    await timers.advance(CHECKPOINT_MAX_AGE_MS);
    expect(checkpointCount()).toBe(count);
  });
});
