// Handover with photo, as the clerk waits for it: in the real renderer
// (Chromium, its fake camera playing a 1280×720 clip) against the real main
// services, a customer's card is on screen (pickup code typed), the waybill is
// scanned (keyboard wedge), and the time runs from that scan's Enter keydown
// to the frame showing the card handed over. With the photo, the frame is
// chosen at the scan and encoded on the worker while the handover runs; the
// JPEG follows the handover's answer to main (base64 over the DevTools
// protocol in this harness, dearer than Electron's IPC), where it is sealed
// and stored, so what the clerk waits for shares the machine with that work.
// Baseline, same run and page: the same handover with photos off. Blocks of
// each alternate, so drift in the machine's load falls on both.
import { chromium, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../playwright.config';
import { scanByKeyboard } from '../test/e2e/flows';
import { launchCounter, ORIGIN, repoRoot, type Counter } from '../test/e2e/harness';
import { armEnterToFrame, buildStore, enterToFrame, openShift, summary, timeHandlers, watchEnter, WARM_UP } from './scan-to-screen.bench';
import { cameraScene } from './photo.bench';
import { fmt } from './stats';

const ON_SHELF = 200_000;
const TARGET_ADDED_MS = 50;

/** The photo bench's counter-top scene as a still 4:2:0 clip for the fake camera, so each JPEG is as large as there. */
function writeClip(dir: string): string {
  const { width: W, height: H } = { width: 1280, height: 720 };
  const rgba = cameraScene().getContext('2d').getImageData(0, 0, W, H).data;
  const frame = Buffer.alloc(W * H * 1.5);
  const cb = W * H;
  const cr = cb + (W / 2) * (H / 2);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = (y * W + x) * 4;
      frame[y * W + x] = Math.round(0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2]);
      if (x % 2 || y % 2) continue;
      const c = (y / 2) * (W / 2) + x / 2;
      frame[cb + c] = Math.round(128 - 0.1687 * rgba[p] - 0.3313 * rgba[p + 1] + 0.5 * rgba[p + 2]);
      frame[cr + c] = Math.round(128 + 0.5 * rgba[p] - 0.4187 * rgba[p + 1] - 0.0813 * rgba[p + 2]);
    }
  }
  const parts = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < 3; f++) parts.push(Buffer.from('FRAME\n'), frame);
  const file = join(dir, 'counter.y4m');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

type Mode = 'off' | 'always';

async function withinSeconds<T>(p: Promise<T>, s: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`handover-screen: ${what} not shown within ${s} s`)), s * 1000)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Photos on or off for the station, then 出库 opened afresh so it reads the setting (and opens the camera). */
async function setMode(counter: Counter, secret: string, mode: Mode): Promise<void> {
  const res = await counter.call('photos.settings.update', { mode, totp: counter.totp(secret) });
  if (!res.ok) throw new Error(`handover-screen: photos.settings.update: ${res.error.code}`);
  await counter.page.keyboard.press('F1');
  await counter.page.keyboard.press('F2');
  if (mode === 'always') await counter.page.locator('[data-camera="on"]').waitFor({ timeout: 10_000 });
}

type PhotoWindow = {
  __pcInvoke(channel: unknown, input: unknown): Promise<unknown>;
  __benchEnterAt: number | null;
  __benchPhotos: { afterEnter: number; bytes: number }[];
};

/** Notes, for each photo sent, how long after the scan's Enter it left the page (encoded, after the handover's answer) and its size. */
async function watchPhotos(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as PhotoWindow;
    const invoke = w.__pcInvoke;
    w.__benchPhotos = [];
    w.__pcInvoke = (channel, input) => {
      const photo = channel === 'photos.attach' ? (input as { photo: { __bytes: string } }).photo.__bytes : null;
      if (photo !== null && w.__benchEnterAt !== null) w.__benchPhotos.push({ afterEnter: performance.now() - w.__benchEnterAt, bytes: Math.floor((photo.length * 3) / 4) });
      return invoke(channel, input);
    };
  });
}

const photosSent = (page: Page) => page.evaluate(() => (window as unknown as PhotoWindow).__benchPhotos);

/** One handover: the card by its pickup code (not timed), then the waybill scan → handed over on screen. */
async function handOver(counter: Counter, page: Page, parcel: { waybill: string; code: string }): Promise<number> {
  const input = page.locator('#lookup-input');
  await input.fill(parcel.code);
  await input.press('Enter');
  await page.locator(`.parcel-card[data-waybill="${parcel.waybill}"]`).waitFor();
  await armEnterToFrame(page, 'handed', parcel.waybill);
  await scanByKeyboard(counter, parcel.waybill);
  return withinSeconds(enterToFrame(page), 10, `handover of ${parcel.waybill}`);
}

export async function handoverScreenBench(opts: { quick: boolean }): Promise<void> {
  if (!existsSync(join(repoRoot, 'dist/renderer/index.html'))) throw new Error('handover-screen: build the renderer first (node scripts/build.mjs)');
  const onShelf = opts.quick ? ON_SHELF / 10 : ON_SHELF;
  const perMode = opts.quick ? 40 : 200;
  const block = opts.quick ? 20 : 25;
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-handover-'));
  const launch = config.use?.launchOptions ?? {};
  const browser = await chromium.launch({
    ...launch,
    args: [
      ...(launch.args ?? []),
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${writeClip(dir)}`,
      // The harness serves the app over plain http; the camera needs a secure origin, as app:// is in Electron.
      `--unsafely-treat-insecure-origin-as-secure=${ORIGIN}`,
    ],
  });
  try {
    const dbPath = join(dir, 'station.db');
    const { shelved } = await buildStore(dbPath, onShelf, 10);
    const page = await browser.newPage({ viewport: config.use?.viewport, locale: config.use?.locale });
    await page.addInitScript(watchEnter);
    const counter = await launchCounter(page, { dbPath });
    try {
      const secret = await openShift(counter);
      await watchPhotos(page);
      const handled = timeHandlers(counter);
      const times: Record<Mode, number[]> = { off: [], always: [] };
      let next = 0;
      for (let b = 0; times.off.length < perMode + WARM_UP || times.always.length < perMode + WARM_UP; b++) {
        const mode: Mode = b % 2 === 0 ? 'off' : 'always';
        await setMode(counter, secret, mode);
        for (let i = 0; i < block; i++) times[mode].push(await handOver(counter, page, shelved[next++]));
      }
      // A handover that went without its photo (no frame from the camera, or one never stored) would flatter the figure.
      const photos = handled.get('photos.handOver') ?? [];
      if (photos.length !== times.always.length) throw new Error(`handover-screen: ${photos.length} photo handovers for ${times.always.length} with photos on`);
      const stored = () => (handled.get('photos.attach') ?? []).length;
      for (let waited = 0; stored() < photos.length && waited < 100; waited++) await new Promise((r) => setTimeout(r, 100));
      if (stored() !== photos.length) throw new Error(`handover-screen: ${stored()} photos stored for ${photos.length} photo handovers`);

      const sent = await photosSent(page);
      const grab = summary(sent.map((s) => s.afterEnter));
      const kb = summary(sent.map((s) => s.bytes / 1024));
      const off = summary(times.off);
      const on = summary(times.always);
      const main = (channel: string) => summary(handled.get(channel) ?? []);
      const added = on.p95 - off.p95;
      console.log(`load average ${fmt(loadavg()[0], 1)}; ${onShelf} parcels on the shelves; ${perMode} handovers each way after ${WARM_UP} warm-up, in alternating blocks of ${block}`);
      console.log(
        `handover, waybill scan → handed over on screen: with photo p50 ${fmt(on.p50)} ms, p95 ${fmt(on.p95)} ms; ` +
          `without p50 ${fmt(off.p50)} ms, p95 ${fmt(off.p95)} ms; the photo adds ${fmt(added)} ms at p95 ` +
          `(${fmt(on.p95 / off.p95, 2)}× without at p95, ${fmt(on.p50 / off.p50, 2)}× at p50; the photo, encoded on the worker, left the page p50 ${fmt(grab.p50)} ms, p95 ${fmt(grab.p95)} ms after the scan's Enter, ` +
          `JPEG p50 ${fmt(kb.p50)} KB; main's handlers alone: photos.handOver p95 ${fmt(main('photos.handOver').p95)} ms, counter.handOver p95 ${fmt(main('counter.handOver').p95)} ms, ` +
          `photos.attach (seal, store, audit) p95 ${fmt(main('photos.attach').p95)} ms) ` +
          `target < ${TARGET_ADDED_MS} ms: ${added < TARGET_ADDED_MS ? 'met' : 'MISSED'}`,
      );
      const errors = counter.pageErrors.concat(counter.consoleLines.filter((l) => l.startsWith('error:') && !l.includes("'frame-ancestors'")));
      if (errors.length) throw new Error(`handover-screen: the page reported errors: ${errors.join('; ')}`);
    } finally {
      await counter.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
