// The background drain on its worker thread, on each engine: a real worker
// with its own read-only connection reads the due notices and sends through a
// local webhook; every write (plan, claim, settlement, audit entry) is applied
// on the main thread's connection, the station's one writer, and the claim is
// committed before the request leaves. The audit chain stays one verifiable
// chain, a write the main thread cannot apply sends nothing, and after a key
// rotation the worker follows the new keys.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { DRAIN_EVERY_MS } from '../../main/app/services/notify';
import { stationPublicKey } from '../../main/chain/signing-key';
import { verifyAllChains } from '../../main/chain/verify';
import { DrainThread } from '../../main/notify/drain-thread';
import { localWriter, type OutboxWriter } from '../../main/notify/outbox-writes';
import { STALE_AFTER_MS } from '../../main/notify/sender';
import { Settings } from '../../main/settings/settings';
import { attachStation, withEmbeddedDb, type Station } from '../../main/store/station';
import { AppError } from '../../shared/errors';
import { clerk, sfWaybill } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { newStation, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { ManualTimers } from '../helpers/manual-timers';
import { webhookServer, type ProviderServer } from '../helpers/sms-servers';

const boss = { ...clerk(1, 'boss'), role: 'supervisor' as const };

async function notifyingStation(station: Station, timers?: ManualTimers): Promise<{ s: AppServices; hook: ProviderServer & { delivered: Map<string, number> } }> {
  const s = createServices(station, { now: () => new Date(), workstation: 'counter-1', timers });
  const hook = await webhookServer('hook-secret');
  const settings = new Settings();
  for (const [k, v] of [
    ['notify.arrival', true],
    ['notify.batchSeconds', 0],
    ['notify.quietHours', ''],
    ['notify.provider', 'webhook'],
    ['notify.endpoint', hook.url],
    ['notify.arrivalTemplateCode', 'SMS_900001'],
  ] as const) await settings.set(station.store, k, v as never);
  await s.notify.setCredentials(boss, 'webhook', { secret: 'hook-secret' });
  return { s, hook };
}

const scanFor = (s: AppServices) => (phone: string) =>
  s.inbound.scanIn(clerk(2), { waybill: sfWaybill(), recipient: { name: '欧阳娜娜', phone, address: '北京市朝阳区望京街道' } });
const statusesOf = async (station: Station) => (await station.store.all<{ status: string }>('SELECT status FROM notify_outbox ORDER BY id')).map((r) => r.status);
const chainsOk = (station: Station) => withEmbeddedDb(station, (db) => verifyAllChains(db, stationPublicKey(db).publicKey).ok);

describe.each(ENGINE_CASES)('pickup notices: the drain on a worker thread, one writer (%s)', (_, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  let s: AppServices;
  let hook: ProviderServer & { delivered: Map<string, number> };
  let thread: DrainThread | null = null;

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
    ({ s, hook } = await notifyingStation(station));
  });
  afterEach(async () => {
    await thread?.close();
    thread = null;
    // dispose() closes the station, which closing all the services would do a second time.
    await s.notify.close();
    await hook.close();
    await dispose();
    tmp.cleanup();
  });

  /** The main thread's writer, noting each batch it committed and how many requests the endpoint had by then. */
  function watchedWriter(fail?: (ops: string[]) => boolean): { writer: OutboxWriter; log: { ops: string[]; requestsBefore: number }[] } {
    const local = localWriter(station.store, (tx, e) => s.oversight.record(tx, e));
    const log: { ops: string[]; requestsBefore: number }[] = [];
    return {
      log,
      writer: {
        async apply(writes, now) {
          const ops = writes.map((w) => w.op);
          if (fail?.(ops)) throw new AppError('STORE_BUSY');
          const results = await local.apply(writes, now);
          log.push({ ops, requestsBefore: hook.received.length });
          return results;
        },
      },
    };
  }

  it('writes only through the main connection, the claim committed before the request leaves, audited in the one chain', async () => {
    await scanFor(s)('13800138001');
    const { writer, log } = watchedWriter();
    thread = DrainThread.for(station, 'counter-1', writer);
    const reports = await thread!.drain();

    expect(reports.map((r) => [r.status, r.phone])).toEqual([['sent', '*******8001']]);
    expect(await statusesOf(station)).toEqual(['sent']);
    expect(hook.received.map((r) => [r.to[0], r.signatureOk])).toEqual([['13800138001', true]]);
    expect(log).toEqual([
      { ops: ['enqueue'], requestsBefore: 0 },
      { ops: ['claim'], requestsBefore: 0 },
      { ops: ['settle'], requestsBefore: 1 },
    ]);
    const audits = await s.audit.auditEntries({ action: 'notify.send' });
    expect(audits.map((a) => [a.detail.result, a.workstation])).toEqual([['sent', 'counter-1']]);
    expect(await chainsOk(station)).toBe(true);
  });

  it('a claim the main thread cannot commit fails the pass with its code, and nothing is sent', async () => {
    await scanFor(s)('13800138001');
    const { writer } = watchedWriter((ops) => ops.includes('claim'));
    thread = DrainThread.for(station, 'counter-1', writer);
    await expect(thread!.drain()).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(hook.received).toEqual([]);
    expect(await statusesOf(station)).toEqual(['queued']);
  });

  /** Moves the outbox's clocks back, as if `ms` had passed: the worker's sender runs on the system clock. */
  const age = (ms: number) =>
    station.store.transaction(async (tx) => {
      const earlier = (t: string) => new Date(Date.parse(t) - ms).toISOString();
      for (const r of await tx.all<{ id: number; updated_at: string; next_attempt_at: string }>('SELECT id, updated_at, next_attempt_at FROM notify_outbox')) {
        await tx.run('UPDATE notify_outbox SET updated_at = ?, next_attempt_at = ? WHERE id = ?', earlier(r.updated_at), earlier(r.next_attempt_at), r.id);
      }
    });

  it('a throttled send is queued again with backoff and audited, then sent under the same key', async () => {
    hook.script.push('throttle');
    await scanFor(s)('13800138001');
    thread = DrainThread.for(station, 'counter-1', watchedWriter().writer);
    expect((await thread!.drain()).map((r) => [r.status, r.code])).toEqual([['queued', 'HTTP_429']]);
    const [row] = await station.store.all<{ status: string; attempts: number; next_attempt_at: string }>('SELECT status, attempts, next_attempt_at FROM notify_outbox');
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(Date.parse(row.next_attempt_at) - Date.now()).toBeGreaterThan(50_000);
    expect(await thread!.drain()).toEqual([]); // not yet due

    await age(120_000);
    expect((await thread!.drain()).map((r) => r.status)).toEqual(['sent']);
    expect(new Set(hook.received.map((r) => r.key)).size).toBe(1);
    expect(hook.received).toHaveLength(2);
    expect((await s.audit.auditEntries({ action: 'notify.send' })).map((a) => a.detail.result).reverse()).toEqual(['queued', 'sent']);
  });

  it('a worker cut off between send and record: the claim stays, and the webhook gets the same key again, delivered once', async () => {
    await scanFor(s)('13800138001');
    // The settlement never reaches the main thread, as when the worker dies after its request.
    thread = DrainThread.for(station, 'counter-1', watchedWriter((ops) => ops.includes('settle')).writer);
    await expect(thread!.drain()).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(await statusesOf(station)).toEqual(['sending']);
    expect(hook.received).toHaveLength(1);
    await thread!.close();

    thread = DrainThread.for(station, 'counter-1', watchedWriter().writer);
    expect(await thread!.drain()).toEqual([]); // not stale yet: another sender may still be at it
    await age(STALE_AFTER_MS + 60_000);
    expect((await thread!.drain()).map((r) => [r.status, r.messageId])).toEqual([['sent', 'wh-1']]);
    expect(hook.received.map((r) => r.key)).toEqual([hook.received[0].key, hook.received[0].key]);
    expect(hook.delivered.size).toBe(1);
    expect(await statusesOf(station)).toEqual(['sent']);
  });

  it("the worker's connection cannot write the station", async () => {
    const attached = await attachStation(station.target, station.keys);
    try {
      expect(await attached.store.value<number>('SELECT COUNT(*) FROM notify_outbox')).toBe(0);
      await expect(attached.store.run("UPDATE settings SET value = 'x' WHERE key = 'notify.provider'")).rejects.toThrow();
    } finally {
      await attached.close();
    }
  });
});

describe('pickup notices: the scheduled drain follows a key rotation', () => {
  const timers = new ManualTimers();
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let s: AppServices;
  let hook: ProviderServer & { delivered: Map<string, number> };

  /** One pass of the schedule; the worker answers in its own time. */
  async function pass(until: () => Promise<boolean>): Promise<void> {
    await timers.advance(DRAIN_EVERY_MS);
    const deadline = Date.now() + 30_000;
    while (!(await until()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  beforeEach(async () => {
    tmp = tempDir();
    ({ station } = newStation(tmp.dir));
    ({ s, hook } = await notifyingStation(station, timers));
  });
  afterEach(async () => {
    await s.close();
    await hook.close();
    tmp.cleanup();
  });

  it('sends off the main thread before and after the rotation', async () => {
    let mainThreadDrains = 0;
    const drain = s.notify.sender.drain.bind(s.notify.sender);
    s.notify.sender.drain = (...args) => {
      mainThreadDrains++;
      return drain(...args);
    };
    s.notify.start();
    await scanFor(s)('13800138001');
    await pass(async () => (await statusesOf(station))[0] === 'sent');
    expect(await statusesOf(station)).toEqual(['sent']);

    await s.lifecycle.rotate(boss, TEST_PASSPHRASE);
    await scanFor(s)('13900139002');
    await pass(async () => (await statusesOf(station))[1] === 'sent');
    expect(await statusesOf(station)).toEqual(['sent', 'sent']);
    expect(hook.received.map((r) => r.to[0])).toEqual(['13800138001', '13900139002']);

    expect(mainThreadDrains).toBe(0);
    const audits = await s.audit.auditEntries({ action: 'notify.send' });
    expect(audits.map((a) => a.detail.result)).toEqual(['sent', 'sent']);
    expect(await chainsOk(station)).toBe(true);
  });
});
