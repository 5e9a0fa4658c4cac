// Two counters, each its own app and workstation, on one PostgreSQL store: a
// parcel scanned in at counter 1 is open on counter 1's pickup screen when
// counter 2 hands it over; counter 1's card turns "handed over" and its
// figures move, pushed from the server, with no reload and no click.
import { PG_URL, freshDatabase } from '../helpers/postgres';
import { PASSPHRASE, PASSWORD, SUPERVISOR, onDuty, seedStation } from './flows';
import { expect, launchCounter, test } from './harness';

test.skip(!PG_URL, 'needs PC_TEST_PG_URL (README, "Tests against PostgreSQL")');

const WAYBILL = 'SF7100000000001';
const PHONE = '13912345678';

test('scanned in at counter 1, handed over at counter 2: counter 1 sees it handed over without reloading', async ({ page, context }) => {
  const db = await freshDatabase();
  const one = await launchCounter(page, { dbPath: db.appUrl, workstation: 'counter-1' });
  const two = await launchCounter(await context.newPage(), { dbPath: db.appUrl, workstation: 'counter-2' });
  try {
    // The owner role creates the schema once (as `init --db URL` does); the counters connect as the app role.
    const owner = await launchCounter(await context.newPage(), { dbPath: db.ownerUrl, workstation: 'back-office' });
    const secrets = await seedStation(owner);
    await owner.close();
    const must = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> => {
      const r = await p;
      if (!r.ok) throw new Error(r.error.code);
      return r.value;
    };
    // Each counter unlocks the station and opens the supervisor's shift; their clocks apart, so no code is used twice.
    for (const [i, counter] of [one, two].entries()) {
      counter.clock.advance((i + 1) * 10 * 60_000);
      await must(counter.call('station.unlock', { passphrase: PASSPHRASE }));
      await must(counter.call('auth.login', { username: SUPERVISOR.username, password: PASSWORD, totp: counter.totp(secrets.boss) }));
      await counter.page.reload();
      await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
    }

    // Counter 1 scans the parcel in and finds it on its pickup screen by the phone's tail.
    const { parcelId } = await must(one.call('counter.scanIn', { waybill: WAYBILL, recipient: { name: '赵一', phone: PHONE, address: '北京市海淀区学院路1号' } }));
    await one.page.keyboard.press('F2');
    const input = one.page.getByLabel('尾号 / 取件码 / 手机号 / 运单号');
    await expect(input).toBeFocused();
    await one.page.keyboard.type(PHONE.slice(-4));
    await one.page.keyboard.press('Enter');
    const card = one.page.locator('.parcel-card').filter({ hasText: WAYBILL });
    await expect(card).toContainText('待交付');
    const out = one.page.getByTestId('today-pickedUp');
    await expect(out).toHaveText('0');

    // Counter 2 hands it over; counter 1 shows it within a second, untouched.
    await must(two.call('counter.find', { by: 'tail', value: PHONE.slice(-4) }));
    await must(two.call('counter.handOver', { customerParcelId: parcelId, waybill: WAYBILL }));
    await expect(card).toContainText('已交付', { timeout: 1000 });
    await expect(one.page.getByTestId('handover-left')).not.toContainText('待交付');
    await expect(out).toHaveText('1');
    // A second handover of the same parcel is refused, at either counter.
    expect(await one.call('counter.handOver', { customerParcelId: parcelId, waybill: WAYBILL })).toMatchObject({ ok: false });
  } finally {
    await two.close();
    await one.close();
    await db.drop();
  }
});
