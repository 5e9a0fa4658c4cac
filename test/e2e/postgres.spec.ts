// A counter on the station's PostgreSQL server, reached through a loopback
// relay the test can cut: a server that cannot be reached at start is a
// bilingual screen with a retry, nothing written anywhere, and the retry
// opens the station once the server answers; a server lost mid-shift is shown
// at once (a banner, the screens untouchable) and refuses the counter's work,
// and the counter carries on by itself once the server is back.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { closedPort } from '../helpers/net';
import { freshDatabase, PG_URL } from '../helpers/postgres';
import { bootstrapSupervisor, createStation } from './flows';
import { expect, launchCounter, test } from './harness';

/** Relays a loopback port to the PostgreSQL server; `cut` drops every connection and stops listening. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: URL,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
    this.server = null;
  }
}

test.skip(!PG_URL, 'needs PC_TEST_PG_URL (README, "Tests against PostgreSQL")');

test('server unreachable at start, then lost mid-shift: the counter says so, refuses, and carries on when it is back', async ({ page }) => {
  const db = await freshDatabase();
  const owner = new URL(db.ownerUrl);
  const relay = new Relay(await closedPort(), owner);
  const viaRelay = new URL(db.ownerUrl);
  viaRelay.hostname = '127.0.0.1';
  viaRelay.port = String(relay.port);
  const counter = await launchCounter(page, { dbPath: viaRelay.toString() });
  try {
    const problem = page.locator('#app-problem');
    await expect(problem).toHaveText(/无法连接驿站服务器/);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(problem).toHaveText(/The station server cannot be reached/);
    await page.getByRole('button', { name: '中文' }).click();
    const retry = page.getByRole('button', { name: '重试' });
    await retry.click();
    await expect(problem).toHaveText(/无法连接驿站服务器/);

    await relay.start();
    await retry.click();
    await createStation(counter);
    await bootstrapSupervisor(counter);
    const waybill = page.getByLabel('运单号（条码无法扫描时手动输入）');
    await expect(waybill).toBeFocused();

    // Lost mid-shift: the counter says so at once, before anyone acts, and takes no input; a scan is refused.
    await relay.cut();
    const lost = page.getByTestId('server-lost');
    await expect(lost).toHaveText(/与驿站服务器的连接已断开/);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(lost).toHaveText(/The connection to the station server is lost/);
    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.locator('main.workspace')).toHaveAttribute('inert', '');
    expect(await counter.call('counter.scanIn', { waybill: 'SF7000000000001' })).toMatchObject({ ok: false, error: { code: 'STORE_CONNECTION_LOST' } });

    // Back: the banner goes by itself, and the next scan goes through without a restart (it asks for the
    // recipient: this waybill is in no manifest).
    await relay.start();
    await expect(lost).toHaveCount(0, { timeout: 10_000 });
    await waybill.fill('SF7000000000001');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: /驿站服务器/ })).toHaveCount(0);
    await expect(page.getByLabel('收件人姓名')).toBeVisible();
  } finally {
    await counter.close();
    await relay.cut();
    await db.drop();
  }
});
