// A network label printer chosen in the devices screen by its address: a
// test page and a privacy label arrive on the (loopback) printer and read
// back, and paper-out shows in the top bar and holds the label in the print
// queue until paper is back. The screen at 1024×768 and 1366×768, zh and en.
import { readFile } from 'node:fs/promises';
import { decodeTspl, readSymbols } from '../helpers/label-decoder';
import { TEST_PAGE_CODE } from '../../main/labels/test-page';
import { artifact, expectCleanConsole, MANIFEST, pickRow, scanByKeyboard, seedStation } from './flows';
import { expect, test } from './harness';

test('a network printer: chosen by address, test page and label printed, paper-out reported', async ({ counter }) => {
  const { page, networkPrinter } = counter;
  const jobs = page.getByRole('region', { name: '最近的打印任务' });
  const secrets = await seedStation(counter);
  const imported = await counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) });
  expect(imported.ok).toBe(true);
  const { row } = await pickRow();

  await page.getByRole('navigation').getByRole('button', { name: /^设备/ }).click();
  // A malformed address is refused in place, before any code is asked for.
  await page.getByLabel('打印机地址').fill('192.168.1.50');
  await page.getByRole('button', { name: '使用此打印机' }).click();
  await expect(page.locator('#devices-problem')).toContainText('打印机地址无效');
  await expect(page.getByLabel('打印机地址')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('打印机地址').fill(`tcp://127.0.0.1:${networkPrinter.port}`);
  await page.locator('#printer-uri-language').selectOption('tspl');
  await page.getByRole('button', { name: '使用此打印机' }).click();
  await expect(page.getByRole('dialog', { name: '站长动态码确认' })).toContainText(`使用 tcp://127.0.0.1:${networkPrinter.port} 作为标签打印机（TSPL）`);
  await page.locator('#stepup-code').fill(counter.totp(secrets.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('device-printer')).toContainText('已连接');
  const card = page.getByRole('region', { name: '打印机', exact: true });
  await expect(card).toContainText(`tcp://127.0.0.1:${networkPrinter.port}`);

  // The test page: the station name, a barcode and a Chinese line, in the printer's language.
  await card.getByRole('button', { name: '打印测试页' }).click();
  await expect(page.getByRole('status')).toContainText(/测试页已发送（任务 \d+）/);
  await expect.poll(() => networkPrinter.received.length).toBeGreaterThan(0);
  await expect.poll(async () => (await readSymbols(decodeTspl(networkPrinter.bytes(), 203).canvas)).map((s) => s.text)).toContain(TEST_PAGE_CODE);
  await expect(jobs).toContainText('已完成');
  for (const lang of ['zh', 'en'] as const) {
    if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: lang === 'zh' ? '按地址选择打印机' : 'Printer by address' })).toBeVisible();
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `${width} ${lang}`).toBe(true);
      await page.screenshot({ path: await artifact(`devices-network-${width}-${lang}.png`), fullPage: true });
    }
  }
  await page.getByRole('button', { name: '中文' }).click();

  // A privacy label from scan-in, on the network printer.
  const before = networkPrinter.received.length;
  await page.keyboard.press('F1');
  await scanByKeyboard(counter, row.waybill_no);
  const result = page.locator('.scan-result');
  await expect(result).toContainText(row.waybill_no);
  await result.getByRole('button', { name: '打印标签' }).click();
  await expect(result).toContainText(/标签已发送打印（任务 \d+）/);
  await expect.poll(() => networkPrinter.received.length).toBeGreaterThan(before);
  const label = networkPrinter.bytes().subarray(before);
  await expect.poll(async () => (await readSymbols(decodeTspl(networkPrinter.bytes().subarray(before), 203).canvas)).map((s) => s.text)).toContain(row.waybill_no);
  expect(Buffer.from(label).toString('latin1')).not.toContain(row.recipient_phone.slice(0, -4));

  // Out of paper: the top bar says so, and the next label waits in the queue.
  networkPrinter.problems = ['paper-out'];
  await expect(page.getByTestId('device-printer')).toContainText('缺纸', { timeout: 10_000 });
  await result.getByRole('button', { name: '打印标签' }).click();
  await page.getByRole('navigation').getByRole('button', { name: /^设备/ }).click();
  await expect(page.getByRole('region', { name: '打印机', exact: true })).toContainText('缺纸');
  await expect(jobs.locator('tbody tr').first()).toContainText('排队中');
  await page.screenshot({ path: await artifact('devices-paper-out.png'), fullPage: true });
  const held = networkPrinter.received.length;
  networkPrinter.problems = [];
  await expect(jobs.locator('tbody tr').first()).toContainText('已完成', { timeout: 10_000 });
  expect(networkPrinter.received.length).toBeGreaterThan(held);
  await expect(page.getByTestId('device-printer')).toContainText('已连接');

  // Busy (printing): shown in the top bar and beside the print queue, and a label still goes straight out.
  networkPrinter.problems = ['busy'];
  await expect(page.getByTestId('device-printer')).toContainText('忙碌（正在打印）', { timeout: 10_000 });
  await expect(page.getByTestId('queue-printer')).toHaveText('打印机：忙碌（正在打印）');
  const whileBusy = networkPrinter.received.length;
  await page.getByRole('navigation').getByRole('button', { name: /^入库/ }).click();
  await result.getByRole('button', { name: '打印标签' }).click();
  await expect.poll(() => networkPrinter.received.length, { timeout: 10_000 }).toBeGreaterThan(whileBusy);
  networkPrinter.problems = [];
  expectCleanConsole(counter, [row.recipient_phone]);
});
