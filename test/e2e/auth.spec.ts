// Staff accounts at the counter: the first supervisor and their authenticator,
// accounts made by the supervisor, first login with enrolment, wrong codes,
// the idle lock and PIN resume, switching between open shifts, the anomaly
// lock, and a clerk refused by main itself, not only by a hidden tab.
import type { Page } from '@playwright/test';
import {
  artifact,
  createStation,
  enrol,
  expectCleanConsole,
  fillLogin,
  MANIFEST,
  onDuty,
  PASSWORD,
  pickRow,
  PIN,
  readQr,
  scanByKeyboard,
  seedStation,
  SUPERVISOR,
} from './flows';
import { expect, test, type Counter } from './harness';

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;
const ZHAO = { username: 'zhao', displayName: '赵大力', role: 'clerk' } as const;

const tabNames = (page: Page) => page.getByRole('navigation').getByRole('button');

/** On the lock screen: picks a name from the open shifts and enters the PIN. */
async function resumeAs({ page }: Counter, displayName: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(displayName) }).click();
  await expect(page.locator('#switch-pin')).toBeFocused();
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
}

test('first run: the supervisor enrols by QR code and creates a clerk, who enrols at first login and sees only masked data', async ({
  counter,
}) => {
  const { page } = counter;
  const { row, tail } = await pickRow();
  await createStation(counter);

  // The QR code is main's SVG shown as an image under the CSP, and a camera reads the same key as the manual text.
  await page.getByLabel('用户名（登录用，字母或数字）').fill(SUPERVISOR.username);
  await page.getByLabel('姓名（显示在屏幕顶部）').fill(SUPERVISOR.displayName);
  await page.getByLabel('密码（至少 8 个字符）').fill(PASSWORD);
  await page.getByLabel('再次输入密码').fill(`${PASSWORD}x`);
  await page.keyboard.press('Enter');
  await expect(page.locator('#bootstrap-problem')).toHaveText('两次输入的密码不一致');
  await expect(page.getByLabel('再次输入密码')).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  const qr = page.getByRole('img', { name: '动态码绑定二维码' });
  await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml;utf8,/);
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const shown = (await page.getByTestId('totp-secret').innerText()).replace(/ /g, '');
  const [uri] = await readQr(await qr.screenshot());
  expect(new URL(uri).searchParams.get('secret')).toBe(shown);
  expect(decodeURIComponent(uri)).toContain(`:${SUPERVISOR.username}?`);
  const bossKey = await enrol(counter, await artifact('enrolment.png'));

  await expect(onDuty(counter)).toHaveText(/王站长\s*站长/);
  await expect(tabNames(page)).toHaveText([/^入库/, /^出库/, /^滞留\/退回/, /^今日/, /^导入清单/, /^账户管理/, /^审计/, /^异常/, /^台账/, /^设备/, /^数据生命周期/, /^取件通知/, /^站务/]);

  // The supervisor imports today's manifest for the clerk.
  await page.keyboard.press('F5');
  await page.locator('input[type=file]').setInputFiles(MANIFEST);
  await expect(page.getByTestId('report-imported')).toHaveText('300', { timeout: 30_000 });

  // F6: accounts. A new clerk; the change waits for the supervisor's code.
  await page.keyboard.press('F6');
  await expect(page.getByRole('heading', { name: '账户管理' })).toBeFocused();
  const rows = page.locator('table.accounts tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('本人');
  await page.getByLabel('用户名').fill(LI.username);
  await page.getByLabel('姓名').fill(LI.displayName);
  await page.getByLabel('初始密码（至少 8 个字符）').fill(PASSWORD);
  await page.getByRole('button', { name: '创建账户' }).click();
  const dialog = page.getByRole('dialog', { name: '站长动态码确认' });
  await expect(dialog).toContainText('创建账户：李小明（店员）');
  await expect(page.locator('#stepup-code')).toBeFocused();
  // Esc closes it without sending anything, and the focus returns to the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: '创建账户' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.type(counter.totp(bossKey));
  await page.screenshot({ path: await artifact('accounts-stepup.png'), fullPage: true });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('已创建 李小明 的账户：首次登录时留空动态码，按提示绑定。');
  await expect(rows).toHaveCount(2);
  const liRow = page.getByRole('row', { name: /李小明/ });
  await expect(liRow).toContainText('未绑定');
  await expect(liRow).toContainText('店员');
  await expect(liRow).toContainText('正常');
  await page.screenshot({ path: await artifact('accounts.png'), fullPage: true });

  // The supervisor steps away; the clerk logs in for the first time with an empty code.
  await page.getByRole('button', { name: '锁屏' }).click();
  await expect(page.getByRole('heading', { name: '已锁屏' })).toBeVisible();
  await page.getByRole('button', { name: '另一位店员登录' }).click();
  await expect(page.getByRole('heading', { name: '班次登录' })).toBeVisible();
  // The supervisor's locked shift stays open: the way back to it is one button.
  await expect(page.getByRole('button', { name: '返回锁屏' })).toBeVisible();
  await page.locator('#login-username').fill(LI.username);
  await page.locator('#login-password').fill(PASSWORD);
  await page.screenshot({ path: await artifact('login.png') });
  await fillLogin(counter, LI.username, '');
  const liKey = await enrol(counter);
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);

  // A clerk's tabs: the counter's, import and the paper ledger; no accounts.
  await expect(tabNames(page)).toHaveText([/^入库/, /^出库/, /^滞留\/退回/, /^今日/, /^导入清单/, /^台账/, /^取件通知/, /^站务/]);
  await page.keyboard.press('F7');
  await expect(page.getByRole('heading', { name: '账户管理' })).toHaveCount(0);

  // The clerk scans the parcel in (F1, the scanner's keystrokes), then finds it (F2).
  await page.keyboard.press('F1');
  await scanByKeyboard(counter, row.waybill_no);
  await expect(page.locator('.scan-result')).toContainText(row.waybill_no);
  await page.keyboard.press('F2');
  await page.getByLabel('尾号 / 取件码 / 手机号 / 运单号').fill(tail);
  await page.keyboard.press('Enter');
  const card = page.locator('.parcel-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(`*******${tail}`);
  await expect(card).not.toContainText(row.recipient_name);
  await expect(card).not.toContainText(row.recipient_phone);

  // Hiding the tab is a convenience; main itself refuses the clerk.
  const direct = await page.evaluate(() =>
    window.privacyCounter!.invoke('accounts.create', {
      username: 'mole',
      displayName: 'mole',
      role: 'supervisor',
      password: 'let-me-in-please',
      totp: '123456',
    }),
  );
  expect(direct.ok ? 'ok' : direct.error.code).toBe('FORBIDDEN');
  const list = await counter.call('accounts.list', {});
  expect(list.ok).toBe(false);

  expectCleanConsole(counter, [bossKey.replace(/ /g, ''), liKey.replace(/ /g, ''), PASSWORD, row.recipient_name, row.recipient_phone]);
});

test('a wrong code is refused in both languages; the idle lock takes the PIN; switching shifts keeps the right name on top', async ({
  counter,
}) => {
  const { page } = counter;
  const keys = await seedStation(counter, [LI, ZHAO]);
  // The supervisor ends their shift: nobody is logged in, and the shift's figures are said.
  await page.getByRole('button', { name: '交班' }).click();
  await expect(page.getByRole('heading', { name: '班次登录' })).toBeVisible();
  await expect(page.getByRole('region', { name: '本机已开班次' })).toHaveCount(0);
  const summary = page.getByTestId('shift-summary');
  await expect(summary.getByRole('heading')).toHaveText('王站长 已交班。本班工作量：');
  await expect(summary.locator('dt')).toHaveText(['入库', '出库', '退回', '查询', '查看完整信息']);
  for (const dd of await summary.locator('dd').all()) await expect(dd).toHaveText(/^\d+$/);

  const good = counter.totp(keys.zhao);
  const wrong = String((Number(good) + 500_000) % 1_000_000).padStart(6, '0');
  await fillLogin(counter, ZHAO.username, wrong);
  const alert = page.locator('#login-problem');
  await expect(alert).toHaveText('用户名、密码或动态码错误');
  await expect(page.locator('#login-password')).toBeFocused();
  await expect(page.locator('#login-password')).toHaveValue('');
  await expect(page.locator('#login-code')).toHaveValue('');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(alert).toHaveText('Wrong username, password or code');
  await expect(page.getByRole('heading', { name: 'Shift login' })).toBeVisible();
  await expect(summary.getByRole('heading')).toHaveText('王站长 has ended the shift. This shift:');
  await page.getByRole('button', { name: '中文' }).click();

  await fillLogin(counter, ZHAO.username, counter.totp(keys.zhao));
  await expect(onDuty(counter)).toHaveText(/赵大力\s*店员/);
  await expect(summary).toHaveCount(0);

  // Zhao steps away; Li starts a shift beside it.
  await page.getByRole('button', { name: '锁屏' }).click();
  await expect(page.getByTestId('locked-user')).toContainText(ZHAO.displayName);
  await page.getByRole('button', { name: '另一位店员登录' }).click();
  await fillLogin(counter, LI.username, counter.totp(keys.li));
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);

  // Six idle minutes on main's clock: the next action (opening 出库, which asks main for its settings) meets the lock screen.
  counter.clock.advance(6 * 60_000);
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: '已锁屏' })).toBeVisible();
  await expect(page.getByTestId('locked-user')).toHaveText(/李小明\s*店员/);
  await expect(page.locator('#switch-username')).toHaveValue(LI.username);
  await expect(page.locator('#switch-pin')).toBeFocused();
  await expect(page.locator('.shift-name')).toHaveText([LI.displayName, ZHAO.displayName]);
  await page.screenshot({ path: await artifact('lock.png') });

  await page.keyboard.type('9999');
  await page.keyboard.press('Enter');
  await expect(page.locator('#switch-problem')).toHaveText('PIN 错误');
  await expect(page.locator('#switch-pin')).toBeFocused();
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);
  await expect(page.getByLabel('运单号（条码无法扫描时手动输入）')).toBeFocused();

  // Switching between the open shifts: the bar always names the person now working.
  await page.getByRole('button', { name: '锁屏' }).click();
  await resumeAs(counter, ZHAO.displayName);
  await expect(onDuty(counter)).toHaveText(/赵大力\s*店员/);
  await page.getByRole('button', { name: '锁屏' }).click();
  await resumeAs(counter, LI.displayName);
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);

  // Li ends the shift: only Zhao's is still open.
  await page.getByRole('button', { name: '交班' }).click();
  const open = page.getByRole('region', { name: '本机已开班次' });
  await expect(open.locator('.shift-name')).toHaveText([ZHAO.displayName]);
  expectCleanConsole(counter, [keys.li, keys.zhao, PASSWORD]);
});

test('browsing phone tails locks the shift for a supervisor: a red notice, and no PIN resumes it', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter, [LI]);
  await page.getByRole('button', { name: '锁屏' }).click();
  await page.getByRole('button', { name: '另一位店员登录' }).click();
  await fillLogin(counter, LI.username, counter.totp(keys.li));
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);

  // Nine different tails without a handover is more than a counter needs (the threshold is 8).
  await page.keyboard.press('F2');
  const field = page.getByLabel('尾号 / 取件码 / 手机号 / 运单号');
  for (let i = 1; i <= 9; i++) {
    await field.fill(`10${String(i).padStart(2, '0')}`);
    await page.keyboard.press('Enter');
    if (i < 9) await expect(page.getByRole('status')).toContainText('没有找到包裹');
    // A warning as the limit nears, counting down the new tails left.
    if (i < 6) await expect(page.getByTestId('tails-warning')).toHaveCount(0);
    else if (i < 9) await expect(page.getByTestId('tails-warning')).toContainText(`已查询 ${i} 个不同尾号而未出库。再查 ${9 - i} 个新尾号`);
  }
  await expect(page.getByRole('heading', { name: '异常锁定' })).toBeVisible();
  // Which rule fired, what it saw, and what to do.
  await expect(page.locator('.anomaly')).toContainText('检测到异常操作，此班次已锁定。必须由站长复核后才能继续。');
  await expect(page.getByTestId('lock-rule')).toHaveText('触发的规则：连续查询多个尾号未取件。查询了 9 个不同尾号而未出库（上限 8 个）。');
  await expect(page.locator('.anomaly')).toContainText('请站长到柜台，在“异常”页复核这条提醒');
  await expect(page.getByTestId('locked-user')).toContainText(LI.displayName);
  // Only the other open shift is offered; typing Li's name and PIN is refused by main.
  await expect(page.locator('.shift-name')).toHaveText([SUPERVISOR.displayName]);
  await page.screenshot({ path: await artifact('anomaly-lock.png') });
  await page.locator('#switch-username').fill(LI.username);
  await page.locator('#switch-pin').fill(PIN);
  await page.keyboard.press('Enter');
  await expect(page.locator('#switch-problem')).toHaveText('检测到异常操作，已锁定，请站长复核');

  await resumeAs(counter, SUPERVISOR.displayName);
  await expect(onDuty(counter)).toHaveText(/王站长\s*站长/);
});

test('enrolment shows ten one-time recovery codes; one logs in instead of the lost phone’s code, once; no CSP violation on the way', async ({ counter }) => {
  const { page } = counter;
  await createStation(counter);
  await page.getByLabel('用户名（登录用，字母或数字）').fill(SUPERVISOR.username);
  await page.getByLabel('姓名（显示在屏幕顶部）').fill(SUPERVISOR.displayName);
  await page.getByLabel('密码（至少 8 个字符）').fill(PASSWORD);
  await page.getByLabel('再次输入密码').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '恢复码' })).toBeVisible();
  const codes = await page.getByTestId('recovery-codes').locator('li').allInnerTexts();
  expect(codes).toHaveLength(10);
  for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await enrol(counter, await artifact('enrolment-recovery-codes.png'));
  await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
  await page.getByRole('button', { name: '交班' }).click();

  const loginWithRecovery = async (code: string) => {
    await page.locator('#login-username').fill(SUPERVISOR.username);
    await page.locator('#login-password').fill(PASSWORD);
    await page.getByRole('button', { name: '手机丢失？使用恢复码' }).click();
    await page.locator('#login-recovery').fill(code);
    await page.locator('#login-recovery').press('Enter');
  };
  await loginWithRecovery(codes[3].toLowerCase());
  await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
  await page.getByRole('button', { name: '交班' }).click();
  await loginWithRecovery(codes[3]);
  await expect(page.locator('#login-problem')).toContainText('用户名、密码或动态码错误');
  expectCleanConsole(counter);
});
