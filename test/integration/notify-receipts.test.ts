// Delivery receipts pulled from the providers that offer a pull API, against
// local servers that check each query's signature like a send's: Alibaba's
// QuerySendDetails (per message, by number, BizId and send date) and
// Tencent's PullSmsSendStatus (a queue, matched by SerialNo). A receipt makes
// the notice delivered or failed with the provider's reason, in the outbox,
// its view and the audit chain; one not yet in is asked again later.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { RECEIPT_AFTER_MS } from '../../main/notify/sender';
import type { Station } from '../../main/store/station';
import type { SettingKey, SettingValue } from '../../main/settings/settings';
import { Settings } from '../../main/settings/settings';
import { clerk, sfWaybill, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';
import { aliyunServer, tencentServer, type ProviderServer } from '../helpers/sms-servers';

const PHONE_A = '13800138001';
const PHONE_B = '13900139002';
const boss = { ...clerk(1, 'boss'), role: 'supervisor' as const };

describe.each(ENGINE_CASES)('pickup notices: delivery receipts (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  let clock: ReturnType<typeof testClock>;
  let s: AppServices;
  let server: ProviderServer;

  const set = <K extends SettingKey>(key: K, value: SettingValue<K>) => new Settings().set(station.store, key, value);
  const scan = (phone: string) => s.inbound.scanIn(clerk(2), { waybill: sfWaybill(), recipient: { name: '欧阳娜娜', phone, address: '北京市朝阳区望京街道' } });

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
    // 23:50 in Beijing: the send date Alibaba is asked for is Beijing's, not UTC's.
    clock = testClock('2025-06-02T15:50:00Z');
    s = createServices(station, { now: clock.now, workstation: 'counter-1' });
    await set('notify.arrival', true);
    await set('notify.batchSeconds', 0);
    await set('notify.quietHours', '');
    await set('notify.arrivalTemplateCode', 'SMS_900001');
  });
  afterEach(async () => {
    await server.close();
    await s.close();
    await dispose();
    tmp.cleanup();
  });

  async function sendTwo(): Promise<void> {
    await scan(PHONE_A);
    await scan(PHONE_B);
    clock.advance({ minutes: 1 });
    expect((await s.notify.drain(null)).map((r) => r.status)).toEqual(['sent', 'sent']);
  }

  it('Alibaba: asks per message by number, BizId and Beijing send date; delivered and failed with the reason, waiting asked again later', async () => {
    server = await aliyunServer('ali-secret');
    await set('notify.provider', 'aliyun');
    await set('notify.endpoint', server.url);
    await s.notify.setCredentials(boss, 'aliyun', { accessKeyId: 'LTAI-x', accessKeySecret: 'ali-secret' });
    await sendTwo();
    expect(server.received).toHaveLength(1); // one SendBatchSms, one BizId for both
    // Too soon: nothing asked.
    await s.notify.drain(null);
    expect(server.queries).toHaveLength(0);

    const [b, a] = await s.notify.outbox();
    server.reports.set(`${a.messageId}:${PHONE_A}`, 'delivered');
    clock.advance({ minutes: RECEIPT_AFTER_MS / 60_000 });
    await s.notify.drain(null);
    expect(server.queries.map((q) => [q.to[0], q.params[0].BizId, q.params[0].SendDate, q.signatureOk])).toEqual([
      [PHONE_A, a.messageId, '20250602', true],
      [PHONE_B, b.messageId, '20250602', true],
    ]);
    const [b2, a2] = await s.notify.outbox();
    expect(a2).toMatchObject({ status: 'delivered', code: 'DELIVERED', receiptAt: clock.now().toISOString() });
    expect(b2).toMatchObject({ status: 'sent', receiptAt: null });

    // B's report comes in; it is asked for again only after a pause.
    server.reports.set(`${b.messageId}:${PHONE_B}`, 'failed');
    await s.notify.drain(null);
    expect(server.queries).toHaveLength(2);
    clock.advance({ minutes: RECEIPT_AFTER_MS / 60_000 });
    await s.notify.drain(null);
    expect(server.queries.map((q) => q.to[0])).toEqual([PHONE_A, PHONE_B, PHONE_B]);
    expect((await s.notify.outbox())[0]).toMatchObject({ status: 'failed', code: 'MK:0001' });

    const audits = (await s.audit.auditEntries({ action: 'notify.send' })).filter((e) => e.detail.receipt);
    expect(audits.map((e) => [e.detail.result, e.detail.code, e.detail.messageId])).toEqual([
      ['failed', 'MK:0001', b.messageId],
      ['delivered', 'DELIVERED', a.messageId],
    ]);
    expect(JSON.stringify(audits)).not.toMatch(/8001|9002/);
  });

  it('Tencent: one pull for the queue, matched by SerialNo; a report for another message is not applied to ours', async () => {
    server = await tencentServer('tc-secret');
    await set('notify.provider', 'tencent');
    await set('notify.endpoint', server.url);
    await s.notify.setCredentials(boss, 'tencent', { secretId: 'AKID-x', secretKey: 'tc-secret', sdkAppId: '1400000000' });
    await sendTwo();
    const [b, a] = await s.notify.outbox();
    server.reports.set('serial-elsewhere', 'failed');
    server.reports.set(b.messageId!, 'failed');
    server.reports.set(a.messageId!, 'delivered');
    clock.advance({ minutes: RECEIPT_AFTER_MS / 60_000 });
    await s.notify.drain(null);
    expect(server.queries).toHaveLength(1);
    expect(server.queries[0]).toMatchObject({ signatureOk: true, params: [{ SmsSdkAppId: '1400000000', Limit: '100' }] });
    const [b2, a2] = await s.notify.outbox();
    expect(a2).toMatchObject({ status: 'delivered', code: 'DELIVRD' });
    expect(b2).toMatchObject({ status: 'failed', code: 'MK:0005' });
  });
});
