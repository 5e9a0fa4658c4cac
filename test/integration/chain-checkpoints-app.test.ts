// When the running app signs its chains' heads besides every N entries: at
// every shift close, every hour with activity, and with the anchor file beside
// the store kept up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAnchors } from '../../main/chain/anchor';
import { CHECKPOINT_MAX_AGE_MS } from '../../main/chain/chain-log';
import { startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';
import { ManualTimers } from '../helpers/manual-timers';

let tmp: ReturnType<typeof tempDir>;
let t: TestApp;
let timers: ManualTimers;

// Read from the store beside the running app.
const latest = async (log: string) =>
  (await t.all<{ seq: number; reason: string }>('SELECT seq, reason FROM chain_checkpoints WHERE log = ? ORDER BY seq DESC LIMIT 1', log))[0];
const checkpointCount = async () => Number(await t.value('SELECT COUNT(*) FROM chain_checkpoints'));
const auditHead = async () => Number(await t.value("SELECT MAX(seq) FROM chain_entries WHERE log = 'audit'"));

describe.each(ENGINE_CASES)('checkpoints of the running station (%s)', (_engine, engine) => {
  beforeEach(async () => {
    tmp = tempDir();
    timers = new ManualTimers();
    t = await startApp(tmp.dir, [{ username: 'clerk1', role: 'clerk' }], { timers, engine });
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });
  /** The last anchor of the audit log in the file beside a SQLite store; a server store has none. */
  const lastAuditAnchor = () => {
    const read = readAnchors(`${t.dbPath}.anchors`);
    if (!read.ok) throw new Error(read.detail);
    return read.anchors.filter((a) => a.log === 'audit').at(-1);
  };

  it('a shift close signs the audit head, including its own logout entry, and anchors it outside the store', async () => {
    await t.login('clerk1');
    expect((await t.call('auth.logout', {})).ok).toBe(true);
    const head = await auditHead();
    expect(await latest('audit')).toEqual({ seq: head, reason: 'shift-close' });
    if (engine.name === 'sqlite') expect(lastAuditAnchor()).toMatchObject({ seq: head, reason: 'shift-close' });
  });

  it('a shift that runs out of time is closed, and signed, too', async () => {
    await t.login('clerk1');
    const before = await auditHead();
    t.clock.advance(15 * 3_600_000);
    expect((await t.call('auth.status', {})).ok).toBe(true);
    expect(await latest('audit')).toMatchObject({ seq: before, reason: 'shift-close' });
  });

  it('an hour with activity is signed within the hour even when nothing follows it, and anchored', async () => {
    await t.login('clerk1');
    expect((await t.call('counter.find', { by: 'tail', value: '1234' })).ok).toBe(true);
    const head = await auditHead();
    // Within the hour of the last checkpoint: not signed by any entry.
    expect((await latest('audit')).seq).toBeLessThan(head);
    await timers.advance(CHECKPOINT_MAX_AGE_MS);
    expect(await latest('audit')).toEqual({ seq: head, reason: 'hourly' });
    if (engine.name === 'sqlite') expect(lastAuditAnchor()).toMatchObject({ seq: head, reason: 'hourly' });
    // An hour without activity adds nothing.
    const count = await checkpointCount();
    await timers.advance(CHECKPOINT_MAX_AGE_MS);
    expect(await checkpointCount()).toBe(count);
  });
});
