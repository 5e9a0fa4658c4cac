// The screenshot tour: every screen in both languages at the two counter
// monitor sizes (1366×768, 1024×768), each saved under
// test-results/artifacts/screens/ and failed on sideways scrolling, text
// cut off in its element, and code-like or untranslated text. One browser
// context per language and size; the populated store is built once and
// copied for each.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { artifact, fillLogin, MANIFEST, PASSPHRASE, PASSWORD, pickRow, seedStation, SUPERVISOR } from './flows';
import { expect, launchCounter, test, type Counter } from './harness';
import { inspectScreen, type ScreenFinding } from './screen-checks';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
] as const;
const LANGS = ['zh', 'en'] as const;
type Lang = (typeof LANGS)[number];

const CLERK = { username: 'li', displayName: '李小明', role: 'clerk' as const };

interface Seed {
  dir: string;
  /** Main's clock when the seed closed: a later run starts after it, so no authenticator code is a replay. */
  until: Date;
  secrets: Record<string, string>;
  tail: string;
  waybills: string[];
  /** A waybill in the manifest that was never scanned in. */
  notArrived: string;
}
let seed: Seed;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`seed: ${r.error.code}`);
  return r.value;
}

/** A station with staff, the manifest imported, parcels on the shelves, one handed over and one flagged. */
async function buildSeed(browser: Browser): Promise<Seed> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-counter-screens-'));
  const context = await browser.newContext();
  const counter = await launchCounter(await context.newPage(), { dbPath: path.join(dir, 'station.db') });
  const secrets = await seedStation(counter, [CLERK]);
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
  const { row, tail } = await pickRow();
  const text = await readFile(MANIFEST, 'utf8');
  const waybills = text
    .split(/\r?\n/)
    .slice(1, 9)
    .map((l) => l.split(',')[0])
    .filter((w) => w && w !== row.waybill_no);
  const ids = [];
  for (const w of [row.waybill_no, ...waybills]) ids.push((await ok(counter.call('counter.scanIn', { waybill: w }))).parcelId);
  await ok(counter.call('counter.handOver', { customerParcelId: ids[1], waybill: waybills[0] }));
  // Entries whose details the audit screen must put into words: an anomaly alert (a supervisor is
  // flagged, not locked), a purge trial run and a settings change.
  for (let i = 0; i < 9; i++) await counter.call('counter.find', { by: 'tail', value: String(2000 + i) });
  await ok(counter.call('lifecycle.purge', { dryRun: true, totp: counter.totp(secrets[SUPERVISOR.username]) }));
  await ok(counter.call('lifecycle.settings', { backupKeep: 5, totp: counter.totp(secrets[SUPERVISOR.username]) }));
  // The clerk picks the shelf, so scan-in shows the shelf-at-hand choice, with a long name.
  await ok(counter.call('counter.settings.update', { slotMode: 'clerk', shelfNames: ['A 区', '冷柜与大件专用'], totp: counter.totp(secrets[SUPERVISOR.username]) }));
  // A label printer with its own size and language: a row on the settings view, a line on the devices screen.
  await ok(counter.call('devices.choose', { role: 'printer', ...counter.printer.info, language: 'tspl', reportSize: 64, reportId: 0, totp: counter.totp(secrets[SUPERVISOR.username]) }));
  await ok(counter.call('labels.printers.set', { printers: [{ workstation: '', size: '76x130', language: 'en' }], totp: counter.totp(secrets[SUPERVISOR.username]) }));
  const until = counter.clock.now;
  await counter.close();
  await context.close();
  const notArrived = text
    .split(/\r?\n/)
    .slice(10)
    .map((l) => l.split(',')[0])
    .find((w) => w && w !== row.waybill_no)!;
  return { dir, until, secrets, tail, waybills: [row.waybill_no, ...waybills], notArrived };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  seed = await buildSeed(browser);
});

test.afterAll(async () => {
  if (seed) await rm(seed.dir, { recursive: true, force: true });
});

/** One screen: its screenshot, and what the checks found on it. */
class Tour {
  readonly findings: string[] = [];
  constructor(
    /** The page being toured: the first-run screens have a page of their own. */
    public page: Page,
    readonly lang: Lang,
    readonly size: (typeof SIZES)[number],
  ) {}

  async shot(name: string): Promise<void> {
    // Let loads settle: nothing busy, fonts in.
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0);
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    const file = await artifact(`screens/${this.lang}-${this.size.width}x${this.size.height}/${name}.png`);
    // The window as the clerk sees it; the checks below cover the whole page, scrolled or not.
    await this.page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
    const found: ScreenFinding[] = await inspectScreen(this.page, this.lang);
    for (const f of found) this.findings.push(`${name}: ${f.kind}: ${f.what}`);
  }
}

/** A new station's first screens, on a fresh store. */
async function firstRun(tour: Tour, context: BrowserContext): Promise<void> {
  const counter = await launchCounter(await context.newPage());
  const { page } = counter;
  const workspacePage = tour.page;
  tour.page = page;
  try {
    await expect(page.locator('#setup-name')).toBeFocused();
    await tour.shot('01-setup');
    await page.locator('#setup-name').fill('幸福里驿站');
    await page.locator('#setup-passphrase').fill(PASSPHRASE);
    await page.locator('#setup-confirm').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await expect(page.locator('#bootstrap-username')).toBeFocused();
    await tour.shot('02-bootstrap');
    await page.locator('#bootstrap-username').fill(SUPERVISOR.username);
    await page.locator('#bootstrap-name').fill(SUPERVISOR.displayName);
    await page.locator('#bootstrap-password').fill(PASSWORD);
    await page.locator('#bootstrap-confirm').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.locator('#enrol-code')).toBeFocused();
    await tour.shot('03-enrol');
  } finally {
    tour.page = workspacePage;
    await counter.close();
    await page.close();
  }
}

/** The populated station, unlocked and logged into by the supervisor, then every tab and its views. */
async function workspace(tour: Tour, counter: Counter): Promise<void> {
  const { page } = counter;
  await expect(page.locator('#unlock-passphrase')).toBeFocused();
  await tour.shot('04-unlock');
  await page.locator('#unlock-passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.locator('#login-username')).toBeFocused();
  await tour.shot('05-login');
  await fillLogin(counter, SUPERVISOR.username, counter.totp(seed.secrets[SUPERVISOR.username]));
  await expect(page.getByTestId('on-duty')).toContainText(SUPERVISOR.displayName);

  const tabs = page.locator('nav.tabs button');
  const count = await tabs.count();
  expect(count).toBeGreaterThan(8);
  const active = page.locator('section.screen:not([hidden])');
  for (let i = 0; i < count; i++) {
    await tabs.nth(i).click();
    await expect(active.locator('h1')).toBeVisible();
    const id = (await active.getAttribute('aria-labelledby'))?.replace(/-title$/, '') ?? String(i);
    await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}`);
    // Screens with views of their own: each view.
    const segments = active.locator('.segment');
    const views = await segments.count();
    for (let v = 1; v < views; v++) {
      await segments.nth(v).click();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-view-${v + 1}`);
    }
    if (id === 'scanin') {
      await page.locator('#scanin-input').fill(seed.waybills[0]);
      await page.keyboard.press('Enter');
      await expect(active.locator('#scanin-latest')).toBeAttached();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-result`);
    }
    if (id === 'lookup') {
      await page.locator('#lookup-input').fill(seed.tail);
      await page.keyboard.press('Enter');
      const unmask = active.locator('.parcel-card button.small').first();
      await expect(unmask).toBeVisible();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-customer`);
      await unmask.click();
      await expect(active.locator('[role="dialog"], dialog, .dialog').first()).toBeVisible();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-unmask`);
      await page.keyboard.press('Escape');
      // A manifest parcel not scanned in: not found, but said to be still on its way.
      await page.locator('#lookup-input').fill(seed.notArrived);
      await page.keyboard.press('Enter');
      await expect(active.locator('.not-on-shelf')).toBeVisible();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-not-arrived`);
    }
    if (id === 'devices') {
      // The serial ports found, beside the printer by address.
      await active.locator('.scanner-ports button').click();
      await expect(active.locator('#found-scanners-caption')).toBeVisible();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-serial-ports`);
    }
    if (id === 'ops') {
      // A stocktake under way, a parcel scanned before any shelf-layer, and a move waiting for its shelf-layer.
      await active.locator('.segment').first().click();
      await page.locator('#stocktake-layers').press('Enter');
      await expect(page.getByTestId('stocktake-run')).toBeVisible();
      await page.locator('#stocktake-input').fill(seed.waybills[2]);
      await page.locator('#stocktake-input').press('Enter');
      await expect(page.locator('#stocktake-problem')).not.toBeEmpty();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-stocktake-running`);
      await active.locator('.segment').nth(1).click();
      await page.locator('#moves-input').fill(seed.waybills[2]);
      await page.locator('#moves-input').press('Enter');
      await expect(page.getByTestId('moves-waiting')).not.toBeEmpty();
      await tour.shot(`tab-${String(i + 1).padStart(2, '0')}-${id}-move-waiting`);
    }
  }

  // 交班: the login screen says what the shift did; then the supervisor is back for the lock screen.
  await page.locator('.topbar-actions .button.bar').nth(1).click();
  await expect(page.getByTestId('shift-summary')).toBeVisible();
  await tour.shot('06-shift-closed');
  await fillLogin(counter, SUPERVISOR.username, counter.totp(seed.secrets[SUPERVISOR.username]));
  await expect(page.getByTestId('on-duty')).toContainText(SUPERVISOR.displayName);

  // The lock screen, and the PIN that resumes the shift.
  await page.locator('.topbar-actions .button.bar').first().click();
  await expect(page.locator('section.gate')).toBeVisible();
  await tour.shot('06-lock');
}

for (const lang of LANGS) {
  for (const size of SIZES) {
    test(`every screen in ${lang} at ${size.width}×${size.height}: no sideways scroll, no clipped text, no code-like text`, async ({ browser }) => {
      // A tour of some thirty screens on a shared 2-core machine.
      test.setTimeout(180_000);
      const context = await browser.newContext({ viewport: size, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
      await context.addInitScript((l) => localStorage.setItem('privacy-counter.lang', l), lang);
      const copy = await mkdtemp(path.join(os.tmpdir(), 'privacy-counter-screens-run-'));
      try {
        await cp(seed.dir, copy, { recursive: true });
        const tour = new Tour(await context.newPage(), lang, size);
        await firstRun(tour, context);
        const counter = await launchCounter(tour.page, { dbPath: path.join(copy, 'station.db') });
        counter.clock.now = new Date(seed.until.getTime() + 60_000);
        try {
          await workspace(tour, counter);
        } finally {
          await counter.close();
        }
        expect(tour.findings).toEqual([]);
      } finally {
        await context.close();
        await rm(copy, { recursive: true, force: true });
      }
    });
  }
}
