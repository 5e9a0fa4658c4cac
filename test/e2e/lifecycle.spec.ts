// The data lifecycle at the screen: the supervisor records an incident and the banner
// counts down its 1 h assessment and 48 h notification; restricting access
// shows in red and refuses a clerk's approved unmask; a data-subject request
// finds a customer's parcels by phone without leaving the number on screen;
// the purge dry run counts. An incident chosen from the list is read in full,
// changed, its assessment and notification recorded (the banner falls
// quiet), parcels added by shelf and by a phone-tail search, and closed.
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { errorMessages } from '../../shared/errors';
import { artifact, expectCleanConsole, MANIFEST, PASSWORD, pickRow, PIN, seedStation, SUPERVISOR, type FixtureRow } from './flows';
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

test('an incident from the list: read in full, changed, assessed and notified, parcels added by shelf and by search, closed', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter);
  const boss = () => counter.totp(keys.boss);
  // A: the customer found later by phone tail (left as expected); B: a parcel put on a shelf.
  const { row: a, tail } = await pickRow();
  const rows = Papa.parse<FixtureRow>(await readFile(MANIFEST, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const b = rows.find((r) => r.waybill_no !== a.waybill_no && r.recipient_phone !== a.recipient_phone) as FixtureRow;
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
  const shelved = await ok(counter.call('counter.scanIn', { waybill: b.waybill_no }));
  const [shelf, layer] = (shelved.parcel.pickupCode as string).split('-');
  const created = await ok(
    counter.call('lifecycle.incident.create', {
      type: 'internal',
      discoveredAt: new Date(counter.clock.now.getTime() - 10 * 60_000).toISOString(),
      reporter: '王站长',
      description: '货架区监控发现可疑拍照',
      totp: boss(),
    }),
  );
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: '数据生命周期' }).click();
  const banner = page.getByTestId('lifecycle-banner');
  await expect(banner.getByTestId('lc-incident')).toContainText(created.reference);

  // Chosen from the list of open incidents (summaries): read in full with a code.
  const listed = page.getByRole('region', { name: '已登记的事件' });
  await listed.getByRole('row', { name: new RegExp(created.reference) }).getByRole('button', { name: '处理' }).click();
  await expect(page.getByRole('dialog')).toContainText(`打开事件 ${created.reference}`);
  await confirmCode(counter, boss());
  const detail = page.getByTestId('incident-detail');
  await expect(detail.getByRole('heading', { name: `事件 ${created.reference}` })).toBeFocused();
  await expect(detail.getByTestId('incident-description')).toHaveText('货架区监控发现可疑拍照');
  await expect(detail).toContainText('报告人：王站长');
  await expect(detail.getByTestId('incident-deadlines')).toContainText(/1 小时评估：剩余 00:4\d/);

  // Changed: nothing changed is refused without a dialog; then type and description, with a code.
  await detail.getByRole('button', { name: '保存修改' }).click();
  await expect(page.locator('#incident-edit-problem')).toContainText('没有修改');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.locator('#edit-type').selectOption({ label: '外部攻击' });
  await page.locator('#edit-description').fill('外部人员在货架区拍照，已调取监控');
  await page.locator('#edit-description').press('Tab');
  await detail.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByRole('dialog')).toContainText(`修改事件 ${created.reference}`);
  await confirmCode(counter, boss());
  await expect(page.getByRole('status').filter({ hasText: '已保存修改。' })).toBeVisible();
  await expect(detail.getByTestId('incident-description')).toHaveText('外部人员在货架区拍照，已调取监控');
  await expect(detail).toContainText('外部攻击');
  await expect(listed.getByRole('row', { name: new RegExp(created.reference) })).toContainText('外部攻击');

  // Assessed (notification needed), then the authority notified: both clocks met, the banner falls quiet.
  await page.locator('#step-kind').selectOption({ label: '已评估' });
  await expect(page.getByLabel('需要通知（监管部门 / 个人）')).toBeChecked();
  await page.locator('#step-note').fill('评估：涉及货架上的包裹');
  await page.locator('#step-note').press('Enter');
  await expect(page.getByRole('dialog')).toContainText(`记录步骤：已评估（${created.reference}）`);
  await confirmCode(counter, boss());
  await expect(detail.getByTestId('incident-steps')).toContainText('已评估 — 需要通知（监管部门 / 个人） — 评估：涉及货架上的包裹 (boss)');
  await expect(detail.getByTestId('incident-deadlines')).toContainText('1 小时评估：已完成');
  await expect(detail.getByTestId('incident-deadlines')).toContainText(/48 小时通知：剩余 47:\d\d/);
  await page.locator('#step-kind').selectOption({ label: '已通知' });
  await page.locator('#step-whom').selectOption({ label: '监管部门' });
  await page.locator('#step-note').fill('已电话报告区网信办');
  await page.locator('#step-note').press('Enter');
  await confirmCode(counter, boss());
  await expect(detail.getByTestId('incident-steps')).toContainText('已通知 — 监管部门 — 已电话报告区网信办 (boss)');
  await expect(detail.getByTestId('incident-deadlines')).toContainText('48 小时通知：已完成');
  await expect(banner.getByTestId('lc-incident')).toHaveCount(0);

  // Parcels by shelf: a wrong number is refused at its field; then B's shelf and layer.
  await detail.getByRole('radio', { name: '按货架' }).check();
  await page.locator('#affected-shelf').fill('x');
  await page.locator('#affected-shelf').press('Enter');
  await expect(page.locator('#incident-affected-problem')).toContainText('请输入货架号');
  await expect(page.locator('#affected-shelf')).toBeFocused();
  await expect(page.locator('#affected-shelf')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('#affected-shelf').fill(shelf);
  await page.locator('#affected-layer').fill(layer);
  await page.locator('#affected-layer').press('Enter');
  await expect(page.getByRole('dialog')).toContainText(`登记受影响包裹（${created.reference}）：${shelf} 号架 ${layer} 层的包裹`);
  await confirmCode(counter, boss());
  await expect(detail.getByTestId('affected-result')).toHaveText('新增 1 件；共 1 件。');
  const chosen = detail.getByRole('region', { name: '本次选中的包裹（已遮蔽）' });
  await expect(chosen).toContainText(b.waybill_no);
  await expect(chosen).not.toContainText(b.recipient_phone);

  // Parcels by a phone-tail search: the digits leave the field as it is sent and the dialog names only the kind.
  await detail.getByRole('radio', { name: '按查找' }).check();
  await page.locator('#affected-query').fill(tail);
  await page.locator('#affected-query').press('Enter');
  await expect(page.locator('#affected-query')).toHaveValue('');
  await expect(page.getByRole('dialog')).toContainText(`登记受影响包裹（${created.reference}）：按手机尾号查找的包裹`);
  await expect(page.getByRole('dialog')).not.toContainText(tail);
  await confirmCode(counter, boss());
  await expect(detail.getByTestId('affected-result')).toHaveText('新增 1 件；共 2 件。');
  await expect(chosen.getByRole('row', { name: new RegExp(a.waybill_no) })).toContainText(`*******${tail}`);
  await expect(page.locator('body')).not.toContainText(a.recipient_phone);
  await expect(detail).toContainText('受影响包裹 2');
  await expect(detail).toContainText(/按状态：待到件 1 · 在架待取 1/);

  // The same screen in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(detail.getByRole('heading', { name: `Incident ${created.reference}` })).toBeVisible();
  await expect(detail.getByRole('heading', { name: 'Change the incident' })).toBeVisible();
  await expect(detail.getByRole('radio', { name: 'Search' })).toBeChecked();
  await expect(detail.getByTestId('incident-deadlines')).toContainText('48 h notification：Done');
  await page.getByRole('button', { name: '中文' }).click();

  // Closed: the forms to change it go, the closure stays.
  await page.locator('#close-root').fill('访客可进入货架区');
  await page.locator('#close-remediation').fill('货架区加装门禁');
  await detail.getByRole('button', { name: '结案' }).click();
  await expect(page.getByRole('dialog')).toContainText(`结案：${created.reference}`);
  await confirmCode(counter, boss());
  await expect(detail).toContainText('已结案');
  await expect(detail).toContainText('货架区加装门禁');
  await expect(page.locator('#edit-type')).toHaveCount(0);
  await expect(detail.getByRole('button', { name: '登记受影响包裹' })).toHaveCount(0);
  const closed = await ok(counter.call('lifecycle.incident.get', { incidentId: created.id, totp: boss() }));
  expect(closed).toMatchObject({ type: 'external_attack', description: '外部人员在货架区拍照，已调取监控', affected: 2, rootCause: '访客可进入货架区' });
  expect(closed.steps.map((s) => [s.kind, s.whom, s.notificationRequired])).toEqual([
    ['assessed', null, true],
    ['notified', 'authority', null],
  ]);
  await page.screenshot({ path: await artifact('lifecycle-incident.png'), fullPage: true });

  expectCleanConsole(counter, [keys.boss, PASSWORD, a.recipient_phone, b.recipient_phone]);
});
