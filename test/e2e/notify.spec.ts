// Pickup notices at the screen: three parcels scanned in for one phone make
// one notice carrying three pickup codes, queued after the gateway's first
// answer fails, and shown sent once "send now" goes again after its retry
// time. The endpoint is a local server the test starts, checking each
// request's signature; nothing personal reaches it. The settings view
// previews a template with the station's facts.
import { webhookServer } from '../helpers/sms-servers';
import { artifact, expectCleanConsole, seedStation, STATION } from './flows';
import { expect, test } from './harness';

test.use({ timezoneId: 'Asia/Shanghai' });

const PHONE = '13800138001';
const NAME = '欧阳娜娜';

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

test('three parcels for one phone: one notice with three codes, queued, then sent; settings preview', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter);
  const boss = () => counter.totp(keys.boss);
  const hook = await webhookServer('e2e-hook-secret');
  try {
    await ok(counter.call('notify.settings.update', { arrival: true, batchSeconds: 0, quietHours: '', provider: 'webhook', endpoint: hook.url, arrivalTemplateCode: 'PICKUP_ARRIVAL', totp: boss() }));
    await ok(counter.call('notify.credentials.set', { provider: 'webhook', secrets: { secret: 'e2e-hook-secret' }, totp: boss() }));
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await ok(counter.call('counter.scanIn', { waybill: `SF${1_400_000_000_000 + i}`, recipient: { name: NAME, phone: PHONE, address: '北京市朝阳区望京街道阜通东大街6号' } }));
      if (!r.parcel.pickupCode) throw new Error('no pickup code');
      codes.push(r.parcel.pickupCode);
    }
    hook.script.push('server-error');

    await page.getByRole('navigation').getByRole('button', { name: '取件通知' }).click();
    await expect(page.getByRole('heading', { name: '取件通知', level: 1 })).toBeFocused();
    const outbox = page.getByTestId('notify-outbox');
    await outbox.getByRole('button', { name: '立即发送到期通知' }).click();
    const row = outbox.getByTestId('notify-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('待发送');
    await expect(row).toContainText('HTTP_503');
    for (const code of codes) await expect(row).toContainText(code);
    await expect(row).toContainText(STATION);
    await page.screenshot({ path: await artifact('notify-outbox-queued-1280.png') });

    // After its retry time the notice goes: one delivery, under one key.
    counter.clock.advance(31_000);
    await outbox.getByRole('button', { name: '立即发送到期通知' }).click();
    await expect(row.locator('[data-status]')).toHaveText('已发送');
    expect(hook.received).toHaveLength(2);
    expect(hook.received.every((r) => r.signatureOk)).toBe(true);
    expect(hook.delivered.size).toBe(1);
    expect(hook.received[1].params[0].codes).toBe(codes.join(','));
    for (const r of hook.received) {
      expect(r.raw).not.toContain(NAME);
      expect(r.raw).not.toContain('望京');
    }

    for (const [width, lang] of [[1024, 'zh'], [1366, 'zh'], [1024, 'en'], [1366, 'en']] as const) {
      await page.setViewportSize({ width, height: 768 });
      if (lang === 'en' && (await page.locator('html').getAttribute('lang')) !== 'en') await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: lang === 'zh' ? '发送队列' : 'Outbox' }).click();
      await expect(row.locator('[data-status]')).toHaveText(lang === 'zh' ? '已发送' : 'Sent');
      await page.screenshot({ path: await artifact(`notify-outbox-${lang}-${width}.png`) });
      await page.getByRole('button', { name: lang === 'zh' ? '通知设置' : 'Settings' }).click();
      await page.getByRole('button', { name: lang === 'zh' ? '预览' : 'Preview' }).first().click();
      await expect(page.getByTestId('notify-preview-arrival')).toContainText(STATION);
      await page.screenshot({ path: await artifact(`notify-settings-${lang}-${width}.png`), fullPage: true });
    }
    expectCleanConsole(counter, [PHONE, NAME]);
  } finally {
    await hook.close();
  }
});
