// A scanner in USB virtual COM mode, chosen in the devices screen: "find
// serial ports" lists the one with USB ids (not the motherboard's COM port),
// the supervisor's code chooses it, the scan test on the scanner card shows
// what it reads, and its scans reach the counter as a HID POS scan would.
// serialport is faked at its boundary only (main/devices/virtual/virtual-serial).
import { readFile } from 'node:fs/promises';
import { until } from '../helpers/until';
import { artifact, expectCleanConsole, MANIFEST, pickRow, scanByKeyboard, seedStation } from './flows';
import { expect, test } from './harness';

const URI = 'serial://1eab:1d06/NL1';

test('a virtual COM scanner: found, chosen with the supervisor code, tested, and scanning at the counter', async ({ counter }) => {
  const { page, serial } = counter;
  const secrets = await seedStation(counter);
  const imported = await counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) });
  expect(imported.ok).toBe(true);
  const { row } = await pickRow();

  await page.getByRole('navigation').getByRole('button', { name: /^设备/ }).click();
  const scanTest = page.getByTestId('scan-test');
  await expect(scanTest).toContainText('在此页面扫一个条码');
  // A keyboard-mode scan is a test too: it shows here and goes nowhere else.
  await scanByKeyboard(counter, 'TEST0001234');
  await expect(scanTest).toContainText('扫到：TEST0001234');
  await expect(scanTest).toContainText('键盘模式');

  await page.getByRole('button', { name: '查找串口' }).click();
  const ports = page.getByRole('region', { name: '本机找到的串口' });
  await expect(ports.locator('tbody tr')).toHaveCount(1);
  await expect(ports).toContainText('/dev/ttyACM0');
  await expect(ports).toContainText('Newland');
  await expect(ports).not.toContainText('/dev/ttyS0');
  await ports.getByRole('button', { name: '设为扫码枪' }).click();
  await expect(page.getByRole('dialog', { name: '站长动态码确认' })).toContainText(`使用 ${URI} 作为扫码枪`);
  await page.locator('#stepup-code').fill(counter.totp(secrets.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('device-scanner')).toContainText('已连接');
  await expect(page.getByRole('region', { name: '扫码枪', exact: true })).toContainText(URI);

  // The scanner's test: a code read over the port shows on its card.
  await until(() => serial.latest()?.isOpen === true);
  serial.latest()!.send('SF1402279137720\r\n');
  await expect(scanTest).toContainText('扫到：SF1402279137720');
  await expect(scanTest).toContainText('串口');

  for (const lang of ['zh', 'en'] as const) {
    if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: lang === 'zh' ? '串口扫码枪（虚拟 COM）' : 'Serial scanner (virtual COM)' })).toBeVisible();
    // What was just done follows the language too.
    await expect(page.locator('section.screen:not([hidden]) .ok-note')).toHaveText(lang === 'zh' ? '设备设置已保存。' : 'Device settings saved.');
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `${width} ${lang}`).toBe(true);
      await page.screenshot({ path: await artifact(`devices-serial-${width}-${lang}.png`), fullPage: true });
    }
  }
  await page.getByRole('button', { name: '中文' }).click();

  // At the counter its scans are scans: scan-in takes the waybill from the port.
  await page.keyboard.press('F1');
  serial.latest()!.send(`]C0${row.waybill_no}\r`);
  await expect(page.locator('.scan-result')).toContainText(row.waybill_no);

  // The cable out and back: the port is opened again by itself.
  const opened = serial.opened.length;
  serial.latest()!.pull();
  await until(() => serial.opened.length > opened && serial.latest()!.isOpen);
  await expect(page.getByTestId('device-scanner')).toContainText('已连接');
  expectCleanConsole(counter, [row.recipient_phone]);
});
