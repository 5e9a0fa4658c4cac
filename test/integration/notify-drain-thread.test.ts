// The background drain on its worker thread: a real worker with its own
// connection to the store file sends through a local webhook while the main
// thread's sender is never called, the audit chain both connections append
// to stays one verifiable chain, and after a key rotation the worker follows
// the new keys.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { DRAIN_EVERY_MS } from '../../main/app/services/notify';
import { stationPublicKey } from '../../main/chain/signing-key';
import { verifyAllChains } from '../../main/chain/verify';
import { Settings } from '../../main/settings/settings';
import type { EmbeddedStation as Station } from '../../main/store/station';
import { clerk, sfWaybill } from '../helpers/counter';
import { newStation, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { ManualTimers } from '../helpers/manual-timers';
import { webhookServer, type ProviderServer } from '../helpers/sms-servers';

const boss = { ...clerk(1, 'boss'), role: 'supervisor' as const };

describe('pickup notices: the background drain on a worker thread', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let s: AppServices;
  let hook: ProviderServer & { delivered: Map<string, number> };
  const timers = new ManualTimers();

  const scan = (phone: string) => s.inbound.scanIn(clerk(2), { waybill: sfWaybill(), recipient: { name: '欧阳娜娜', phone, address: '北京市朝阳区望京街道' } });
  const statuses = () => station.db.prepare('SELECT status FROM notify_outbox ORDER BY id').pluck().all() as string[];

  /** One pass of the schedule; the worker answers in its own time. */
  async function pass(until: () => boolean): Promise<void> {
    await timers.advance(DRAIN_EVERY_MS);
    const deadline = Date.now() + 30_000;
    while (!until() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  beforeEach(async () => {
    tmp = tempDir();
    ({ station } = newStation(tmp.dir));
    s = createServices(station, { now: () => new Date(), workstation: 'counter-1', timers });
    hook = await webhookServer('hook-secret');
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
  });
  afterEach(async () => {
    await s.close();
    await hook.close();
    tmp.cleanup();
  });

  it('sends off the main thread, audited in the one chain, and follows a key rotation', async () => {
    let mainThreadDrains = 0;
    const drain = s.notify.sender.drain.bind(s.notify.sender);
    s.notify.sender.drain = (...args) => {
      mainThreadDrains++;
      return drain(...args);
    };
    s.notify.start();
    await scan('13800138001');
    await pass(() => statuses()[0] === 'sent');
    expect(statuses()).toEqual(['sent']);
    expect(hook.received.map((r) => r.to[0])).toEqual(['13800138001']);
    expect(hook.received[0].signatureOk).toBe(true);

    await s.lifecycle.rotate(boss, TEST_PASSPHRASE);
    await scan('13900139002');
    await pass(() => statuses()[1] === 'sent');
    expect(statuses()).toEqual(['sent', 'sent']);
    expect(hook.received.map((r) => r.to[0])).toEqual(['13800138001', '13900139002']);

    expect(mainThreadDrains).toBe(0);
    const audits = await s.audit.auditEntries({ action: 'notify.send' });
    expect(audits.map((a) => a.detail.result)).toEqual(['sent', 'sent']);
    expect(verifyAllChains(station.db, stationPublicKey(station.db).publicKey).ok).toBe(true);
  });
});
