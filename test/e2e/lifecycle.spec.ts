// Issue #7 at the screen: the supervisor records an incident and the banner
// counts down its 1 h assessment and 48 h notification; restricting access
// shows in red and refuses a clerk's approved unmask; a data-subject request
// finds a customer's parcels by phone without leaving the number on screen;
// the purge dry run counts.
import { readFile } from 'node:fs/promises';
import { errorMessages } from '../../shared/errors';
import { artifact, expectCleanConsole, MANIFEST, PASSWORD, pickRow, PIN, seedStation, SUPERVISOR } from './flows';
import { expect, test, type Counter } from './harness';

test.use({ timezoneId: 'Asia/Shanghai' });

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code} ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Answers the open step-up with the supervisor's next code. */
async function confirmCode({ page }: Counter, code: string): Promise<void> {
  await expect(page.locator('#stepup-code')).toBeFocused();
  // Filled, not typed: six fast keys and Enter look like a scan to the workspace.
  await page.locator('#stepup-code').fill(code);
  await page.keyboard.press('Enter');
  await expect(page.locator('#stepup-code')).toHaveCount(0);
}

test('incident countdowns and restriction on the banner; a clerk’s unmask refused; a request by phone; purge dry run', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter, [LI]);
  const boss = () => counter.totp(keys.boss);
  const { row } = await pickRow();
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(keys.li) }));
  const { parcelId } = await ok(counter.call('counter.scanIn', { waybill: row.waybill_no }));
  await ok(counter.call('auth.resume', { username: SUPERVISOR.username, pin: PIN }));
  await page.reload();

  const nav = page.getByRole('navigation');
  await nav.getByRole('button', { name: '数据生命周期' }).click();
  await expect(page.getByRole('heading', { name: '数据生命周期', level: 1 })).toBeFocused();
  const banner = page.getByTestId('lifecycle-banner');
  await expect(banner).not.toContainText('事件');

  // An incident discovered at nine this morning (main's clock is a few minutes past).
  await page.getByLabel('事件类型').selectOption({ label: '内部人员' });
  await page.getByLabel('发现时间').fill('2026-11-25T09:00');
  await page.getByLabel('报告人').fill('王站长');
  await page.getByLabel('事件描述').fill('店员疑似拍照留存面单');
  await page.getByRole('button', { name: '登记新事件' }).click();
  await expect(page.getByRole('dialog')).toContainText('登记事件：内部人员');
  await confirmCode(counter, boss());
  await expect(page.getByRole('status').filter({ hasText: '已登记事件' })).toBeVisible();
  const line = banner.getByTestId('lc-incident');
  await expect(line).toHaveCount(1);
  await expect(line).toContainText(/1 小时评估：剩余 00:5\d/);
  await expect(line).toContainText(/48 小时通知：剩余 47:5\d/);

  // Restricted access: red on the banner, and a clerk's approved unmask is refused.
  const toggle = page.getByRole('switch');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await toggle.click();
  await confirmCode(counter, boss());
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(banner).toContainText('访问受限：仅站长可查看完整信息');

  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(keys.li) }));
  const refused = await counter.call('parcels.unmask', {
    parcelId,
    field: 'phone',
    purpose: 'dispute',
    note: '顾客投诉未收到短信',
    approval: { username: SUPERVISOR.username, pin: PIN, totp: boss() },
  });
  expect(refused.ok).toBe(false);
  if (!refused.ok) {
    expect(refused.error.code).toBe('ACCESS_RESTRICTED');
    expect(refused.error.message).toEqual(errorMessages.ACCESS_RESTRICTED);
    expect(refused.error.message.zh).toContain('只有站长');
    expect(refused.error.message.en).toContain('only a supervisor');
  }
  await ok(counter.call('auth.resume', { username: SUPERVISOR.username, pin: PIN }));
  await page.reload();
  await nav.getByRole('button', { name: '数据生命周期' }).click();
  await expect(banner).toContainText('访问受限');
  await expect(banner.getByTestId('lc-incident')).toContainText('1 小时评估');

  // A data-subject request: the number leaves the field as it is sent and is not shown again.
  await page.getByRole('button', { name: '个人信息请求' }).click();
  await page.getByLabel('电话号码').fill(row.recipient_phone);
  await page.getByRole('button', { name: '查找', exact: true }).click();
  await expect(page.getByLabel('电话号码')).toHaveValue('');
  await confirmCode(counter, boss());
  const report = page.getByTestId('dsr-report');
  await expect(report).toContainText(row.waybill_no);
  await expect(report).toContainText(/请求 DSR-\d{8}-\d{3,}：找到 \d+ 件包裹/);
  await expect(page.locator('body')).not.toContainText(row.recipient_phone);
  const values = await page.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(values).not.toContain(row.recipient_phone);

  // Retention: a dry run counts and erases nothing.
  await page.getByRole('button', { name: '保存期限与备份' }).click();
  await expect(report).toHaveCount(0);
  await page.getByRole('button', { name: '试运行（只统计）' }).click();
  await expect(page.getByRole('dialog')).toContainText('清除试运行');
  await confirmCode(counter, boss());
  await expect(page.getByTestId('purge-result')).toHaveText(/^试运行：到期 \d+ 件，已删除 0 件，标签 \d+ 个。$/);
  await page.screenshot({ path: await artifact('lifecycle.png'), fullPage: true });

  expectCleanConsole(counter, [keys.li, keys.boss, PASSWORD, row.recipient_phone]);
});
