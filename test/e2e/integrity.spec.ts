// A parcel row altered behind the app's back (its waybill number changed with
// plain SQL) fails its row MAC: the pickup screen shows the customer's other,
// good parcels and names the damaged one, in the page's language.
import Database from 'better-sqlite3';
import { parsePhone, phoneTail } from '../../shared/phone';
import type { Result } from '../../shared/ipc/contract';
import { expectCleanConsole, onDuty, PASSWORD, seedStation } from './flows';
import { expect, test } from './harness';

const LI = { username: 'li', displayName: '李小明', role: 'clerk' } as const;
const PHONE = '13812345678';

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

test('pickup: a tampered parcel row is left out and named, the good parcels still shown', async ({ counter }) => {
  const { page } = counter;
  const secrets = await seedStation(counter, [LI]);
  const recipient = { name: '欧阳测试', phone: PHONE, address: '北京市朝阳区测试路88号' };
  const good = await ok(counter.call('counter.scanIn', { waybill: 'SF9000000000011', recipient }));
  await ok(counter.call('counter.scanIn', { waybill: 'SF9000000000012', recipient }));

  const raw = new Database(counter.dbPath);
  const badId = raw.prepare("SELECT id FROM parcels WHERE waybill_no = 'SF9000000000012'").pluck().get() as number;
  raw.prepare("UPDATE parcels SET waybill_no = 'SF9000000000013' WHERE id = ?").run(badId);
  raw.close();

  await ok(counter.call('auth.login', { username: LI.username, password: PASSWORD, totp: counter.totp(secrets.li) }));
  await page.reload();
  await expect(onDuty(counter)).toHaveText(/李小明\s*店员/);
  await page.keyboard.press('F2');
  await page.keyboard.type(phoneTail(parsePhone(PHONE)!));
  await page.keyboard.press('Enter');
  const cards = page.locator('.parcel-card');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText(good.parcel.waybillNo);
  const problem = page.locator('#lookup-problem');
  await expect(problem).toContainText('数据校验失败：记录可能被篡改');
  await expect(problem).toContainText(`#${badId}`);
  await expect(page.locator('body')).not.toContainText('SF9000000000013');
  expectCleanConsole(counter);
});
