// Runs the real renderer bundle (dist/renderer) in Chromium against the real
// main-process services (router, SQLite, SM4) in this Node process, without
// Electron: pages are served from disk by request interception, and a stand-in
// for the preload bridge forwards calls through page.exposeFunction.
// Main runs on a test clock that moves only when a test says so, so idle
// locks happen exactly when a test advances it past the limit.
import { test as base, type Page } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../shared/ipc/contract';
import { createStationApp, type StationApp } from '../../main/app/station-app';
import { base32Decode, totp, TOTP_STEP_SECONDS } from '../../main/auth/totp';
import { Connections } from '../../main/devices/connections';
import { SerialScannerBackend } from '../../main/devices/connections/serial-scanner';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { VirtualTcpPrinter } from '../../main/devices/virtual/tcp-printer';
import { VirtualPrinter } from '../../main/devices/virtual/virtual-printer';
import { VirtualScanner } from '../../main/devices/virtual/virtual-scanner';
import { VirtualSerial } from '../../main/devices/virtual/virtual-serial';
import { SECURITY_HEADERS } from '../../main/security/csp';
import type { RequestContext } from '../../main/ipc/router';
import { TEST_HASH } from '../helpers/app';

export const repoRoot = path.resolve(__dirname, '../..');
export const ORIGIN = 'http://privacy-counter.local';
const rendererDir = path.join(repoRoot, 'dist/renderer');
// Cheap scrypt so each test's unlock takes milliseconds; the algorithm is the real one.
const KDF_COST = { N: 1024, r: 8, p: 1 };
// A weekday morning in station time: inside opening hours, so the anomaly rules stay quiet.
const START = '2026-11-25T09:00:00+08:00';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export interface Counter {
  page: Page;
  app: StationApp;
  /** The store file main has open (for tests that damage it behind the app's back). */
  dbPath: string;
  /** The HID POS scanner and label printer main sees (virtual devices); choose them through devices.choose first. */
  scanner: VirtualScanner;
  printer: VirtualPrinter;
  /** A network label printer (TSPL) on the loopback, listening; choose it by its URI. */
  networkPrinter: VirtualTcpPrinter;
  /** Serial ports, one a scanner in virtual COM mode; choose it as serial://1eab:1d06/NL1. */
  serial: VirtualSerial;
  /** Main's clock. */
  clock: { now: Date; advance(ms: number): void };
  /**
   * The authenticator code for a base32 secret (spaces allowed, as shown for
   * manual entry). Moves the clock on one 30 s step first, so no two codes
   * are the same step and none is refused as a replay.
   */
  totp(secret: string): string;
  /** A call straight to main's router, as the page's bridge makes it. */
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  /** Requests for anything but the app's own files; all were refused. */
  foreignRequests: string[];
  /** Each UI language the page asked main to keep for the next start. */
  languages: string[];
  /** Every console line and uncaught error the page produced. */
  consoleLines: string[];
  pageErrors: string[];
}

/** The page's side: what the Electron preload would expose, plus the event inlet. */
function installBridge() {
  type Listener = (payload: unknown) => void;
  const w = window as unknown as {
    __pcInvoke(channel: unknown, input: unknown): Promise<unknown>;
  };
  const listeners = new Map<string, Set<Listener>>();

  // exposeFunction passes JSON: bytes travel as base64 and are rebuilt in Node.
  const toBase64 = (bytes: Uint8Array): string => {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const encode = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return { __bytes: toBase64(v) };
    if (Array.isArray(v)) return v.map(encode);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    return v;
  };

  Object.defineProperty(window, '__pcEmit', {
    value: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
  });
  Object.defineProperty(window, 'privacyCounter', {
    enumerable: true,
    value: Object.freeze({
      invoke: (channel: unknown, input: unknown) => w.__pcInvoke(channel, encode(input)),
      on: (event: string, listener: Listener) => {
        const set = listeners.get(event) ?? new Set<Listener>();
        listeners.set(event, set);
        set.add(listener);
        return () => void set.delete(listener);
      },
    }),
  });
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.__bytes === 'string') return new Uint8Array(Buffer.from(o.__bytes, 'base64'));
    return Object.fromEntries(keys.map((k) => [k, decode(o[k])]));
  }
  return v;
}

async function serveRenderer(page: Page, foreignRequests: string[]): Promise<void> {
  // Registered first, so the app route below wins for its own origin.
  await page.route('**/*', (route) => {
    foreignRequests.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return route.fulfill({ status: 403 });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return route.fulfill({ status: 404 });
    }
    return route.fulfill({
      status: 200,
      body,
      // The headers the app's protocol handler sets, so the page runs under the app's CSP header as well as its meta tag.
      headers: { ...SECURITY_HEADERS, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' },
    });
  });
}

export interface LaunchOptions {
  /** A station store built beforehand (the scan-to-screen bench's); by default a fresh one in a temp directory. */
  dbPath?: string;
  /** This counter PC's name; two counters on one server store need two. */
  workstation?: string;
}

/**
 * Main's services in this process and the renderer in `page`, joined as the
 * preload would join them. For the test fixture below, and for anything that
 * drives the real UI outside the test runner (the scan-to-screen bench).
 */
export async function launchCounter(page: Page, opts: LaunchOptions = {}): Promise<Counter & { close(): Promise<void> }> {
  const dir = opts.dbPath ? null : await mkdtemp(path.join(os.tmpdir(), 'privacy-counter-e2e-'));
  const clock = {
    now: new Date(START),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const dbPath = opts.dbPath ?? path.join(dir as string, 'station.db');
  // Electron delivers events sent during a call before the call's reply;
  // awaiting the pending emits before replying keeps that order here.
  const pendingEmits = new Set<Promise<void>>();
  const emit = (event: string, payload: unknown): void => {
    const sent = page
      .evaluate(([e, p]) => (window as unknown as { __pcEmit(e: string, p: unknown): void }).__pcEmit(e, p), [event, payload] as const)
      .catch(() => {}) // the page may have gone away mid-call
      .finally(() => pendingEmits.delete(sent));
    pendingEmits.add(sent);
  };
  const ctx: RequestContext = { emit };
  const languages: string[] = [];
  const scanner = new VirtualScanner();
  const printer = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
  const networkPrinter = new VirtualTcpPrinter('tspl');
  await networkPrinter.listen();
  const serial = new VirtualSerial();
  const app = createStationApp({
    dbPath,
    kdfCost: KDF_COST,
    hashCost: TEST_HASH,
    workstation: opts.workstation ?? 'e2e-counter',
    now: () => clock.now,
    hidBackend: new VirtualHidBackend(scanner, printer),
    // Network printers need no backend of their own; USB and OS queues are not offered here.
    connections: new Connections({ serial: new SerialScannerBackend(async () => serial) }),
    // Device status, HID scans and print jobs, pushed without a request.
    emit,
    onLanguage: (lang) => languages.push(lang),
  });
  const counter: Counter = {
    page,
    app,
    dbPath,
    clock,
    scanner,
    printer,
    networkPrinter,
    serial,
    totp(secret) {
      clock.advance(TOTP_STEP_SECONDS * 1000);
      return totp(base32Decode(secret), clock.now);
    },
    call: <C extends ChannelName>(channel: C, input: ChannelInput<C>) =>
      app.router.handle(channel, input, ctx) as Promise<Result<ChannelOutput<C>>>,
    foreignRequests: [],
    languages,
    consoleLines: [],
    pageErrors: [],
  };
  page.on('console', (m) => counter.consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => counter.pageErrors.push(e.message));

  await page.exposeFunction('__pcInvoke', async (channel: unknown, input: unknown) => {
    const result = await app.router.handle(channel, decode(input), ctx);
    await Promise.all(pendingEmits);
    return result;
  });
  // Under tsx (the bench's loader) functions carry esbuild's __name() calls; the page needs it too.
  await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await page.addInitScript(installBridge);
  // Every CSP violation becomes a console error, which expectCleanConsole refuses.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' from ' + e.sourceFile + ':' + e.lineNumber));",
  });
  await serveRenderer(page, counter.foreignRequests);
  await page.goto(`${ORIGIN}/index.html`);

  return {
    ...counter,
    async close() {
      await app.close();
      await networkPrinter.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ counter: Counter }>({
  counter: async ({ page }, use) => {
    const counter = await launchCounter(page);
    await use(counter);
    await counter.close();
  },
});

export { expect } from '@playwright/test';
