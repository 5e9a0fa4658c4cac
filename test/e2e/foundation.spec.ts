// The foundation path a clerk walks every morning: create or unlock the store,
// log in, import the carrier's manifest, find a parcel — seeing only masked data.
import { readFile } from 'node:fs/promises';
import {
  artifact,
  bootstrapSupervisor,
  createStation,
  expectCleanConsole,
  fillLogin,
  MANIFEST,
  onDuty,
  PASSPHRASE,
  pickRow,
  SUPERVISOR,
  seedStation,
  STATION,
} from './flows';
import { expect, test } from './harness';

test('first run creates the station and its supervisor; a wrong passphrase is refused in both languages', async ({ counter }) => {
  const { page } = counter;
  await createStation(counter, await artifact('first-run.png'));
  const secret = await bootstrapSupervisor(counter);
  await expect(page.getByRole('banner')).toContainText(STATION);
  await expect(page.getByRole('heading', { name: '入库扫描' })).toBeVisible();

  // Locking the station ends every shift: after the passphrase, the supervisor logs in again.
  await page.getByRole('button', { name: '锁定驿站' }).click();
  const field = page.getByLabel('驿站口令');
  await expect(page.getByRole('heading', { name: '解锁驿站' })).toBeVisible();
  await expect(field).toBeFocused();

  await field.fill('not-the-passphrase');
  await page.keyboard.press('Enter');
  const alert = page.locator('#unlock-problem');
  await expect(alert).toHaveText('驿站口令错误，未做任何更改');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: await artifact('unlock-error.png') });

  await page.getByRole('button', { name: 'English' }).click();
  await expect(alert).toHaveText('Wrong station passphrase; nothing was changed');
  await expect(page.getByRole('heading', { name: 'Unlock the station' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: '中文' }).click();

  await field.fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '班次登录' })).toBeVisible();
  await expect(page.getByLabel('用户名')).toBeFocused();
  await fillLogin(counter, SUPERVISOR.username, counter.totp(secret));
  await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
  await expect(page.getByLabel('运单号（条码无法扫描时手动输入）')).toBeFocused();

  // Alt+digit is the second set of tab shortcuts.
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('button', { name: '选择 CSV 文件' })).toBeFocused();
  await page.keyboard.press('Alt+2');
  await expect(page.getByLabel('尾号 / 取件码 / 手机号 / 运单号')).toBeFocused();
  expectCleanConsole(counter, [PASSPHRASE, secret.replace(/ /g, '')]);
});

test('a manifest can be dropped on the import area; other files are refused', async ({ counter }) => {
  const { page } = counter;
  await seedStation(counter);
  await page.getByRole('button', { name: /导入清单/ }).click();
  const drop = async (name: string, text: string) => {
    const dataTransfer = await page.evaluateHandle(
      ([n, t]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([t], n));
        return dt;
      },
      [name, text] as const,
    );
    await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer });
  };

  await drop('notes.txt', 'not a manifest');
  await expect(page.locator('#import-problem')).toHaveText('只能导入 .csv 格式的清单文件');
  await expect(page.locator('progress')).toHaveCount(0);

  await drop('manifest-small.csv', await readFile(MANIFEST, 'utf8'));
  await expect(page.getByTestId('report-imported')).toHaveText('300', { timeout: 30_000 });
  await expect(page.locator('#import-problem')).toBeEmpty();
});

test('imports the manifest and finds a parcel by tail showing only masked data', async ({ counter }) => {
  const { page } = counter;
  const { row, tail, rowCount } = await pickRow();
  expect(rowCount).toBe(300);
  const secrets = await seedStation(counter);

  // F5 opens the import screen, with the focus on its button.
  await page.keyboard.press('F5');
  await expect(page.getByRole('heading', { name: '导入清单' })).toBeVisible();
  await expect(page.getByRole('button', { name: '选择 CSV 文件' })).toBeFocused();

  await page.locator('input[type=file]').setInputFiles(MANIFEST);
  const bar = page.locator('progress');
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('report-imported')).toHaveText('300', { timeout: 30_000 });
  await expect(page.getByTestId('report-skipped')).toHaveText('0');
  await expect(page.getByTestId('report-errors')).toHaveText('0');
  // The bar was driven by real import.progress events to completion.
  await expect(bar).toHaveAttribute('max', '300');
  await expect(bar).toHaveAttribute('value', '300');
  await expect(page.locator('.progress-status')).toHaveText('已完成 300 / 300 行');
  await page.screenshot({ path: await artifact('import-report.png'), fullPage: true });

  // The pickup screen finds parcels on the shelf: this one is scanned in first.
  const scanned = await counter.call('counter.scanIn', { waybill: row.waybill_no });
  expect(scanned.ok).toBe(true);

  // F2 goes to pickup with the caret in the field.
  await page.keyboard.press('F2');
  const input = page.getByLabel('尾号 / 取件码 / 手机号 / 运单号');
  await expect(input).toBeFocused();
  await input.fill(tail);
  await page.keyboard.press('Enter');

  const cards = page.locator('.parcel-card');
  await expect(cards).toHaveCount(1);
  const card = cards.first();
  await expect(page.getByRole('status')).toHaveText(`尾号 ${tail}：找到 1 件包裹`);
  await expect(card).toContainText(row.waybill_no);
  await expect(card).toContainText(`*******${tail}`);
  const name = await card.locator('.masked').first().innerText();
  expect(name).toContain('*');
  expect(name).not.toBe(row.recipient_name);
  await page.screenshot({ path: await artifact('lookup.png'), fullPage: true });

  const personal = [row.recipient_name, row.recipient_phone, row.recipient_address, row.recipient_address.replace(/\s+/g, '')];
  const text = await page.locator('body').innerText();
  const html = await page.content();
  for (const s of personal) {
    expect(text).not.toContain(s);
    expect(html).not.toContain(s);
  }

  // A full phone number finds the same parcel and is wiped from the field at once.
  await input.fill(row.recipient_phone);
  await page.keyboard.press('Enter');
  await expect(input).toHaveValue('');
  await expect(page.getByRole('status')).toHaveText('手机号（已隐藏）：找到 1 件包裹');
  await expect(cards.first()).toContainText(row.waybill_no);
  expect(await page.locator('body').innerText()).not.toContain(row.recipient_phone);
  expect(await page.content()).not.toContain(row.recipient_phone);

  // A waybill number, typed in lower case with a space, finds it too.
  const spaced = `${row.waybill_no.slice(0, 6)} ${row.waybill_no.slice(6)}`.toLowerCase();
  await input.fill(spaced);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText(`运单号 ${row.waybill_no}：找到 1 件包裹`);

  await input.fill('??');
  await page.keyboard.press('Enter');
  await expect(page.locator('#lookup-problem')).toContainText('无法识别');
  await expect(cards).toHaveCount(0);

  // English labels for the same result.
  await input.fill(row.recipient_phone);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('status')).toHaveText('Phone number (hidden): parcels found: 1');
  await expect(cards.first()).toContainText('Pickup code');
  await page.screenshot({ path: await artifact('lookup-en.png'), fullPage: true });

  // Locking drops every result; unlocking and logging in start from an empty screen.
  await page.getByRole('button', { name: 'Lock station' }).click();
  await page.getByLabel('Station passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Shift login' })).toBeVisible();
  await fillLogin(counter, SUPERVISOR.username, counter.totp(secrets.boss));
  await expect(page.getByRole('heading', { name: 'Scan parcels in' })).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'Find a parcel' })).toBeVisible();
  await expect(cards).toHaveCount(0);

  expectCleanConsole(counter, personal);
});

test('the CSP meta policy is in force under the harness', async ({ counter }) => {
  const { page } = counter;
  await expect(page.getByRole('heading', { name: '创建驿站' })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as { __inlineRan?: boolean };
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return { ran: w.__inlineRan === true, violations };
  });
  expect(outcome.ran).toBe(false);
  expect(outcome.violations).toContain('script-src-elem');
});

test('rows the importer rejects are listed by row number with a translated reason', async ({ counter }) => {
  const { page } = counter;
  await seedStation(counter);
  await page.keyboard.press('F5');
  const csv = [
    'waybill_no,carrier,recipient_name,recipient_phone,recipient_address,item_desc,weight_kg',
    'SF1234567890123,SF,测试甲,13800001111,北京市朝阳区测试路1号,图书,1.2',
    ',SF,测试乙,13800002222,北京市朝阳区测试路2号,图书,1.2',
    'ZZ1234567890123,NOPE,测试丙,13800003333,北京市朝阳区测试路3号,图书,1.2',
    'SF1234567890124,SF,测试丁,not a phone,北京市朝阳区测试路4号,图书,1.2',
  ].join('\n');
  const file = { name: 'bad-rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('report-imported')).toHaveText('1', { timeout: 30_000 });
  await expect(page.getByTestId('report-errors')).toHaveText('3');
  const rows = page.locator('.row-errors tbody tr');
  await expect(rows).toHaveText([/^3\s*缺少运单号$/, /^4\s*未知快递公司$/, /^5\s*电话号码无法识别$/]);
  await page.screenshot({ path: await artifact('import-errors.png'), fullPage: true });

  // The same file again: the good row is already there, and English reasons follow the switch.
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('report-skipped')).toHaveText('1', { timeout: 30_000 });
  await expect(page.getByTestId('report-imported')).toHaveText('0');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(rows.first()).toHaveText(/^3\s*Missing waybill number$/);
});
