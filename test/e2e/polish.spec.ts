// The counter in a queue: a new answer replaces the old one, dialogs fit a
// 1024 px screen, and what is revealed stays the clerk's to read.
import Papa from 'papaparse';
import { readFile } from 'node:fs/promises';
import { parsePhone, phoneTail } from '../../shared/phone';
import { createStation, MANIFEST, PASSWORD, PIN, pickRow, scanByKeyboard, seedStation, SUPERVISOR, type FixtureRow } from './flows';
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
  const masked = await card.locator('dd.masked').first().evaluate(size);
  expect(await revealed.evaluate(size)).toBeLessThanOrEqual(masked);
});

test('pickup cards are one low row each: four fit a 768 px screen, amber until handed over, green after', async ({ counter }) => {
  const { page } = counter;
  await page.setViewportSize({ width: 1024, height: 768 });
  const { row, tail } = await clerkAtCounter(counter);
  // Three more parcels for the same customer, typed from their paper waybills.
  const more = ['SF9000000000011', 'SF9000000000012', 'SF9000000000013'];
  for (const waybill of more) await ok(counter.call('counter.scanIn', { waybill, recipient: { name: row.recipient_name, phone: row.recipient_phone } }));
  await page.keyboard.press('F2');
  await page.getByLabel('尾号 / 取件码 / 手机号 / 运单号').fill(tail);
  await page.keyboard.press('Enter');
  const cards = page.locator('.parcel-card');
  await expect(cards).toHaveCount(4);
  const boxes = await cards.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
  expect(boxes[3].bottom - boxes[0].top).toBeLessThan(768 / 1.5);

  // What tells two customers with one tail apart: masked name, carrier, arrival day, the waybill's last digits.
  const first = cards.filter({ hasText: row.waybill_no });
  await expect(first).toContainText('到站');
  await expect(first).toContainText('11-25');
  await expect(first.locator('.waybill b')).toHaveText(row.waybill_no.slice(-4));

  const hue = (el: Element) => {
    const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\d+/g)!.map(Number);
    return g > r && g > b ? 'green' : r >= g && g > b ? 'amber' : 'other';
  };
  const status = first.locator('.status');
  await expect(status).toHaveText('待交付');
  expect(await status.evaluate(hue)).toBe('amber');
  await page.getByLabel('运单号（条码损坏时手动输入）').fill(row.waybill_no);
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('已交付');
  expect(await status.evaluate(hue)).toBe('green');
});

test('focus goes back to the lookup field after a proxy pickup, an undo, a closed dialog, a second factor and the wrong-parcel alarm', async ({
  counter,
}) => {
  const { page } = counter;
  const rows = Papa.parse<FixtureRow>(await readFile(MANIFEST, 'utf8'), { header: true, skipEmptyLines: true }).data.filter((r) => /^1\d{10}$/.test(r.recipient_phone));
  const tailOf = (r: FixtureRow) => phoneTail(parsePhone(r.recipient_phone)!);
  const first = rows.find((r) => rows.filter((x) => tailOf(x) === tailOf(r)).length === 2)!;
  const shared = rows.filter((r) => tailOf(r) === tailOf(first));
  const { row, tail } = await clerkAtCounter(counter);
  const sharedCode = (await ok(counter.call('counter.scanIn', { waybill: shared[0].waybill_no }))).parcel.pickupCode!;
  await ok(counter.call('counter.scanIn', { waybill: shared[1].waybill_no }));
  const lookup = page.locator('#lookup-input');
  await page.keyboard.press('F2');

  // A colleague collects: the note is typed, the parcel scanned; the next customer's tail must not go into the note.
  await lookup.fill(tail);
  await page.keyboard.press('Enter');
  await page.getByLabel('他人代取').check();
  await page.getByLabel('代取说明（如：同事代取）').fill('同事代取');
  await scanByKeyboard(counter, row.waybill_no);
  await expect(page.getByTestId('handover-left')).toHaveText('该顾客的包裹已全部交付');
  await expect(lookup).toBeFocused();

  // Undo, with its reason.
  await page.getByRole('button', { name: '撤销出库' }).click();
  await page.getByLabel('撤销原因').fill('顾客退回柜台');
  await page.getByRole('button', { name: '确认撤销' }).click();
  await expect(page.locator('.parcel-card .status')).toHaveText('待交付');
  await expect(lookup).toBeFocused();

  // The unmask dialog, closed.
  await page.getByRole('button', { name: '查看完整信息' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: /关闭/ }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(lookup).toBeFocused();

  // The wrong-parcel alarm, acknowledged.
  await scanByKeyboard(counter, shared[0].waybill_no);
  await page.getByRole('button', { name: '我知道了' }).click();
  await expect(lookup).toBeFocused();

  // A shared tail, narrowed by the pickup code.
  await lookup.fill(tailOf(shared[0]));
  await page.keyboard.press('Enter');
  await page.getByLabel('取件码或运单号（第二验证）').fill(sharedCode);
  await page.keyboard.press('Enter');
  await expect(page.locator('.parcel-card')).toHaveCount(1);
  await expect(lookup).toBeFocused();
});

test('a shift that ran out of time says so on the login screen, and is not offered for a PIN', async ({ counter }) => {
  const { page } = counter;
  await clerkAtCounter(counter);
  counter.clock.advance(15 * 3_600_000);
  // The next action (opening 出库, which asks main for its settings) finds the shift ended.
  await page.keyboard.press('F2');
  await expect(page.getByTestId('shift-expired')).toHaveText(`${LI.displayName} 的班次已满 14 小时，已自动结束：请重新登录。`);
  await expect(page.locator('#login-username')).toBeVisible();
  await expect(page.getByRole('heading', { name: '本机已开班次' })).toHaveCount(0);
});

test('a refused input names the field in words, never the channel or field name', async ({ counter }) => {
  const { page } = counter;
  await createStation(counter);
  await page.locator('#bootstrap-username').fill(SUPERVISOR.username);
  await page.locator('#bootstrap-name').fill(SUPERVISOR.displayName);
  await page.locator('#bootstrap-password').fill('abc12');
  await page.locator('#bootstrap-confirm').fill('abc12');
  await page.keyboard.press('Enter');
  const alert = page.locator('.problem');
  await expect(alert).toContainText('请检查：密码');
  await expect(alert).not.toContainText('auth.bootstrap');
});
