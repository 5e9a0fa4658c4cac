// The notice CLI as outside scripts call it, in child processes: `notify`
// (and its dry run) with the exact JSON keys and the phone masked, `outbox`,
// and the audit entry each send leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../main/app/services';
import { Settings } from '../../main/settings/settings';
import { cliAuditTrail, runCliAsync } from '../helpers/cli';
import { clerk, sfWaybill } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { webhookServer } from '../helpers/sms-servers';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };

describe.each(ENGINE_CASES)('notify and outbox CLI (%s)', { timeout: 120_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db = '';
  let dispose: () => Promise<void>;
  let hook: Awaited<ReturnType<typeof webhookServer>>;
  const parcelIds: number[] = [];

  beforeAll(async () => {
    hook = await webhookServer('cli-hook-secret');
    const { target, station, dispose: drop } = await newStationOn(engine, tmp.dir);
    db = target;
    dispose = drop;
    // Scanned in ten minutes ago: the batch has settled by the time the CLI runs.
    const then = new Date(Date.now() - 10 * 60_000);
    const s = createServices(station, { now: () => then, workstation: 'counter-1' });
    const settings = new Settings();
    await settings.set(station.store, 'notify.arrival', true);
    await settings.set(station.store, 'notify.quietHours', '');
    await settings.set(station.store, 'notify.provider', 'webhook');
    await settings.set(station.store, 'notify.endpoint', hook.url);
    await settings.set(station.store, 'notify.arrivalTemplateCode', 'PICKUP_ARRIVAL');
    await s.notify.setCredentials({ ...clerk(1, 'boss'), role: 'supervisor' }, 'webhook', { secret: 'cli-hook-secret' });
    for (let i = 0; i < 3; i++) {
      parcelIds.push((await s.inbound.scanIn(clerk(2), { waybill: sfWaybill(), recipient: { name: '欧阳娜娜', phone: '13800138001', address: '北京市朝阳区望京街道6号' } })).parcelId);
    }
    await s.close();
  });
  afterAll(async () => {
    await hook.close();
    await dispose();
    tmp.cleanup();
  });

  it('notify --dry-run lists the notice due and sends nothing', async () => {
    const r = await runCliAsync(['notify', '--db', db, '--dry-run'], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual([{ parcels: parcelIds, template: 'PICKUP_ARRIVAL', provider: 'webhook', status: 'queued', phone: '*******8001' }]);
    expect(hook.received).toHaveLength(0);
    expect((await runCliAsync(['outbox', '--db', db], PASS)).lines).toEqual([]);
  });

  it('notify sends one notice with the three codes; outbox lists it sent; the send is audited', async () => {
    const r = await runCliAsync(['notify', '--db', db], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual([{ parcels: parcelIds, template: 'PICKUP_ARRIVAL', provider: 'webhook', status: 'sent', phone: '*******8001' }]);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].signatureOk).toBe(true);
    expect(hook.received[0].params[0].codes.split(',')).toHaveLength(3);
    expect(r.stdout).not.toContain('13800138001');

    const list = await runCliAsync(['outbox', '--db', db], PASS);
    expect(list.code, list.stderr).toBe(0);
    expect(list.lines).toHaveLength(1);
    expect(Object.keys(list.lines[0] as object).sort()).toEqual(
      ['attempts', 'code', 'createdAt', 'id', 'kind', 'messageId', 'nextAttemptAt', 'parcels', 'provider', 'receiptAt', 'status', 'template', 'text', 'updatedAt'].sort(),
    );
    expect(list.lines[0]).toMatchObject({ kind: 'arrival', parcels: parcelIds, status: 'sent', provider: 'webhook', messageId: 'wh-1' });
    expect(list.stdout).not.toMatch(/13800138001|欧阳|望京/);

    const trail = (await cliAuditTrail(db, TEST_PASSPHRASE)).filter((e) => e.action === 'notify.send');
    expect(trail).toEqual([
      { action: 'notify.send', parcelIds, detail: expect.objectContaining({ template: 'PICKUP_ARRIVAL', provider: 'webhook', result: 'sent', messageId: 'wh-1' }) },
    ]);
    // A second run finds nothing due.
    expect((await runCliAsync(['notify', '--db', db], PASS)).lines).toEqual([]);
  });

  it('outbox refuses a bad --limit as a usage error', async () => {
    const r = await runCliAsync(['outbox', '--db', db, '--limit', 'x'], PASS);
    expect(r.code).toBe(2);
  });
});
