// Staff resets on 账户管理: a supervisor sets a new PIN and a new password for
// a clerk who forgot them (a weak one refused in the dialog before any code
// is spent), and the clerk then resumes and logs in with the new ones.
import { PIN, seedStation } from './flows';
import { expect, test, type Counter } from './harness';

const CLERK = { username: 'li', displayName: '李小明', role: 'clerk' as const };

async function reset({ page, totp }: Counter, key: string, button: string, field: string, weak: string, value: string) {
  const row = page.getByRole('row', { name: /李小明/ });
  await row.getByRole('button', { name: button }).click();
  await expect(page.locator(field)).toBeFocused();
  await page.locator(field).fill(weak);
  await page.locator('#stepup-code').fill(totp(key));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toContainText(/至少 8 个字符|4–8 位数字/);
  // The refusal was local: the same code still works.
  await page.locator(field).fill(value);
  await page.locator('#stepup-code').fill(totp(key));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: '已更新 李小明 的账户' })).toBeVisible();
}

test('a supervisor resets a clerk’s PIN and password; the clerk uses the new ones', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter, [CLERK]);
  await page.getByRole('navigation').getByRole('button', { name: /^账户管理/ }).click();
  await reset(counter, keys.boss, '重设 PIN', '#stepup-pin', '12', '97531');
  await reset(counter, keys.boss, '重设密码', '#stepup-password', 'short', 'brand-new-pass');

  // The clerk's shift opens with the new password, and the new PIN resumes it.
  const login = await counter.call('auth.login', { username: CLERK.username, password: 'brand-new-pass', totp: counter.totp(keys.li) });
  expect(login.ok).toBe(true);
  await page.reload();
  expect(PIN).not.toBe('97531');
  await page.getByRole('button', { name: '锁屏' }).click();
  await page.getByRole('button', { name: new RegExp(CLERK.displayName) }).click();
  await page.locator('#switch-pin').fill('97531');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('on-duty')).toContainText(CLERK.displayName);
});
