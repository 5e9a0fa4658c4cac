// The supervisor's daily close and settlement on the operations screen: the
// fee table saved with the code, the day closed and its figures shown, the
// history listing it, its signed PDF downloaded; the settlement's amounts.
import { artifact, exportDownload, seedStation } from './flows';
import type { Result } from '../../shared/ipc/contract';
import { expect, test } from './harness';

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

test('fee table, daily close with history and signed report, settlement', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter);
  for (let i = 0; i < 2; i++) await ok(counter.call('counter.scanIn', { waybill: `SF${1_600_000_000_000 + i}`, recipient: { name: '钱七', phone: `1370000888${i}` } }));
  // Main's clock is the station's: its day, as the station sees it.
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(counter.clock.now);

  await page.getByRole('navigation').getByRole('button', { name: '站务' }).click();
  await page.getByRole('button', { name: '派费结算', exact: true }).click();
  await page.locator('#fee-SF').fill('0.45');
  await page.getByRole('button', { name: '保存派费表' }).click();
  await page.locator('#stepup-code').fill(counter.totp(keys.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByText('派费表已保存。')).toBeVisible();

  await page.locator('#settlement-from').fill(day);
  await page.locator('#settlement-to').fill(day);
  const settlement = await exportDownload(counter, '导出 CSV', counter.totp(keys.boss));
  expect(settlement.bytes.toString('utf8')).toContain('SF,2,0,0.45,0.90');
  await expect(page.getByTestId('settlement-total')).toHaveText('0.90');

  await page.getByRole('button', { name: '日结', exact: true }).click();
  await page.locator('#close-date').fill(day);
  await page.getByRole('button', { name: '日结', exact: true }).last().click();
  await page.locator('#stepup-code').fill(counter.totp(keys.boss));
  await page.keyboard.press('Enter');
  const figures = page.getByTestId('close-figures');
  await expect(figures.getByRole('row', { name: /顺丰速运/ })).toContainText('2');
  await expect(page.getByTestId('close-history')).toContainText(day);
  const pdf = await exportDownload(counter, '导出 PDF', counter.totp(keys.boss));
  expect(pdf.name).toBe(`daily-close_${day}.pdf`);
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByRole('button', { name: `下载签名文件 ${pdf.name}.sig` })).toBeVisible();
  await page.screenshot({ path: await artifact('daily-close.png'), fullPage: true });
});
