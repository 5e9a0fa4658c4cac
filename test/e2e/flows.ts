// Steps the e2e specs share: the station and its first supervisor, through
// the UI or (to save time where the UI is not under test) straight through
// main's router; enrolment and login as a person does them.
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { Role } from '../../shared/actor';
import { parsePhone, phoneTail } from '../../shared/phone';
import { PASSWORD, PIN } from '../helpers/app';
import { expect, repoRoot, type Counter } from './harness';

export { PASSWORD, PIN };
export const MANIFEST = path.resolve(repoRoot, '../shared/fixtures/manifest-small.csv');
export const ARTIFACTS = path.join(repoRoot, 'test-results/artifacts');
export const PASSPHRASE = 'counter-passphrase-2024';
export const STATION = '幸福里驿站';
export const SUPERVISOR = { username: 'boss', displayName: '王站长' };

export async function artifact(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** The first-run form; ends on the create-the-supervisor screen. */
export async function createStation({ page }: Counter, screenshot?: string): Promise<void> {
  await expect(page.getByRole('heading', { name: '创建驿站' })).toBeVisible();
  await expect(page.getByLabel('驿站名称')).toBeFocused();
  await page.keyboard.type(STATION);
  await page.getByLabel('驿站口令（至少 8 个字符）').fill(PASSPHRASE);
  await page.getByLabel('再次输入口令').fill(PASSPHRASE);
  if (screenshot) await page.screenshot({ path: screenshot });
  await page.getByRole('button', { name: '创建驿站' }).click();
  await expect(page.getByRole('heading', { name: '创建站长账户' })).toBeVisible();
}

/** On the enrolment screen: reads the key a person would type into the app, answers with its code and a PIN. */
export async function enrol(counter: Counter, screenshot?: string): Promise<string> {
  const { page } = counter;
  await expect(page.getByRole('heading', { name: '绑定动态码' })).toBeVisible();
  const secret = await page.getByTestId('totp-secret').innerText();
  expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  await expect(page.locator('#enrol-code')).toBeFocused();
  if (screenshot) await page.screenshot({ path: screenshot });
  await page.keyboard.type(counter.totp(secret));
  await page.locator('#enrol-pin').fill(PIN);
  await page.locator('#enrol-pin-confirm').fill(PIN);
  await page.keyboard.press('Enter');
  return secret;
}

/** Creates the supervisor through the UI; returns the authenticator key. */
export async function bootstrapSupervisor(counter: Counter, screenshots: { enrolment?: string } = {}): Promise<string> {
  const { page } = counter;
  await expect(page.getByLabel('用户名（登录用，字母或数字）')).toBeFocused();
  await page.keyboard.type(SUPERVISOR.username);
  await page.getByLabel('姓名（显示在屏幕顶部）').fill(SUPERVISOR.displayName);
  await page.getByLabel('密码（至少 8 个字符）').fill(PASSWORD);
  await page.getByLabel('再次输入密码').fill(PASSWORD);
  await page.getByRole('button', { name: '创建站长账户' }).click();
  const secret = await enrol(counter, screenshots.enrolment);
  await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
  return secret;
}

/** The shift login form, by field id so it works in either language. An empty code starts enrolment. */
export async function fillLogin({ page }: Counter, username: string, code: string, password = PASSWORD): Promise<void> {
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-code').fill(code);
  await page.locator('#login-code').press('Enter');
}

export const onDuty = ({ page }: Counter) => page.getByTestId('on-duty');

/**
 * The station with a supervisor and enrolled staff, made through main's router;
 * the page reloads into the supervisor's open shift. Returns each person's key.
 */
export async function seedStation(counter: Counter, staff: { username: string; displayName: string; role: Role }[] = []) {
  const must = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`seed: ${r.error.code}`);
    return r.value;
  };
  const keyOf = (otpauthUri: string) => new URL(otpauthUri).searchParams.get('secret') as string;
  const { call } = counter;
  const secrets: Record<string, string> = {};
  await must(call('station.init', { stationName: STATION, passphrase: PASSPHRASE }));
  const boot = await must(call('auth.bootstrap', { ...SUPERVISOR, password: PASSWORD }));
  secrets[SUPERVISOR.username] = keyOf(boot.otpauthUri);
  await must(call('auth.enrol', { username: SUPERVISOR.username, password: PASSWORD, totp: counter.totp(secrets.boss), pin: PIN }));
  for (const s of staff) await must(call('accounts.create', { ...s, password: PASSWORD, totp: counter.totp(secrets.boss) }));
  for (const s of staff) {
    const e = await must(call('auth.enrolment', { username: s.username, password: PASSWORD }));
    secrets[s.username] = keyOf(e.otpauthUri);
    await must(call('auth.enrol', { username: s.username, password: PASSWORD, totp: counter.totp(secrets[s.username]), pin: PIN }));
    // Enrolling opened a shift for them; end it, so only the supervisor's is open.
    await must(call('auth.logout', {}));
  }
  await must(call('auth.resume', { username: SUPERVISOR.username, pin: PIN }));
  await counter.page.reload();
  await expect(onDuty(counter)).toContainText(SUPERVISOR.displayName);
  return secrets;
}

export interface FixtureRow {
  waybill_no: string;
  recipient_name: string;
  recipient_phone: string;
  recipient_address: string;
}

/** A row whose phone tail no other row shares, so a tail lookup finds exactly it. */
export async function pickRow(): Promise<{ row: FixtureRow; tail: string; rowCount: number }> {
  const rows = Papa.parse<FixtureRow>(await readFile(MANIFEST, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const tails = rows.map((r) => {
    const p = parsePhone(r.recipient_phone);
    return p ? phoneTail(p) : null;
  });
  const i = rows.findIndex(
    (r, k) =>
      /^1\d{10}$/.test(r.recipient_phone) &&
      r.recipient_name.length >= 2 &&
      tails.filter((t) => t === tails[k]).length === 1,
  );
  if (i < 0) throw new Error('no fixture row with a unique phone tail');
  return { row: rows[i], tail: tails[i] as string, rowCount: rows.length };
}

let zxingReady = false;
/** The text of the QR code in a PNG, as a phone's camera would read it. */
export async function readQr(png: Uint8Array): Promise<string[]> {
  if (!zxingReady) {
    // The wasm ships in the package: load it from disk, not from a CDN.
    const wasm = readFileSync(createRequire(__filename).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) } });
    zxingReady = true;
  }
  const found = await readBarcodes(png, { formats: ['QRCode'] });
  return found.filter((r) => r.isValid).map((r) => r.text);
}

/** Personal data must not reach the console; and the app itself must not log errors. */
export function expectCleanConsole(counter: Counter, secrets: string[] = []): void {
  expect(counter.pageErrors).toEqual([]);
  // Chromium notes that frame-ancestors has no effect in a <meta> CSP; that line is expected.
  const lines = counter.consoleLines.filter((l) => !l.includes("'frame-ancestors'"));
  expect(lines.filter((l) => l.startsWith('error:'))).toEqual([]);
  for (const s of secrets) expect(counter.consoleLines.join('\n')).not.toContain(s);
  expect(counter.foreignRequests).toEqual([]);
}

/** From the workspace: lock the screen, pick an open shift by name, enter that person's PIN. */
export async function switchShift(counter: Counter, displayName: string): Promise<void> {
  const { page } = counter;
  await page.getByRole('button', { name: '锁屏' }).click();
  await page.getByRole('button', { name: new RegExp(displayName) }).click();
  await page.locator('#switch-pin').fill(PIN);
  await page.keyboard.press('Enter');
  await expect(onDuty(counter)).toContainText(displayName);
}

/** Clicks an export button, answers the step-up with `code`, and returns the file the browser downloaded. */
export async function exportDownload({ page }: Counter, button: string, code: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('button', { name: button }).click();
  await expect(page.locator('#stepup-code')).toBeFocused();
  // Filled, not typed: six fast keys and Enter are what the workspace's scan bus takes for a scan.
  await page.locator('#stepup-code').fill(code);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** What a person types: plain text, or with a Chinese IME on, the pinyin keys and the words then chosen with Space. */
export type Typing = string | { pinyin: string; words: string };

/**
 * A keyboard-wedge scan of `code` (letters, digits, "-"): trusted key events
 * through Chromium's input pipeline, Shift around capitals and Enter at the
 * end, stamped `gapMs` apart in event time as a scanner types them. Not
 * page.keyboard.type: it waits a round trip per key, and on a loaded machine
 * those gaps (up to 250 ms seen) break any burst a scanner detector accepts.
 *
 * `ime`: a Chinese IME is on, as the page sees one: every key is "Process"
 * and goes into a composition, which the IME commits at Enter.
 * `thenTyped`: what a person types straight after the scan, a key every
 * 100 ms in event time, sent with the scan's keys: the page takes them all
 * at once, as a counter PC still busy with the scan does.
 */
export async function scanByKeyboard(
  { page }: Pick<Counter, 'page'>,
  code: string,
  { gapMs = 5, ime = false, thenTyped = '' }: { gapMs?: number; ime?: boolean; thenTyped?: Typing } = {},
): Promise<void> {
  const PERSON_GAP_MS = 100;
  const personKeys = typeof thenTyped === 'string' ? thenTyped.length : thenTyped.pinyin.length + 1;
  const commands: { method: 'Input.dispatchKeyEvent' | 'Input.imeSetComposition' | 'Input.insertText'; params: object }[] = [];
  // Stamped to end now: the typed keys must not lie in the future of the next real ones.
  let at = Date.now() / 1000 - (code.length * gapMs + personKeys * PERSON_GAP_MS) / 1000;
  let composition = '';
  const key = (params: object) => commands.push({ method: 'Input.dispatchKeyEvent', params: { timestamp: at, ...params } });

  /** A character key, Shift around capitals; through the IME it goes into the composition instead of the field. */
  const typeChar = (ch: string, viaIme: boolean) => {
    const modifiers = /[A-Z]/.test(ch) ? 8 : 0;
    const physical = ch === '-' ? 'Minus' : /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`;
    const vk = ch === '-' ? 189 : ch.toUpperCase().charCodeAt(0);
    if (modifiers) key({ type: 'rawKeyDown', key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, modifiers });
    if (viaIme) {
      key({ type: 'rawKeyDown', key: 'Process', code: physical, windowsVirtualKeyCode: 229, modifiers });
      composition += ch;
      commands.push({ method: 'Input.imeSetComposition', params: { text: composition, selectionStart: composition.length, selectionEnd: composition.length } });
    } else {
      key({ type: 'keyDown', key: ch, code: physical, windowsVirtualKeyCode: vk, text: ch, unmodifiedText: ch, modifiers });
    }
    key({ type: 'keyUp', key: ch, code: physical, windowsVirtualKeyCode: vk, modifiers });
    if (modifiers) key({ type: 'keyUp', key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16 });
  };
  /** Enter or Space while composing: the IME commits `words`. */
  const commitKey = (physical: 'Enter' | 'Space', vk: number, words: string) => {
    key({ type: 'rawKeyDown', key: 'Process', code: physical, windowsVirtualKeyCode: 229 });
    commands.push({ method: 'Input.insertText', params: { text: words } });
    key({ type: 'keyUp', key: physical === 'Space' ? ' ' : physical, code: physical, windowsVirtualKeyCode: vk });
    composition = '';
  };

  for (const ch of code) {
    typeChar(ch, ime);
    at += gapMs / 1000;
  }
  if (ime) {
    commitKey('Enter', 13, composition);
  } else {
    key({ type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r', unmodifiedText: '\r' });
    key({ type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
  }
  const viaIme = typeof thenTyped !== 'string';
  for (const ch of viaIme ? thenTyped.pinyin : thenTyped) {
    at += PERSON_GAP_MS / 1000;
    typeChar(ch, viaIme);
  }
  if (viaIme) {
    at += PERSON_GAP_MS / 1000;
    commitKey('Space', 32, thenTyped.words);
  }
  const cdp = await page.context().newCDPSession(page);
  // Sent back to back: the browser queues them in order.
  await Promise.all(commands.map(({ method, params }) => cdp.send(method, params as never)));
  await cdp.detach();
}
