// The outbox and its sender against each store engine, real crypto and local HTTP
// servers standing in for the providers: batching per recipient, virtual
// numbers, opt-outs, quiet hours, retries with backoff, throttling, no
// duplicate after a crash between send and record, audit entries, and no
// name, address or item in any message.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { notifyConfig } from '../../main/notify/config';
import { outbox } from '../../main/notify/outbox';
import { planNotices } from '../../main/notify/planner';
import { makeProvider } from '../../main/notify/providers';
import { STALE_AFTER_MS } from '../../main/notify/sender';
import { openStation, type EmbeddedStation, type Station } from '../../main/store/station';
import type { SettingKey, SettingValue } from '../../main/settings/settings';
import { Settings } from '../../main/settings/settings';
import { clerk, countIn, sfWaybill, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { aliyunServer, webhookServer, type ProviderServer } from '../helpers/sms-servers';

const NAME = '欧阳娜娜';
const ADDRESS = '北京市朝阳区望京街道阜通东大街6号院3号楼1单元502';
const PHONE_A = '13800138001';
const PHONE_B = '13900139002';
const boss = { ...clerk(1, 'boss'), role: 'supervisor' as const };

describe.each(ENGINE_CASES)('pickup notices: outbox and sender (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let target: string;
  let dispose: () => Promise<void>;
  let clock: ReturnType<typeof testClock>;
  let s: AppServices;
  let servers: ProviderServer[] = [];

  const set = <K extends SettingKey>(key: K, value: SettingValue<K>) => new Settings().set(station.store, key, value);
  const scan = (phone: string) => s.inbound.scanIn(clerk(2), { waybill: sfWaybill(), recipient: { name: NAME, phone, address: ADDRESS } });
  const rows = () => station.store.all<{
    id: number; status: string; parcel_ids: string; body: string; provider_code: string | null; attempts: number; next_attempt_at: string; provider_message_id: string | null;
  }>('SELECT id, status, parcel_ids, body, provider_code, attempts, next_attempt_at, provider_message_id FROM notify_outbox ORDER BY id');
  const sendAudits = () => s.audit.auditEntries({ action: 'notify.send' });

  async function useWebhook(): Promise<Awaited<ReturnType<typeof webhookServer>>> {
    const hook = await webhookServer('hook-secret');
    servers.push(hook);
    await set('notify.provider', 'webhook');
    await set('notify.endpoint', hook.url);
    await s.notify.setCredentials(boss, 'webhook', { secret: 'hook-secret' });
    return hook;
  }

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, target, dispose } = await newStationOn(engine, tmp.dir));
    clock = testClock('2025-06-02T02:00:00Z');
    s = createServices(station, { now: clock.now, workstation: 'counter-1' });
    await set('notify.arrival', true);
    await set('notify.batchSeconds', 120);
    await set('notify.arrivalTemplateCode', 'SMS_900001');
    await set('notify.link', 'https://s.example/zt');
  });
  afterEach(async () => {
    await Promise.all(servers.map((x) => x.close()));
    servers = [];
    await s.close();
    await dispose();
    tmp.cleanup();
  });

  it('batches arrivals per number into one notice with every code, sends it signed, and audits it', async () => {
    const hook = await useWebhook();
    const a = [await scan(PHONE_A), await scan(PHONE_A)];
    const b = await scan(PHONE_B);
    clock.advance({ minutes: 1 });
    a.push(await scan(PHONE_A));
    // A number still receiving parcels waits for its batch to settle.
    clock.advance({ minutes: 1 });
    expect((await s.notify.drain(null)).map((r) => r.parcels)).toEqual([[b.parcelId]]);
    clock.advance({ minutes: 2 });
    const reports = await s.notify.drain(null);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ parcels: a.map((x) => x.parcelId), template: 'SMS_900001', provider: 'webhook', status: 'sent', phone: '*******8001' });
    expect(hook.received.map((r) => r.to[0])).toEqual([PHONE_B, PHONE_A]);
    expect(hook.received.every((r) => r.signatureOk)).toBe(true);
    expect(hook.received[1].params[0].codes).toBe(a.map((x) => x.parcel.pickupCode).join(','));
    // The message: station facts only, never the name, the address or the item.
    for (const r of hook.received) {
      expect(r.raw).not.toContain(NAME);
      expect(r.raw).not.toContain(NAME.slice(0, 1) + '*');
      expect(r.raw).not.toContain('望京街道');
      expect(r.raw).not.toContain('物品');
      expect(r.raw).toContain('测试驿站');
    }
    const audits = await sendAudits();
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ parcelIds: a.map((x) => x.parcelId), detail: { template: 'SMS_900001', provider: 'webhook', result: 'sent', messageId: 'wh-2' } });
    // The chain holds no number, masked or not.
    expect(JSON.stringify(audits)).not.toMatch(/8001|9002/);
    // Nothing is announced twice.
    clock.advance({ minutes: 10 });
    expect(await s.notify.drain(null)).toEqual([]);
  });

  it('leaves a virtual number to the carrier and an opted-out number alone, sending neither', async () => {
    const hook = await useWebhook();
    await scan('13800138003-4521');
    await s.notify.setOptOut(boss, '+86 139 0013 9002', true);
    await scan(PHONE_B);
    clock.advance({ minutes: 3 });
    const reports = await s.notify.drain(null);
    expect(reports.map((r) => [r.status, r.code])).toEqual([['carrier', 'VIRTUAL']]);
    expect(hook.received).toHaveLength(0);
    expect((await rows()).map((r) => r.status)).toEqual(['carrier', 'opted_out']);
    expect((await s.notify.optOutStatus(PHONE_B)).optedOut).toBe(true);
    expect((await s.audit.auditEntries({ action: 'notify.opt_out' }))[0].detail).toEqual({ optOut: true });
  });

  it('an opt-out survives key rotations, one kept from before numbers were sealed too', async () => {
    const hook = await useWebhook();
    await scan(PHONE_A);
    const b = await scan(PHONE_B);
    await s.notify.setOptOut(boss, PHONE_A, true);
    // As the first version kept it: the index alone.
    await station.store.run("INSERT INTO notify_optouts (phone_bidx, created_at) SELECT phone_bidx, '2025-06-01T00:00:00Z' FROM parcels WHERE id = ?", b.parcelId);
    for (let i = 0; i < 2; i++) await s.lifecycle.rotate(boss, TEST_PASSPHRASE);
    expect(station.keys.field.generation).toBe(3);
    expect(await countIn(station, 'SELECT COUNT(*) FROM notify_optouts WHERE phone_ct IS NOT NULL')).toBe(2);
    await scan(PHONE_A);
    await scan(PHONE_B);
    clock.advance({ minutes: 3 });
    expect(await s.notify.drain(null)).toEqual([]);
    expect((await rows()).map((r) => r.status)).toEqual(['opted_out', 'opted_out']);
    expect(hook.received).toHaveLength(0);
    expect((await s.notify.optOutStatus(PHONE_A)).optedOut).toBe(true);
    expect((await s.notify.optOutStatus(PHONE_B)).since).toBe('2025-06-01T00:00:00Z');
  });

  it('does not send a notice queued before its number opted out', async () => {
    const hook = await useWebhook();
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    const cfg = await notifyCfg();
    await station.store.transaction((tx) => planNotices(tx, cfg, station.name, clock.now()));
    await s.notify.setOptOut(boss, PHONE_A, true);
    expect(await s.notify.drain(null)).toMatchObject([{ status: 'opted_out', code: 'OPTED_OUT', phone: '*******8001' }]);
    expect(hook.received).toHaveLength(0);
    expect((await sendAudits())[0].detail).toMatchObject({ result: 'opted_out' });
  });

  it('by hand: the text for one recipient is copied on its own, audited, with no number, name or address in it', async () => {
    await set('notify.provider', 'manual');
    const a = await scan(PHONE_A);
    await scan(PHONE_B);
    clock.advance({ minutes: 3 });
    expect((await s.notify.drain(null)).map((r) => r.status)).toEqual(['manual', 'manual']);
    const [, first] = await s.notify.outbox();
    const { text } = await s.notify.copyManual(clerk(2), first.id);
    expect(text).toBe(first.text);
    expect(text).toContain(a.parcel.pickupCode);
    for (const personal of [PHONE_A, PHONE_A.slice(-4), NAME, '望京街道']) expect(text).not.toContain(personal);
    expect((await rows()).map((r) => r.provider_code)).toEqual(['COPIED', 'MANUAL']);
    const copied = (await sendAudits()).filter((e) => e.detail.code === 'COPIED');
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatchObject({ parcelIds: [a.parcelId], detail: { outbox: first.id, provider: 'manual', result: 'manual' } });
    expect(JSON.stringify(copied)).not.toMatch(/8001/);
  });

  it('refuses to copy a notice that is not one to send by hand', async () => {
    await useWebhook();
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    await s.notify.drain(null);
    await expect(s.notify.copyManual(clerk(2), (await rows())[0].id)).rejects.toMatchObject({ code: 'NOTIFY_NOT_MANUAL' });
    await expect(s.notify.copyManual(clerk(2), 999)).rejects.toMatchObject({ code: 'NOTIFY_NOT_MANUAL' });
  });

  it('holds notices through quiet hours', async () => {
    const hook = await useWebhook();
    await scan(PHONE_A);
    clock.set('2025-06-02T14:00:00Z'); // 22:00 in Beijing
    expect(await s.notify.drain(null)).toEqual([]);
    expect((await rows())[0].status).toBe('queued');
    clock.set('2025-06-03T00:30:00Z'); // 08:30
    expect((await s.notify.drain(null))[0].status).toBe('sent');
    expect(hook.received).toHaveLength(1);
  });

  it('retries passing failures with backoff, waits longer when throttled, and fails for good on a refusal', async () => {
    const hook = await useWebhook();
    hook.script.push('server-error', 'throttle', 'ok');
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    expect((await s.notify.drain(null))[0]).toMatchObject({ status: 'queued', code: 'HTTP_503' });
    const first = (await rows())[0];
    expect(Date.parse(first.next_attempt_at) - clock.now().getTime()).toBe(30_000);
    expect(await s.notify.drain(null)).toEqual([]); // not yet due
    clock.advance({ minutes: 1 });
    expect((await s.notify.drain(null))[0]).toMatchObject({ status: 'queued', code: 'HTTP_429' });
    expect(Date.parse((await rows())[0].next_attempt_at) - clock.now().getTime()).toBe(120_000);
    clock.advance({ minutes: 2 });
    expect((await s.notify.drain(null))[0]).toMatchObject({ status: 'sent' });
    expect((await rows())[0].attempts).toBe(3);
    expect(hook.delivered.size).toBe(1);

    hook.script.push('error');
    await scan(PHONE_B);
    clock.advance({ minutes: 3 });
    expect((await s.notify.drain(null))[0]).toMatchObject({ status: 'failed', code: 'BAD_NUMBER' });
  });

  it('a send failure never blocks scan-in: with the endpoint down the counter goes on and the notices wait', async () => {
    await set('notify.provider', 'webhook');
    await set('notify.endpoint', 'http://127.0.0.1:9/');
    await s.notify.setCredentials(boss, 'webhook', { secret: 'x' });
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    expect((await s.notify.drain(null))[0]).toMatchObject({ status: 'queued', code: 'UNREACHABLE' });
    expect((await scan(PHONE_B)).created).toBe(true);
  });

  it('after a crash between send and record: an idempotent webhook gets the same key again, once delivered', async () => {
    const hook = await useWebhook();
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    // A drain that claims and sends, then dies before it records.
    const cfg = await notifyCfg();
    await station.store.transaction((tx) => planNotices(tx, cfg, station.name, clock.now()));
    const [due] = await station.store.transaction((tx) => outbox.due(tx, clock.now(), 10));
    await station.store.transaction((tx) => outbox.claim(tx, due.id, 'webhook', clock.now()));
    const provider = makeProvider('webhook', { secret: 'hook-secret' }, { endpoint: hook.url, signName: '', now: clock.now });
    await provider.send([{ key: due.idemKey, to: PHONE_A, notice: due.notice }]);
    // Restart: a fresh sender sees the claim go stale and resends under the same key.
    await s.close();
    station = await openStation(target, TEST_PASSPHRASE);
    s = createServices(station, { now: clock.now, workstation: 'counter-1' });
    expect(await s.notify.drain(null)).toEqual([]); // not stale yet: another sender may still be at it
    clock.advance({ minutes: STALE_AFTER_MS / 60_000 + 1 });
    const [report] = await s.notify.drain(null);
    expect(report).toMatchObject({ status: 'sent', messageId: 'wh-1' });
    expect(hook.received.map((r) => r.key)).toEqual([due.idemKey, due.idemKey]);
    expect(hook.delivered.size).toBe(1);
  });

  it('after a crash between send and record: a provider that does not deduplicate is not sent twice', async () => {
    const ali = await aliyunServer('ali-secret');
    servers.push(ali);
    await set('notify.provider', 'aliyun');
    await set('notify.endpoint', ali.url);
    await s.notify.setCredentials(boss, 'aliyun', { accessKeyId: 'LTAI-x', accessKeySecret: 'ali-secret' });
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    const cfg = await notifyCfg();
    await station.store.transaction((tx) => planNotices(tx, cfg, station.name, clock.now()));
    const [due] = await station.store.transaction((tx) => outbox.due(tx, clock.now(), 10));
    await station.store.transaction((tx) => outbox.claim(tx, due.id, 'aliyun', clock.now()));
    await makeProvider('aliyun', { accessKeyId: 'LTAI-x', accessKeySecret: 'ali-secret' }, { endpoint: ali.url, signName: '', now: clock.now }).send([
      { key: due.idemKey, to: PHONE_A, notice: due.notice },
    ]);
    clock.advance({ minutes: 5 });
    await s.notify.drain(null);
    expect(ali.received).toHaveLength(1);
    expect((await rows())[0]).toMatchObject({ status: 'failed', provider_code: 'UNCONFIRMED' });
    expect((await sendAudits())[0].detail).toMatchObject({ result: 'failed', code: 'UNCONFIRMED' });
  });

  it('sends an overdue reminder the day before, once', async () => {
    const hook = await useWebhook();
    await set('notify.arrival', false);
    await set('notify.overdue', true);
    await set('notify.overdueTemplateCode', 'SMS_900002');
    await scan(PHONE_A);
    clock.advance({ days: 1 });
    expect(await s.notify.drain(null)).toEqual([]);
    clock.advance({ days: (await new Settings().counter(station.store)).overdueDays - 2, minutes: 1 });
    const [r] = await s.notify.drain(null);
    expect(r).toMatchObject({ template: 'SMS_900002', status: 'sent' });
    expect(hook.received[0].params[0].days).toBe('1');
    clock.advance({ minutes: 30 });
    expect(await s.notify.drain(null)).toEqual([]);
  });

  it('a dry run reports what is due and changes nothing', async () => {
    const hook = await useWebhook();
    await scan(PHONE_A);
    clock.advance({ minutes: 3 });
    const dry = await s.notify.drain(null, true);
    expect(dry).toMatchObject([{ status: 'queued', phone: '*******8001', provider: 'webhook' }]);
    expect(await rows()).toHaveLength(0);
    expect(hook.received).toHaveLength(0);
  });

  // The bytes of the SQLite file on disk.
  it.skipIf(engine.name === 'postgres')('keeps the credentials sealed in the store file', async () => {
    await s.notify.setCredentials(boss, 'tencent', { secretId: 'AKID-visible', secretKey: 'very-secret-key-123', sdkAppId: '1400000000' });
    expect((await s.notify.settings()).configured).toEqual(['tencent']);
    (station as EmbeddedStation).db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(target);
    expect(file.includes(Buffer.from('very-secret-key-123'))).toBe(false);
    expect(file.includes(Buffer.from('AKID-visible'))).toBe(false);
    expect((await s.audit.auditEntries({ action: 'settings.change' }))[0].detail).toEqual({ scope: 'notify', credentials: 'tencent' });
  });

  const notifyCfg = () => notifyConfig(new Settings(), station.store);
});
