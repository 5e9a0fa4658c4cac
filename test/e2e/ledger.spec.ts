// The shred ledger at the screen: papers overdue for destruction, a batch built by
// scanning (an unknown waybill flagged, a repeat refused), the destruction
// recorded with a witness on the spot, the overdue count dropping, and the
// supervisor's signed PDF and CSV of the ledger; a clerk cannot export, not
// even by calling main directly.
import Papa from 'papaparse';
import { readFile } from 'node:fs/promises';
import {
  artifact,
  exportDownload,
  expectCleanConsole,
  fillLogin,
  MANIFEST,
  onDuty,
  PASSWORD,
  PIN,
  scanByKeyboard,
  seedStation,
  SUPERVISOR,
  type FixtureRow,
} from './flows';
import { expect, test, type Counter } from './harness';

test.use({ timezoneId: 'Asia/Shanghai' });

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;
const ZHAO = { username: 'zhao', displayName: '赵大力', role: 'clerk' } as const;
const UNKNOWN = 'JT9000000000001';
const DAY_MS = 86_400_000;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

/** Main's day in the station's zone, as the date fields take it. */
const stationDay = ({ clock }: Counter) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(clock.now);

test('papers are bagged by scanning, destroyed before a witness, and the supervisor exports the signed ledger', async ({ counter }) => {
  const { page } = counter;
  const keys = await seedStation(counter, [LI, ZHAO]);
  const manifest = await readFile(MANIFEST);
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(manifest) }));
  const rows = Papa.parse<FixtureRow>(manifest.toString('utf8'), { header: true, skipEmptyLines: true }).data;
  const papers = rows.slice(0, 4).map((r) => r.waybill_no);
  // Four parcels collected, their customers leaving the paper waybills at the counter; eight days pass.
  for (const waybill of papers) {
    const { parcelId } = await ok(counter.call('counter.scanIn', { waybill }));
    await ok(counter.call('counter.handOver', { customerParcelId: parcelId, waybill, paperLeft: true }));
  }
  counter.clock.advance(8 * DAY_MS);
  const today = stationDay(counter);

  // The clerk's shift: the warning is there before any tab is chosen.
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(keys.li) }));
  await page.reload();
  await expect(onDuty(counter)).toContainText(LI.displayName);
  const banner = page.getByTestId('oversight-banner');
  await expect(banner).toHaveText(/4 张纸质面单超期未销毁/);
  await banner.getByRole('button').click();
  await expect(page.getByRole('heading', { name: '销毁台账' })).toBeFocused();
  await expect(page.getByTestId('outstanding-count')).toHaveText('4 张');
  const overdue = page.locator('table.data-table tbody tr');
  await expect(overdue).toHaveCount(4);
  await expect(overdue.first()).toContainText('取件时顾客留下');
  await expect(overdue.first()).toContainText('8 天');

  // A new batch; the papers are scanned one after another, as fast as a wedge scanner sends them.
  await page.getByRole('button', { name: '装袋与销毁', exact: true }).click();
  await page.getByRole('button', { name: '开始新批次' }).click();
  const field = page.getByLabel('扫描面单条码（或输入运单号后按回车）');
  await expect(field).toBeFocused();
  for (const w of [papers[0], papers[1], papers[2]]) await scanByKeyboard(counter, w);
  // A barcode that will not scan is typed and sent with Enter, by a person who starts straight after the last
  // scan: here, one already in the bag. Every typed character reaches the field, and none of the scans'.
  await scanByKeyboard(counter, UNKNOWN, { thenTyped: papers[0] });
  await expect(field).toHaveValue(papers[0]);
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue('');
  const lines = page.locator('.scan-line');
  await expect(lines).toHaveCount(5);
  // Which line is which, not their order: typed and scanned entries reach the list by different paths.
  const duplicate = lines.filter({ hasText: `${papers[0]}重复：已在批次中，未再次加入` });
  await expect(duplicate).toHaveCount(1);
  await expect(duplicate).toHaveAttribute('data-outcome', 'duplicate');
  await expect(lines.filter({ hasText: UNKNOWN })).toHaveAttribute('data-outcome', 'unknown');
  await expect(lines.locator('xpath=self::*[@data-outcome="detached"]')).toHaveCount(3);
  await expect(page.locator('.paper-unknown')).toContainText(UNKNOWN);

  // Two papers whose barcodes are torn go in by count.
  await page.getByLabel('张数', { exact: true }).fill('2');
  await page.getByLabel('原因（如：条码破损）').fill('条码破损');
  await page.getByRole('button', { name: '登记张数' }).click();
  await expect(page.getByTestId('batch-summary')).toHaveText('面单 3 张 · 未知 1 张 · 计数 2 张 · 合计 6 张');
  await page.screenshot({ path: await artifact('ledger.png'), fullPage: true });

  // Hiding the export is a convenience: main refuses the clerk too.
  await expect(page.getByRole('button', { name: /导出/ })).toHaveCount(0);
  const direct = await page.evaluate(
    (day) => window.privacyCounter!.invoke('ledger.export', { format: 'csv', from: day, to: day, totp: '123456' }),
    today,
  );
  expect(direct.ok ? 'ok' : direct.error.code).toBe('FORBIDDEN');

  // The destruction, witnessed by Zhao on the spot. The operator cannot witness.
  await page.getByLabel('碎纸机编号').fill('CC-01');
  await page.getByLabel('见证人用户名').fill(LI.username);
  await page.getByLabel('见证人 PIN').fill(PIN);
  await page.getByLabel('见证人动态码').fill(counter.totp(keys.li));
  await page.getByRole('button', { name: '记录销毁' }).click();
  await expect(page.locator('#destroy-problem')).toHaveText('见证人不能是操作人本人');
  await expect(page.getByLabel('见证人用户名')).toBeFocused();
  await page.getByLabel('见证人用户名').fill(ZHAO.username);
  await page.getByLabel('见证人 PIN').fill(PIN);
  await page.getByLabel('见证人动态码').fill(counter.totp(keys.zhao));
  await page.getByLabel('备注（可不填；不要写顾客信息）').fill('第一袋');
  await page.screenshot({ path: await artifact('ledger-destroy.png'), fullPage: true });
  await page.getByRole('button', { name: '记录销毁' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已记录销毁' })).toHaveText(/已记录销毁：批次 #1，6 张，记录 #\d+，见证人 赵大力（zhao）。/);
  await expect(page.getByText('还没有进行中的批次')).toBeVisible();

  // One detached paper was not in the bag: it is still overdue.
  await expect(banner).toHaveText(/1 张纸质面单超期未销毁/);
  await page.getByRole('button', { name: /待销毁面单/ }).click();
  await expect(page.getByTestId('outstanding-count')).toHaveText('1 张');
  await expect(overdue).toHaveCount(1);
  await expect(overdue).toContainText(papers[3]);

  // The supervisor (whose shift ended days ago) logs in, signs the record off and exports the period, signed.
  await page.getByRole('button', { name: '锁屏' }).click();
  await page.getByRole('button', { name: '另一位店员登录' }).click();
  await fillLogin(counter, SUPERVISOR.username, counter.totp(keys.boss));
  await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
  await page.getByRole('navigation').getByRole('button', { name: /^台账/ }).click();
  await page.getByRole('button', { name: '台账记录' }).click();
  await page.locator('#records-from').fill(today);
  await page.locator('#records-to').fill(today);
  await page.getByRole('button', { name: '显示', exact: true }).click();
  const record = page.locator('table.records-table tbody tr');
  await expect(record).toHaveCount(1);
  await expect(record).toContainText('碎纸机 · CC-01');
  await expect(record).toContainText('赵大力（zhao）');
  await expect(record).toContainText('未签核');
  await record.getByRole('button', { name: '签核' }).click();
  await page.locator('#stepup-code').fill(counter.totp(keys.boss));
  await page.keyboard.press('Enter');
  await expect(record).toContainText(`${SUPERVISOR.displayName}（${SUPERVISOR.username}）`);
  await expect(record.getByRole('button', { name: '签核' })).toHaveCount(0);

  // A correction is a new record naming the old one; the old one stays as it was.
  await record.getByRole('button', { name: '更正' }).click();
  await expect(page.getByLabel('更正原因（必填）')).toBeFocused();
  await page.keyboard.type('碎纸机编号记错');
  await page.getByLabel('更正销毁方式').selectOption({ label: '碎纸机' });
  await page.getByLabel('碎纸机编号').fill('CC-02');
  await page.locator('#stepup-code').fill(counter.totp(keys.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: '已登记更正' })).toHaveText(/已登记更正 #\d+（更正记录 #\d+）。/);
  await expect(record).toHaveCount(2);
  await expect(record.first()).toContainText('碎纸机 · CC-01');
  await expect(record.first()).toContainText('更正后：碎纸机 · CC-02，6 张');
  await expect(record.nth(1)).toContainText('碎纸机编号记错');
  await expect(record.nth(1)).toContainText('方式改为：碎纸机 · CC-02');
  await page.screenshot({ path: await artifact('ledger-records.png'), fullPage: true });

  const pdf = await exportDownload(counter, '导出 PDF', counter.totp(keys.boss));
  expect(pdf.name).toBe(`shred-ledger_${today}_${today}.pdf`);
  expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const csv = await exportDownload(counter, '导出 CSV', counter.totp(keys.boss));
  expect(csv.name).toBe(`shred-ledger_${today}_${today}.csv`);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = csv.bytes.toString('utf8');
  for (const w of [papers[0], papers[1], papers[2], UNKNOWN, '碎纸机编号记错']) expect(text).toContain(w);
  expect(text).not.toContain(papers[3]);
  await expect(page.getByRole('button', { name: `下载签名文件 ${csv.name}.sig` })).toBeVisible();

  expectCleanConsole(counter, [keys.li, keys.zhao, keys.boss, PASSWORD]);
});

test('a customer leaves the paper at pickup: ticked at the counter, listed to destroy at once with its age, no alarm before the configured days', async ({ counter }) => {
  const { page } = counter;
  await seedStation(counter);
  const manifest = await readFile(MANIFEST);
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(manifest) }));
  const [row] = Papa.parse<FixtureRow>(manifest.toString('utf8'), { header: true, skipEmptyLines: true }).data;
  const { parcel } = await ok(counter.call('counter.scanIn', { waybill: row.waybill_no }));

  await page.keyboard.press('F2');
  const input = page.getByLabel('尾号 / 取件码 / 手机号 / 运单号');
  await input.fill(parcel.pickupCode!);
  await page.keyboard.press('Enter');
  await page.getByLabel('顾客留下面单').check();
  await scanByKeyboard(counter, row.waybill_no);
  await expect(page.getByTestId('handover-left')).toHaveText('该顾客的包裹已全部交付');

  await page.locator('nav.tabs button', { hasText: '台账' }).click();
  await page.getByRole('button', { name: /待销毁面单/ }).click();
  await expect(page.getByTestId('outstanding-total')).toHaveText('1 张');
  await expect(page.getByTestId('outstanding-count')).toHaveText('0 张');
  const listed = page.locator('table.data-table tbody tr');
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText(row.waybill_no);
  await expect(listed).toContainText('取件时顾客留下');
  await expect(listed).toContainText('0 天');
  await expect(listed.locator('.tag-bad', { hasText: '超期' })).toHaveCount(0);
});
