// Handover photo (出库拍照) through Chromium's fake camera: the test writes a
// small Y4M clip (bright left half, dark right half), the counter takes one
// frame when the waybill is scanned at handover, with no key pressed; the
// handover is shown at once and the photo follows it to main; the stored
// photo opens to that frame for a supervisor who gives a reason, its SM3
// digest is in the audit entry stored with it, the store file shows none of
// it, a handover whose photo never came shows it as not stored, and the
// retention purge erases it.
import { loadImage } from '@napi-rs/canvas';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { toHex } from '../../main/chain/hash';
import { errorMessages } from '../../shared/errors';
import { sm3 } from '../../main/crypto/sm3';
import type { Result } from '../../shared/ipc/contract';
import { parsePhone, phoneTail } from '../../shared/phone';
import { artifact, MANIFEST, PASSWORD, scanByKeyboard, seedStation, type FixtureRow } from './flows';
import { expect, ORIGIN, test } from './harness';

const W = 64;
const H = 48;

/** Ten 4:2:0 frames: luma 235 on the left half, 16 on the right, neutral chroma. */
function writeY4m(): string {
  const frame = Buffer.alloc(W * H + 2 * (W / 2) * (H / 2), 128);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) frame[y * W + x] = x < W / 2 ? 235 : 16;
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < 10; i++) parts.push(Buffer.from('FRAME\n'), frame);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pc-camera-')), 'counter.y4m');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${writeY4m()}`,
      // The harness serves the app from a plain http origin; the camera needs a secure one, as app:// is in Electron.
      `--unsafely-treat-insecure-origin-as-secure=${ORIGIN}`,
    ],
  },
});

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

test('the waybill scan at handover takes the photo; a supervisor opens it; purge erases it', async ({ counter }) => {
  const { page } = counter;
  const rows = Papa.parse<FixtureRow>(await readFile(MANIFEST, 'utf8'), { header: true, skipEmptyLines: true }).data.filter((r) => /^1\d{10}$/.test(r.recipient_phone));
  const secrets = await seedStation(counter);
  await ok(counter.call('manifest.import', { fileName: 'manifest-small.csv', bytes: new Uint8Array(await readFile(MANIFEST)) }));
  const tails = new Map<string, number>();
  for (const r of rows) tails.set(phoneTail(parsePhone(r.recipient_phone)!), (tails.get(phoneTail(parsePhone(r.recipient_phone)!)) ?? 0) + 1);
  const [a, b] = rows.filter((r) => tails.get(phoneTail(parsePhone(r.recipient_phone)!)) === 1);
  await ok(counter.call('counter.scanIn', { waybill: a.waybill_no }));
  const lost = await ok(counter.call('counter.scanIn', { waybill: b.waybill_no }));
  await ok(counter.call('photos.settings.update', { mode: 'always', totp: counter.totp(secrets.boss) }));

  await page.keyboard.press('F2');
  await expect(page.locator('[data-camera="on"]')).toHaveText('出库拍照已开启：扫描运单时自动拍摄台面');
  await page.keyboard.type(phoneTail(parsePhone(a.recipient_phone)!));
  await page.keyboard.press('Enter');
  const card = page.locator('.parcel-card').filter({ hasText: a.waybill_no });
  await expect(card).toHaveCount(1);
  await scanByKeyboard(counter, a.waybill_no);
  await expect(card).toContainText('已交付');
  await page.screenshot({ path: await artifact('handover-photo.png'), fullPage: true });

  const [handed] = await ok(counter.call('audit.list', { action: 'counter.handover', limit: 1 }));
  const handoverId = handed.detail.handoverId as number;
  expect(handed.detail.photoFollows).toBe(true);
  // The photo follows the handover's answer, encoded on the worker meanwhile, with its digest in an entry of its own.
  const photoEntry = async () => (await ok(counter.call('audit.list', { action: 'handover.photo', limit: 1 })))[0];
  await expect.poll(photoEntry).toBeDefined();
  const entry = await photoEntry();
  expect(entry.detail).toMatchObject({ handoverId, photoSm3: expect.stringMatching(/^[0-9a-f]{64}$/) });

  // The supervisor opens it for a dispute: the frame the camera saw, and the digest the handover recorded.
  const seen = await ok(counter.call('photos.view', { handoverId, reason: '顾客称未收到，核对出库照片', totp: counter.totp(secrets.boss) }));
  expect(toHex(sm3(seen.photo))).toBe(entry.detail.photoSm3);
  const img = await loadImage(Buffer.from(seen.photo));
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(img.width, img.height);
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const luma = (x: number) => g.getImageData(Math.floor(x * img.width), Math.floor(img.height / 2), 1, 1).data[0];
  expect(luma(0.2)).toBeGreaterThan(180);
  expect(luma(0.8)).toBeLessThan(60);

  // The supervisor's screen shows it only after a reason and the code.
  await page.getByRole('navigation').getByRole('button', { name: '站务' }).click();
  await page.getByRole('button', { name: '出库拍照', exact: true }).click();
  await page.locator('#photo-handover').fill(String(handoverId));
  await page.locator('#photo-reason').fill('顾客来电称未收到');
  await page.getByRole('button', { name: '查看照片' }).click();
  await page.locator('#stepup-code').fill(counter.totp(secrets.boss));
  await page.keyboard.press('Enter');
  const shown = page.getByTestId('handover-photo');
  await expect(shown).toContainText(entry.detail.photoSm3 as string);
  await expect.poll(() => shown.locator('img').evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(img.width);
  const [viewed] = await ok(counter.call('audit.list', { action: 'handover.photo_view', limit: 1 }));
  expect(viewed).toMatchObject({ purpose: '顾客来电称未收到', detail: { handoverId } });
  await page.screenshot({ path: await artifact('handover-photo-view.png'), fullPage: true });

  // A handover whose photo never reached main (its token unused, as when the page closed first): shown as not stored.
  const unphotographed = await ok(counter.call('photos.handOver', { customerParcelId: lost.parcelId, waybill: b.waybill_no }));
  expect(unphotographed.photoToken).toMatch(/^[0-9a-f]{32}$/);
  await page.getByRole('button', { name: '关闭照片' }).click();
  await page.locator('#photo-handover').fill(String(unphotographed.handoverId));
  await page.locator('#photo-reason').fill('顾客来电称未收到');
  await page.getByRole('button', { name: '查看照片' }).click();
  await page.locator('#stepup-code').fill(counter.totp(secrets.boss));
  await page.keyboard.press('Enter');
  await expect(page.getByText(errorMessages.PHOTO_NOT_STORED.zh)).toBeVisible();
  await expect(shown).toHaveCount(0);

  // A copy of the store file shows no run of the photo's bytes.
  const file = await readFile(counter.dbPath);
  for (const at of [100, seen.photo.length >> 1, seen.photo.length - 200]) expect(file.includes(Buffer.from(seen.photo.subarray(at, at + 24)))).toBe(false);

  // Past retention the purge erases it with the parcel's personal data.
  counter.clock.advance(31 * 86_400_000);
  await ok(counter.call('auth.login', { username: 'boss', password: PASSWORD, totp: counter.totp(secrets.boss) }));
  await ok(counter.call('lifecycle.purge', { dryRun: false, totp: counter.totp(secrets.boss) }));
  const gone = await counter.call('photos.view', { handoverId, reason: '顾客称未收到', totp: counter.totp(secrets.boss) });
  expect(gone.ok ? 'shown' : gone.error.code).toBe('PHOTO_ERASED');
});
