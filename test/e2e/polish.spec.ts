// The counter in a queue: a new answer replaces the old one, dialogs fit a
// 1024 px screen, and what is revealed stays the clerk's to read.
import { readFile } from 'node:fs/promises';
import { MANIFEST, PASSWORD, PIN, pickRow, seedStation, SUPERVISOR } from './flows';
import { expect, test, type Counter } from './harness';

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

/** The station with the manifest in and one parcel on the shelf, the clerk's shift open on screen. */
async function clerkAtCounter(counter: Counter) {
  const secrets = await seedStation(counter, [LI]);
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
  const { row, tail } = await pickRow();
  await ok(counter.call('counter.scanIn', { waybill: row.waybill_no }));
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(secrets.li) }));
  await counter.page.reload();
  await expect(counter.page.getByTestId('on-duty')).toContainText(LI.displayName);
  return { secrets, row, tail };
}

test('scan-in: a typed waybill that is not one clears the last pickup code instead of standing beside the error', async ({ counter }) => {
  const { page } = counter;
  const { row } = await clerkAtCounter(counter);
  const field = page.getByLabel('运单号（条码无法扫描时手动输入）');
  await field.fill(row.waybill_no);
  await field.press('Enter');
  await expect(page.getByTestId('pickup-code')).toBeVisible();
  await field.fill('12');
  await field.press('Enter');
  await expect(page.locator('#scanin-problem')).not.toBeEmpty();
  await expect(page.getByTestId('pickup-code')).toHaveCount(0);
});

test('unmask at 1024×768: the approval code field fits the dialog; the number shows at the clerk’s reading size', async ({ counter }) => {
  const { page } = counter;
  await page.setViewportSize({ width: 1024, height: 768 });
  const { secrets, row, tail } = await clerkAtCounter(counter);
  await page.keyboard.press('F2');
  await page.getByLabel('尾号 / 取件码 / 手机号 / 运单号').fill(tail);
  await page.keyboard.press('Enter');
  const card = page.locator('.parcel-card').filter({ hasText: row.waybill_no });
  await card.getByRole('button', { name: '查看完整信息' }).click();
  const dialog = card.getByRole('dialog', { name: '查看完整信息' });
  const code = dialog.getByLabel('站长 6 位动态码');
  await code.fill('123456');
  const fit = await code.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const frame = el.closest('[role="dialog"]')!.getBoundingClientRect();
    return { inside: box.left >= frame.left && box.right <= frame.right, clipped: el.scrollWidth > el.clientWidth };
  });
  expect(fit).toEqual({ inside: true, clipped: false });

  await dialog.getByLabel('情况说明').fill('顾客称未收到取件短信');
  await dialog.getByLabel('站长用户名').fill(SUPERVISOR.username);
  await dialog.getByLabel('站长 PIN').fill(PIN);
  await code.fill(counter.totp(secrets.boss));
  await dialog.getByRole('button', { name: '查看', exact: true }).click();
  const revealed = dialog.locator('.reveal-value');
  await expect(revealed).toHaveText(row.recipient_phone);
  const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
  const masked = await card.locator('.fact dd.masked').first().evaluate(size);
  expect(await revealed.evaluate(size)).toBeLessThanOrEqual(masked);
});
