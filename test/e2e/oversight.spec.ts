// Oversight at the screen: what a clerk did (lookups, an unmask approved by the
// supervisor, logins) is in the auditor's audit view; a supervisor's export
// of the audit log is itself listed; looking up too fast raises an alert that
// the supervisor reviews with a note and their code, and the clerk goes on
// with the PIN.
import { readFile } from 'node:fs/promises';
import {
  artifact,
  exportDownload,
  expectCleanConsole,
  MANIFEST,
  onDuty,
  PASSWORD,
  pickRow,
  PIN,
  seedStation,
  SUPERVISOR,
  switchShift,
} from './flows';
import { expect, test, type Counter } from './harness';

test.use({ timezoneId: 'Asia/Shanghai' });

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;
const ZHOU = { username: 'zhou', displayName: '周审计', role: 'auditor' } as const;
const TODAY = '2026-11-25';

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code} ${JSON.stringify(r.error)}`);
  return r.value;
}

/** A login through main, as another person at the counter would; the page follows on reload. */
async function loginAs(counter: Counter, username: string, secret: string, displayName: string): Promise<void> {
  await ok(counter.call('auth.login', { username, password: PASSWORD, totp: counter.totp(secret) }));
  await counter.page.reload();
  await expect(onDuty(counter)).toContainText(displayName);
}

test('the auditor sees the clerk’s lookups, unmask and logins; an alert is reviewed and the clerk resumes', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter, [LI, ZHOU]);
  const { row } = await pickRow();
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));

  // The clerk's shift: a parcel in, looked up, its phone shown with the supervisor's approval.
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(keys.li) }));
  const scanned = await ok(counter.call('counter.scanIn', { waybill: row.waybill_no }));
  const { parcelId } = scanned;
  const found = await ok(counter.call('counter.find', { by: 'waybill', value: row.waybill_no }));
  expect(found.kind).toBe('customer');
  await ok(
    counter.call('parcels.unmask', {
      parcelId,
      field: 'phone',
      purpose: 'dispute',
      note: '顾客投诉未收到短信',
      approval: { username: SUPERVISOR.username, pin: PIN, totp: counter.totp(keys.boss) },
    }),
  );
  // Then lookups faster than a counter needs (the limit is 20 a minute): the shift locks.
  let refusal = '';
  for (let i = 0; i < 30 && !refusal; i++) {
    const r = await counter.call('counter.find', { by: 'waybill', value: row.waybill_no });
    if (!r.ok) refusal = r.error.code;
  }
  expect(refusal).toBe('SESSION_ANOMALY_LOCKED');

  // The auditor: the banner names the open alert before any tab is chosen.
  await loginAs(counter, ZHOU.username, keys.zhou, ZHOU.displayName);
  await expect(page.getByRole('navigation').getByRole('button')).toHaveText([/^审计/, /^异常/, /^台账/]);
  const banner = page.getByTestId('oversight-banner');
  await expect(banner).toContainText('1 条异常提醒待复核');

  await page.keyboard.press('F1');
  await expect(page.getByRole('heading', { name: '审计记录' })).toBeFocused();
  await expect(page.getByTestId('chain-badge')).toContainText('链完整');
  const rows = page.locator('table.audit-table tbody tr');
  const lookup = rows.filter({ hasText: '查询包裹' }).first();
  await expect(lookup).toContainText(LI.username);
  await expect(lookup).toContainText(String(parcelId));
  const unmask = rows.filter({ hasText: '查看完整信息' });
  await expect(unmask).toHaveCount(1);
  await expect(unmask).toContainText('纠纷处理 — 顾客投诉未收到短信');
  await expect(unmask).toContainText(`审批人${SUPERVISOR.username}`);
  await expect(unmask).toContainText('字段电话');
  await expect(rows.filter({ hasText: '登录' }).filter({ hasText: LI.username })).not.toHaveCount(0);
  await expect(rows.filter({ hasText: '异常提醒' })).toContainText('查询过于频繁');

  // An auditor may not list accounts: the person filter offers who appears in the log.
  await page.getByLabel('人员').selectOption({ label: LI.username });
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '查看完整信息' });
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('纠纷处理');
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(rows.filter({ hasText: '查询包裹' })).not.toHaveCount(0);
  await expect(page.getByRole('button', { name: '导出 PDF' })).toHaveCount(0);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(rows.filter({ hasText: 'Full details shown' })).toContainText('Dispute — 顾客投诉未收到短信');
  await page.getByRole('button', { name: '中文' }).click();

  // The ledger, for an auditor: its records only, nothing to sign, correct or export.
  await page.getByRole('navigation').getByRole('button', { name: /^台账/ }).click();
  await expect(page.getByRole('heading', { name: '台账记录' })).toBeVisible();
  await expect(page.getByRole('button', { name: '装袋与销毁' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /导出|签核|更正/ })).toHaveCount(0);

  // The alert: readable by the auditor, reviewed only by a supervisor.
  await banner.getByRole('button', { name: /异常提醒待复核/ }).click();
  await expect(page.getByRole('heading', { name: '异常提醒', level: 1 })).toBeFocused();
  const card = page.locator('.alert-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('查询过于频繁');
  await expect(card).toContainText(LI.username);
  await expect(card.getByRole('button', { name: '复核' })).toHaveCount(0);

  // The supervisor exports today's audit log; the export is itself in the log.
  await switchShift(counter, SUPERVISOR.displayName);
  await page.getByRole('navigation').getByRole('button', { name: /^审计/ }).click();
  await expect(page.getByRole('heading', { name: '审计记录' })).toBeFocused();
  await page.locator('#audit-from').fill(TODAY);
  await page.locator('#audit-to').fill(TODAY);
  const csv = await exportDownload(counter, '导出 CSV', counter.totp(keys.boss));
  expect(csv.name).toBe(`audit-log_${TODAY}_${TODAY}.csv`);
  const text = csv.bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text).toContain('parcels.unmask');
  expect(text).not.toContain(row.recipient_phone);
  await expect(page.getByRole('status').filter({ hasText: '已导出并下载' })).toContainText(csv.name);
  const exported = rows.filter({ hasText: '导出' }).first();
  await expect(exported).toContainText(SUPERVISOR.displayName);
  await expect(exported).toContainText('内容审计记录');
  await page.screenshot({ path: await artifact('audit.png'), fullPage: true });

  // Review: a note and the supervisor's code clear the clerk's lock.
  await page.getByTestId('oversight-banner').getByRole('button').click();
  await card.getByRole('button', { name: '复核' }).click();
  const dialog = page.getByRole('dialog', { name: '站长动态码确认' });
  await expect(dialog).toContainText(`复核异常提醒：查询过于频繁（${LI.username}）`);
  await expect(page.getByLabel(/复核说明/)).toBeFocused();
  // No note, no review: the code is kept for when the note is written.
  await page.locator('#stepup-code').fill(counter.totp(keys.boss));
  await page.keyboard.press('Enter');
  await expect(page.locator('#review-note-problem')).toHaveText('请填写复核说明（至少 2 个字）');
  await expect(page.getByLabel(/复核说明/)).toBeFocused();
  await page.keyboard.type('核实为顾客多次来电，已提醒店员按流程查询');
  await page.screenshot({ path: await artifact('alerts.png'), fullPage: true });
  await page.locator('#stepup-code').press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: '已复核' })).toHaveText(`已复核：${LI.username} 可以用 PIN 继续工作。`);
  await expect(page.getByText('没有待复核的异常提醒。')).toBeVisible();
  await expect(banner).not.toContainText('异常提醒');
  await page.getByRole('button', { name: '全部', exact: true }).click();
  await expect(card).toContainText('核实为顾客多次来电');

  // The clerk is back with the PIN alone.
  await switchShift(counter, LI.displayName);
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);
  expectCleanConsole(counter, [keys.li, keys.boss, keys.zhou, PASSWORD, row.recipient_name, row.recipient_phone]);
});

test('a slow read of the audit log never replaces the answer to a newer search', async ({ counter }) => {
  const { page } = counter;
  await seedStation(counter, [LI]);
  const logins = (await ok(counter.call('audit.list', { action: 'auth.login', limit: 50 }))).length;
  const everything = (await ok(counter.call('audit.list', { limit: 50 }))).length;
  // Otherwise the stale answer would look the same as the fresh one.
  expect(logins).toBeGreaterThan(0);
  expect(everything).toBeGreaterThan(logins);

  // The unfiltered read made on opening the screen is held back until the filtered one has been shown.
  const router = counter.app.router as unknown as { handle: (channel: unknown, input: unknown, ctx: unknown) => Promise<unknown> };
  const handle = router.handle.bind(router);
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  let held: Promise<unknown> | null = null;
  router.handle = (channel, input, ctx) => {
    if (channel !== 'audit.list' || held || (input as { action?: string }).action) return handle(channel, input, ctx);
    held = released.then(() => handle(channel, input, ctx));
    return held;
  };

  await page.getByRole('navigation').getByRole('button', { name: /^审计/ }).click();
  await expect(page.getByRole('heading', { name: '审计记录' })).toBeFocused();
  await expect.poll(() => held !== null).toBe(true);
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '登录' });
  // Marked busy (aria-disabled) while the first read runs, but a click still searches.
  await page.getByRole('button', { name: '查询', exact: true }).click({ force: true });
  const rows = page.locator('table.audit-table tbody tr');
  await expect(rows).toHaveCount(logins);

  release();
  await held;
  // The held answer is on its way to the page, ahead of this round trip; then let the page render.
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  await expect(rows).toHaveCount(logins);
  await expect(page.getByText(`已显示全部 ${logins} 条。`)).toBeVisible();
  expectCleanConsole(counter);
});
