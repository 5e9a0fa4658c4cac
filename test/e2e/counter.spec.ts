// Scan-in and pickup at the counter: parcels scanned in by a keyboard-wedge
// scanner while the focus is elsewhere, a HID POS scan through the virtual
// scanner the supervisor chose, pickup by phone tail (with a second factor
// when customers share it), handover by scanning each waybill, a wrong
// parcel refused in red, purpose-bound unmasking with the supervisor's
// approval and its countdown, and the day's counts moving.
import Papa from 'papaparse';
import { readFile } from 'node:fs/promises';
import type { Result } from '../../shared/ipc/contract';
import { parsePhone, phoneTail } from '../../shared/phone';
import { artifact, expectCleanConsole, MANIFEST, onDuty, PASSWORD, PIN, scanByKeyboard, seedStation, SUPERVISOR, type FixtureRow } from './flows';
import { expect, test, type Counter } from './harness';

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;
// In no manifest, and shaped like SF's numbers: the recipient is typed from the paper waybill.
const UNLISTED = 'SF9000000000001';
const TYPED = { name: '欧阳测试', address: '北京市朝阳区测试路88号' };

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

const tailOf = (r: FixtureRow) => phoneTail(parsePhone(r.recipient_phone)!);

/** Mobile-number rows: one whose tail is unique, two that share a tail, and two more. */
async function fixtures() {
  const rows = Papa.parse<FixtureRow>(await readFile(MANIFEST, 'utf8'), { header: true, skipEmptyLines: true }).data.filter(
    (r) => /^1\d{10}$/.test(r.recipient_phone) && r.recipient_name.length >= 2,
  );
  const byTail = new Map<string, FixtureRow[]>();
  for (const r of rows) byTail.set(tailOf(r), [...(byTail.get(tailOf(r)) ?? []), r]);
  const unique = rows.filter((r) => byTail.get(tailOf(r))!.length === 1);
  const shared = [...byTail.values()].find((g) => g.length === 2);
  if (!shared || unique.length < 3) throw new Error('fixture rows missing');
  return { a: unique[0], b: unique[1], c: unique[2], shared: shared as [FixtureRow, FixtureRow] };
}

async function importManifest(counter: Counter) {
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
}

const tab = (counter: Counter, name: RegExp) => counter.page.getByRole('navigation').getByRole('button', { name });

test('scan-in by keyboard wedge and HID POS: codes huge, duplicates flagged, nothing lands in the focused field', async ({ counter }) => {
  const { page } = counter;
  const { a, b, c, shared } = await fixtures();
  const secrets = await seedStation(counter);
  await importManifest(counter);

  // The supervisor chooses the virtual HID POS scanner and the label printer, each with a fresh code.
  await tab(counter, /^设备/).click();
  const scannerRow = page.getByRole('row', { name: /Virtual HID POS scanner/ });
  await expect(scannerRow).toContainText('HID POS 扫码枪');
  await expect(scannerRow).toContainText('0x008C');
  await scannerRow.getByRole('button', { name: '设为扫码枪' }).click();
  await expect(page.getByRole('dialog', { name: '站长动态码确认' })).toContainText('使用 Virtual HID POS scanner 作为扫码枪');
  await page.locator('#stepup-code').fill(counter.totp(secrets.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('device-scanner')).toContainText('已连接');

  await page.getByRole('row', { name: /Virtual TSPL label printer/ }).getByRole('button', { name: '设为打印机' }).click();
  const stepUp = page.getByRole('dialog', { name: '站长动态码确认' });
  await expect(stepUp.getByLabel('打印机指令')).toHaveValue('tspl');
  await expect(stepUp.getByLabel('每包字节数')).toHaveValue('64');
  await page.locator('#stepup-code').fill(counter.totp(secrets.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('device-printer')).toContainText('已连接');
  await expect(page.getByRole('status')).toHaveText('设备设置已保存。');
  await page.screenshot({ path: await artifact('devices.png'), fullPage: true });

  await page.keyboard.press('F4');
  await expect(page.getByTestId('daily-arrived')).toHaveText('0');

  // F1: scan-in, the caret in its field. Half a number typed there stays as it is through every scan.
  await page.keyboard.press('F1');
  const field = page.getByLabel('运单号（条码无法扫描时手动输入）');
  await expect(field).toBeFocused();
  await field.fill('SF12');
  const result = page.locator('.scan-result');
  const codes = new Map<string, string>();
  for (const row of [a, b, c, ...shared]) {
    await scanByKeyboard(counter, row.waybill_no);
    await expect(result).toContainText(row.waybill_no);
    const code = await result.getByTestId('pickup-code').innerText();
    expect(code).toMatch(/^\d+-\d+-\d+$/);
    codes.set(row.waybill_no, code);
    await expect(field).toHaveValue('SF12');
    await expect(field).toBeFocused();
  }
  const batch = page.getByTestId('batch-count');
  await expect(batch).toHaveText('本次入库 5 件');
  // The code is read across the counter: at least 96 px.
  const size = await result.getByTestId('pickup-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(96);

  // The same parcel again: amber, its first code, not counted twice.
  await scanByKeyboard(counter, a.waybill_no);
  await expect(result.getByText('重复扫描，未重复入库')).toBeVisible();
  await expect(result.getByTestId('pickup-code')).toHaveText(codes.get(a.waybill_no)!);
  await expect(batch).toHaveText('本次入库 5 件');
  await expect(page.locator('.batch-table tbody tr').first()).toContainText('重复扫描');

  // A parcel in no manifest: the recipient is typed from the paper waybill, then cleared and shown masked only.
  await field.fill('');
  await scanByKeyboard(counter, UNLISTED);
  await expect(page.locator('#scanin-problem')).toHaveText('该运单不在清单中：请录入收件人姓名和电话');
  await expect(page.getByLabel('收件人姓名')).toBeFocused();
  await page.keyboard.type(TYPED.name);
  await page.getByLabel('收件人电话').fill(a.recipient_phone);
  await page.getByLabel('收件地址（可不填）').fill(TYPED.address);
  await page.getByRole('button', { name: '保存并入库' }).click();
  await expect(result).toContainText(UNLISTED);
  await expect(result).toContainText('已按手工录入的收件人入库');
  await expect(result).toContainText(`*******${tailOf(a)}`);
  await expect(page.getByLabel('收件人姓名')).toHaveCount(0);
  await expect(batch).toHaveText('本次入库 6 件');
  for (const s of [TYPED.name, TYPED.address, a.recipient_phone]) expect(await page.content()).not.toContain(s);

  // Its privacy label: previewed as an image, printed on the chosen printer.
  await result.getByRole('button', { name: '预览标签' }).click();
  const preview = result.getByRole('img', { name: /^标签预览：/ });
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await result.getByRole('button', { name: '打印标签' }).click();
  await expect(result).toContainText(/标签已发送打印（任务 \d+）/);
  await expect.poll(() => counter.printer.reports.length).toBeGreaterThan(0);
  await page.screenshot({ path: await artifact('scan-in.png'), fullPage: true });

  // A HID POS scan of a pickup code (the customer's QR) on the pickup screen: the masked card, no field touched.
  await page.keyboard.press('F2');
  counter.scanner.scan(codes.get(b.waybill_no)!, ']Q1');
  const card = page.locator('.parcel-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(b.waybill_no);
  await expect(card).toContainText(`*******${tailOf(b)}`);
  await expect(card).not.toContainText(b.recipient_name);
  await expect(page.getByRole('status')).toHaveText(`取件码 ${codes.get(b.waybill_no)}：找到 1 件包裹`);

  await page.keyboard.press('F4');
  await expect(page.getByTestId('daily-arrived')).toHaveText('6');
  await expect(page.getByTestId('daily-onShelf')).toHaveText('6');
  expectCleanConsole(counter, [TYPED.name, TYPED.address, a.recipient_phone, b.recipient_name, b.recipient_phone]);
});

test('pickup: tail lookup, handover by scanning, a wrong parcel refused, the next customers, daily counts', async ({
  counter,
}) => {
  const { page } = counter;
  const { a, b, shared } = await fixtures();
  const secrets = await seedStation(counter, [LI]);
  await importManifest(counter);
  // The morning's scan-in (its screen is the test above): four parcels, and a fifth for customer A typed from its waybill.
  const codes = new Map<string, string>();
  for (const row of [a, b, ...shared]) codes.set(row.waybill_no, (await ok(counter.call('counter.scanIn', { waybill: row.waybill_no }))).parcel.pickupCode!);
  await ok(counter.call('counter.scanIn', { waybill: UNLISTED, recipient: { name: TYPED.name, phone: a.recipient_phone } }));

  // The clerk's shift; the supervisor stays near for approvals.
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(secrets.li) }));
  await page.reload();
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);
  const tabs = page.getByRole('navigation').getByRole('button');
  for (const [i, name] of ['入库', '出库', '滞留/退回', '今日', '导入清单'].entries()) await expect(tabs.nth(i)).toHaveText(new RegExp(`^${name}`));
  await expect(tab(counter, /^设备/)).toHaveCount(0);

  await page.keyboard.press('F4');
  await expect(page.getByTestId('daily-arrived')).toHaveText('5');
  await expect(page.getByTestId('daily-pickedUp')).toHaveText('0');

  // A's tail: one customer, two parcels, big cards with code and shelf.
  await page.keyboard.press('F2');
  const input = page.getByLabel('尾号 / 取件码 / 手机号 / 运单号');
  await expect(input).toBeFocused();
  await page.keyboard.type(tailOf(a));
  await page.keyboard.press('Enter');
  const status = page.getByRole('status');
  await expect(status).toHaveText(`尾号 ${tailOf(a)}：找到 2 件包裹`);
  const cards = page.locator('.parcel-card');
  await expect(cards).toHaveCount(2);
  const cardA = cards.filter({ hasText: a.waybill_no });
  await expect(cardA.getByTestId('pickup-code')).toHaveText(codes.get(a.waybill_no)!);
  await expect(cardA).toContainText(/\d+ 号架 \d+ 层/);
  await expect(cardA).toContainText('已放 0 天');
  const left = page.getByTestId('handover-left');
  await expect(left).toHaveText('还有 2 件待交付');
  await page.screenshot({ path: await artifact('pickup.png'), fullPage: true });

  // Each parcel's own waybill, scanned: handed over. A colleague collects for A: the clerk ticks 他人代取 and, with
  // the Chinese IME on and the note half written, scans A's parcel and goes straight on typing the note.
  // Today's figures beside the heading move with each handover.
  const out = page.getByTestId('today-pickedUp');
  await expect(out).toHaveText(/^\d+$/);
  const outBefore = Number(await out.textContent());
  const shelvedBefore = Number(await page.getByTestId('today-onShelf').textContent());
  await page.getByLabel('他人代取').check();
  const note = page.getByLabel('代取说明（如：同事代取）');
  await expect(note).toBeFocused();
  await note.fill('同事');
  await scanByKeyboard(counter, a.waybill_no, { ime: true, thenTyped: { pinyin: 'daiqu', words: '代取' } });
  await expect(cardA).toContainText('已交付');
  await expect(left).toHaveText('还有 1 件待交付');
  await expect(note).toHaveValue('同事代取');
  await expect(out).toHaveText(String(outBefore + 1));
  await expect(page.getByTestId('today-onShelf')).toHaveText(String(shelvedBefore - 1));

  // Someone else's parcel: the whole window turns red, nothing is recorded.
  await scanByKeyboard(counter, shared[0].waybill_no);
  const alarm = page.getByRole('alertdialog', { name: '错件！' });
  await expect(alarm).toBeVisible();
  await expect(alarm).toContainText('错件！该包裹不属于当前取件人，请勿交付（未做任何记录）');
  await expect(alarm.getByRole('button', { name: /我知道了/ })).toBeFocused();
  await page.screenshot({ path: await artifact('wrong-parcel.png') });
  await page.keyboard.press('Enter');
  await expect(alarm).toHaveCount(0);
  await expect(page.locator('#lookup-problem')).toContainText('错件');
  await expect(left).toHaveText('还有 1 件待交付');

  await scanByKeyboard(counter, UNLISTED);
  await expect(left).toHaveText('该顾客的包裹已全部交付');

  // B's one parcel, and straight after its scan the clerk types the next customer's tail, one two customers share.
  await input.fill(tailOf(b));
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(`尾号 ${tailOf(b)}：找到 1 件包裹`);
  await scanByKeyboard(counter, b.waybill_no, { thenTyped: tailOf(shared[0]) });
  await expect(input).toHaveValue(tailOf(shared[0]));
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('尾号相同的顾客有 2 位');
  await expect(page.locator('.customer')).toHaveCount(2);

  await page.keyboard.press('F4');
  await expect(page.getByTestId('daily-pickedUp')).toHaveText('3');
  await expect(page.getByTestId('daily-onShelf')).toHaveText('2');
  await page.screenshot({ path: await artifact('daily.png'), fullPage: true });
  expectCleanConsole(counter, [a.recipient_name, a.recipient_phone, b.recipient_phone, TYPED.name]);
});

test('pickup: a phone tail shared by two customers needs a second factor; unmask needs the supervisor', async ({ counter }) => {
  const { page } = counter;
  const { shared } = await fixtures();
  const secrets = await seedStation(counter, [LI]);
  await importManifest(counter);
  const codes = new Map<string, string>();
  for (const row of shared) codes.set(row.waybill_no, (await ok(counter.call('counter.scanIn', { waybill: row.waybill_no }))).parcel.pickupCode!);
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(secrets.li) }));
  await page.reload();
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);
  await page.keyboard.press('F2');
  const input = page.getByLabel('尾号 / 取件码 / 手机号 / 运单号');
  await expect(input).toBeFocused();
  const status = page.getByRole('status');
  const cards = page.locator('.parcel-card');

  // A shared tail: masked phones and counts only, until the customer's pickup code names one. This answer is
  // held back in main: only a slow answer makes the button say the screen is working on it.
  const { router } = counter.app;
  const handle = router.handle.bind(router);
  let answer = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  router.handle = async (channel, args, ctx) => {
    if (channel === 'counter.find') await held;
    return handle(channel, args, ctx);
  };
  const [s1] = shared;
  await input.fill(tailOf(s1));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: '正在查询…' })).toHaveAttribute('aria-disabled', 'true');
  answer();
  await expect(status).toHaveText('尾号相同的顾客有 2 位');
  await expect(page.getByRole('button', { name: '查询', exact: true })).toHaveAttribute('aria-disabled', 'false');
  await expect(page.locator('.customer')).toHaveCount(2);
  await expect(page.locator('.customer').first()).toContainText(`*******${tailOf(s1)}`);
  for (const row of shared) expect(await page.locator('main').innerText()).not.toContain(codes.get(row.waybill_no));
  const second = page.getByLabel('取件码或运单号（第二验证）');
  await expect(second).toBeFocused();
  await page.keyboard.type(codes.get(s1.waybill_no)!);
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(`尾号 ${tailOf(s1)}：找到 1 件包裹`);
  const cardS1 = cards.filter({ hasText: s1.waybill_no });
  await expect(cards).toHaveCount(1);

  // Unmask: a clerk is refused by main without the supervisor; with their PIN and code the phone shows, then hides.
  await page.clock.install();
  await cardS1.getByRole('button', { name: '查看完整信息' }).click();
  const dialog = cardS1.getByRole('dialog', { name: '查看完整信息' });
  await expect(dialog.getByLabel('查看原因')).toBeFocused();
  await dialog.getByLabel('情况说明').fill('顾客称未收到取件短信');
  await dialog.getByRole('button', { name: '查看', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('店员查看完整信息需站长当场审批（PIN + 动态码）');
  // The note goes into the audit log: a phone number in it is refused, pointing at the note.
  await dialog.getByLabel('情况说明').fill(`顾客留的号码 ${s1.recipient_phone}`);
  await dialog.getByLabel('站长用户名').fill(SUPERVISOR.username);
  await dialog.getByLabel('站长 PIN').fill(PIN);
  await dialog.getByLabel('站长 6 位动态码').fill(counter.totp(secrets.boss));
  await dialog.getByRole('button', { name: '查看', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('备注中不能写手机号等个人信息');
  await expect(dialog.getByLabel('情况说明')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('情况说明').fill('顾客称未收到取件短信');
  await dialog.getByLabel('站长用户名').fill(SUPERVISOR.username);
  await dialog.getByLabel('站长 PIN').fill(PIN);
  await dialog.getByLabel('站长 6 位动态码').fill(counter.totp(secrets.boss));
  await dialog.getByRole('button', { name: '查看', exact: true }).click();
  const revealed = dialog.getByTestId('unmask-value');
  await expect(revealed).toContainText(s1.recipient_phone);
  await expect(revealed).toContainText('30 秒后隐藏');
  await page.clock.runFor(10_000);
  await expect(revealed).toContainText('20 秒后隐藏');
  await page.clock.runFor(21_000);
  await expect(dialog.getByTestId('unmask-hidden')).toHaveText('已隐藏。');
  expect(await page.content()).not.toContain(s1.recipient_phone);

  expectCleanConsole(counter, [s1.recipient_phone, s1.recipient_name]);
});

test('returns: overdue parcels go into one batch per carrier; each courier scan finds its batch; what was scanned is returned', async ({
  counter,
}) => {
  const { page } = counter;
  const rows = Papa.parse<FixtureRow & { carrier: string }>(await readFile(MANIFEST, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const [y1, y2] = rows.filter((r) => r.carrier === 'YTO');
  const jd = rows.find((r) => r.carrier === 'JD')!;
  const fresh = rows.find((r) => r.carrier === 'JD' && r !== jd)!;
  const secrets = await seedStation(counter, [LI]);
  await importManifest(counter);
  for (const r of [y1, y2, jd]) await ok(counter.call('counter.scanIn', { waybill: r.waybill_no }));

  // Eight days on, the clerk's shift: the three are overdue; a parcel arriving today is not.
  counter.clock.advance(8 * 86_400_000);
  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(secrets.li) }));
  await ok(counter.call('counter.scanIn', { waybill: fresh.waybill_no }));
  await page.reload();
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);
  await tab(counter, /^滞留\/退回/).click();
  const overdue = page.getByRole('table', { name: '滞留包裹，等待最久的在上' });
  await expect(overdue.getByRole('checkbox')).toHaveCount(3);
  await expect(overdue).toContainText('8 天');
  for (const box of await overdue.getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: '移入退回批次（已选 3 件）' }).click();
  await expect(page.getByText('已移入退回批次')).toBeVisible();
  await expect(page.getByText('没有滞留包裹。')).toBeVisible();
  // A new answer replaces the last one: no green note beside a red refusal.
  await scanByKeyboard(counter, fresh.waybill_no);
  await expect(page.locator('#returns-problem')).toContainText('该包裹不在待退回的批次中');
  await expect(page.getByText('已移入退回批次')).toBeHidden();
  const batches = page.locator('.batch-item');
  await expect(batches).toHaveCount(2);
  const ytoBatch = batches.filter({ hasText: '圆通' });
  const jdBatch = batches.filter({ hasText: '京东' });
  await expect(ytoBatch).toContainText('已扫描 0 / 2 件');

  // The couriers come one after the other; the clerk just scans, whichever batch is open.
  await scanByKeyboard(counter, jd.waybill_no);
  await expect(jdBatch).toContainText('已扫描 1 / 1 件');
  await scanByKeyboard(counter, y1.waybill_no);
  await expect(ytoBatch).toContainText('已扫描 1 / 2 件');
  const active = page.getByRole('region', { name: /批次 \d+（圆通速递）/ });
  await expect(active.locator('.is-scanned')).toContainText(y1.waybill_no);
  // Today's parcel is in no batch: refused, nothing changes.
  await scanByKeyboard(counter, fresh.waybill_no);
  await expect(page.locator('#returns-problem')).toContainText('该包裹不在待退回的批次中');
  await expect(ytoBatch).toContainText('已扫描 1 / 2 件');

  // The YTO courier leaves with what was scanned; the other parcel stays on the shelf and is overdue again.
  await active.getByRole('button', { name: '交给快递员' }).click();
  await expect(page.getByText('已退回 1 件；1 件未扫描，留在货架上')).toBeVisible();
  await expect(batches).toHaveCount(1);
  await expect(overdue.getByRole('checkbox')).toHaveCount(1);

  // The customer refused it on the phone: flagged as a problem parcel, from the keyboard.
  await overdue.getByRole('button', { name: '问题件' }).click();
  const kind = page.getByLabel('问题类型');
  await expect(kind).toBeFocused();
  await kind.selectOption({ label: '拒收' });
  await page.getByLabel('说明（可不填）').fill('电话联系后拒收');
  await page.keyboard.press('Enter');
  await expect(page.getByText('已标记为问题件')).toBeVisible();
  await expect(page.locator('.flag-item')).toHaveCount(1);
  await expect(page.locator('.flag-item')).toContainText('拒收');
  await page.screenshot({ path: await artifact('returns.png'), fullPage: true });
  expectCleanConsole(counter, [y1.recipient_name, y1.recipient_phone, jd.recipient_phone]);
});
