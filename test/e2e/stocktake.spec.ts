// A stocktake (盘库) on the operations screen: the clerk's scanner reads a
// shelf-layer barcode, then the parcels on it; the running counts show one
// parcel missing; the supervisor closes with a note and the code; the result
// lists the missing waybill, a problem parcel until it is moved (seen again)
// to another shelf-layer, where it gets a new code and the relabel prompt.
import type { ScanInResult } from '../../shared/counter';
import type { Result } from '../../shared/ipc/contract';
import { artifact, expectCleanConsole, scanByKeyboard, seedStation } from './flows';
import { expect, test } from './harness';

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

test('scan a shelf-layer and its parcels, see the missing one, close the stocktake', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter);
  const parcels: ScanInResult[] = [];
  for (let i = 0; i < 3; i++) {
    parcels.push(await ok(counter.call('counter.scanIn', { waybill: `SF${1_500_000_000_000 + i}`, recipient: { name: '赵六', phone: `1390000777${i}`, address: '北京市海淀区中关村大街1号' } })));
  }
  // The shelf-layer each one was put on: its pickup code's first two parts.
  const slotOf = (p: ScanInResult) => /^(\d+-\d+)-\d+$/.exec(p.parcel.pickupCode ?? '')![1];
  const layers = [...new Set(parcels.map(slotOf))];

  await page.getByRole('navigation').getByRole('button', { name: '站务' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /站务/ })).toBeFocused();
  await page.locator('#stocktake-layers').fill(layers.join(', '));
  await page.getByRole('button', { name: '开始盘库' }).click();
  const run = page.getByTestId('stocktake-run');
  await expect(run).toContainText('盘库进行中');

  // The scanner: each shelf-layer's barcode, then the parcel on it; the third parcel is not there.
  for (const p of parcels.slice(0, 2)) {
    await scanByKeyboard(counter, slotOf(p));
    await expect(page.getByTestId('stocktake-at')).toHaveText(slotOf(p));
    await scanByKeyboard(counter, p.parcel.waybillNo);
    await expect(page.getByTestId('stocktake-last')).toHaveText(`${p.parcel.waybillNo}：在位`);
  }
  await expect(page.getByTestId('stocktake-expected')).toHaveText('3');
  await expect(page.getByTestId('stocktake-found')).toHaveText('2');
  await expect(page.getByTestId('stocktake-missing')).toHaveText('1');
  await page.screenshot({ path: await artifact('stocktake-running.png') });

  // Paused and resumed: the counts stay.
  await page.getByRole('button', { name: '暂停' }).click();
  await expect(run).toContainText('盘库已暂停');
  await page.getByRole('button', { name: '继续盘库' }).click();
  await expect(run).toContainText('盘库进行中');
  await expect(page.getByTestId('stocktake-found')).toHaveText('2');

  await page.locator('#stocktake-note').fill('第二层灯坏了');
  await page.getByRole('button', { name: '结束盘库', exact: true }).click();
  await page.locator('#stepup-code').fill(counter.totp(keys.boss));
  await page.keyboard.press('Enter');
  const result = page.getByTestId('stocktake-result');
  await expect(result).toBeVisible();
  const missing = parcels[2].parcel.waybillNo;
  await expect(result.getByTestId('stocktake-differences')).toContainText(missing);
  await expect(result.getByTestId('stocktake-differences')).toContainText('缺失');
  await page.screenshot({ path: await artifact('stocktake-closed.png'), fullPage: true });

  // The missing parcel is in the counter's problem list now.
  const problems = await ok(counter.call('problems.open', {}));
  expect(problems.map((p) => [p.kind, p.parcel.waybillNo])).toEqual([['missing', missing]]);

  // It turns up on another shelf-layer: scanned there on the moves view, it gets a new code and the relabel prompt.
  const to = slotOf(parcels[2]) === '2-2' ? '2-3' : '2-2';
  await page.getByRole('button', { name: '移库', exact: true }).click();
  await scanByKeyboard(counter, missing);
  await expect(page.getByTestId('moves-waiting')).toContainText(missing);
  await page.locator('#moves-input').fill(to);
  await page.locator('#moves-input').press('Enter');
  const moved = page.getByTestId('move-result');
  await expect(moved).toContainText(`${slotOf(parcels[2])} → ${to}`);
  await expect(moved).toContainText('取件码已变');
  await expect(moved.getByTestId('pickup-code')).toHaveText(new RegExp(`^${to}-\\d+$`));
  await expect(moved.getByRole('button', { name: '打印新标签' })).toBeVisible();
  await page.screenshot({ path: await artifact('move-relabel.png') });
  // Seen again, it is no longer a problem parcel.
  expect(await ok(counter.call('problems.open', {}))).toEqual([]);
  expectCleanConsole(counter, ['1390000777', '赵六']);
});
