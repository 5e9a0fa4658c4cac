// The supervisor's station settings on 站务 → 站务设置, each part saved with
// the code: the shelves (names, capacity, the clerk picking the shelf), the
// overdue days per carrier, opening hours and the anomaly rules, retention,
// and this PC's printer's label size and language (which the devices screen
// then shows). Then scan-in offers the shelf at hand, refuses a scan without
// one, shelves the parcel where the clerk chose, and remembers the choice.
import { readFile } from 'node:fs/promises';
import { artifact, MANIFEST, seedStation } from './flows';
import type { Result } from '../../shared/ipc/contract';
import { expect, test, type Counter } from './harness';

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

async function stepUp({ page, totp }: Counter, key: string, button: string) {
  await page.getByRole('button', { name: button }).click();
  await expect(page.locator('#stepup-code')).toBeFocused();
  await page.locator('#stepup-code').fill(totp(key));
  await page.keyboard.press('Enter');
  await expect(page.locator('#stepup-code')).toHaveCount(0);
}

test('station settings saved with the code; scan-in then takes the shelf at hand', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter);
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
  const waybills = (await readFile(MANIFEST, 'utf8')).split(/\r?\n/).slice(1, 4).map((l) => l.split(',')[0]);
  await ok(counter.call('devices.choose', { role: 'printer', ...counter.printer.info, language: 'tspl', reportSize: 64, reportId: 0, totp: counter.totp(keys.boss) }));

  await page.getByRole('navigation').getByRole('button', { name: '站务' }).click();
  await page.getByRole('button', { name: '站务设置', exact: true }).click();
  await expect(page.locator('#settings-shelves')).toHaveValue('20');
  await page.locator('#settings-shelves').fill('2');
  await page.locator('#settings-layers').fill('3');
  await page.locator('#settings-capacity').fill('50');
  await page.locator('#settings-names').fill('A 区, 冷柜');
  await page.getByRole('radio', { name: /店员选择手边的货架/ }).check();
  await stepUp(counter, keys.boss, '保存货架设置');
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

  await page.locator('#settings-overdue-SF').fill('3');
  await page.locator('#settings-overdue-JD').fill('0');
  await page.getByRole('button', { name: '保存滞留天数' }).click();
  await expect(page.locator('#settings-overdue-problem')).toContainText('范围内的整数');
  await page.locator('#settings-overdue-JD').fill('');
  await stepUp(counter, keys.boss, '保存滞留天数');

  await page.locator('#settings-hours').fill('22:00-07:00');
  await page.getByRole('button', { name: '保存营业时间与规则' }).click();
  await expect(page.locator('#settings-anomaly-problem')).toContainText('开门早于关门');
  await page.locator('#settings-hours').fill('08:00-21:00');
  await page.locator('#settings-limit-unmasksPerShift').fill('5');
  await stepUp(counter, keys.boss, '保存营业时间与规则');

  await page.locator('#settings-retention-pickedUpDays').fill('45');
  await stepUp(counter, keys.boss, '保存保存天数');

  const printerRow = page.getByTestId('printer-labels').getByRole('row', { name: /本机/ });
  await expect(printerRow).toContainText('Virtual TSPL label printer');
  await printerRow.getByRole('combobox', { name: /标签尺寸/ }).selectOption('40x30');
  await printerRow.getByRole('combobox', { name: /标签文字/ }).selectOption('en');
  await stepUp(counter, keys.boss, '保存标签设置');
  await page.screenshot({ path: await artifact('station-settings.png'), fullPage: true });

  // What main now holds, as the other counters read it.
  expect(await ok(counter.call('counter.settings.get', {}))).toMatchObject({ shelves: 2, layers: 3, layerCapacity: 50, shelfNames: ['A 区', '冷柜'], slotMode: 'clerk', carrierOverdueDays: { SF: 3 } });
  expect(await ok(counter.call('anomaly.settings.get', {}))).toMatchObject({ openingHours: '08:00-21:00', unmasksPerShift: 5 });
  expect((await ok(counter.call('lifecycle.status', {}))).settings.pickedUpDays).toBe(45);
  expect((await ok(counter.call('labels.printers', {}))).printers).toEqual([
    { workstation: '', printer: 'Virtual TSPL label printer', size: '40x30', language: 'en', own: true },
  ]);

  await page.getByRole('navigation').getByRole('button', { name: '入库' }).click();
  const shelf = page.locator('#scanin-shelf');
  await expect(shelf).toBeVisible();
  await page.locator('#scanin-input').fill(waybills[0]);
  await page.keyboard.press('Enter');
  await expect(page.locator('#scanin-problem')).toContainText('请先选择手边的货架');
  await shelf.selectOption({ label: '2 号架 · 冷柜' });
  await page.locator('#scanin-input').fill(waybills[0]);
  await page.keyboard.press('Enter');
  await expect(page.locator('.scan-result .pickup-code').first()).toHaveText(/^2-\d-\d+$/);
  await page.screenshot({ path: await artifact('scan-in-shelf-at-hand.png'), fullPage: true });

  // Kept on this PC until changed.
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: '入库' }).click();
  await expect(page.locator('#scanin-shelf')).toHaveValue('2');

  // The label setup is kept, and the devices screen says the same.
  await page.getByRole('navigation').getByRole('button', { name: '站务' }).click();
  await page.getByRole('button', { name: '站务设置', exact: true }).click();
  await expect(printerRow.getByRole('combobox', { name: /标签尺寸/ })).toHaveValue('40x30');
  await expect(printerRow.getByRole('combobox', { name: /标签文字/ })).toHaveValue('en');
  await page.getByRole('navigation').getByRole('button', { name: /^设备/ }).click();
  await expect(page.getByTestId('here-labels')).toContainText('40×30 毫米，英文');
});
