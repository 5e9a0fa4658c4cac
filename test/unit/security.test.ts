import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc/contract';
import type { Router } from '../../main/ipc/router';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, originOf, resolveAppAsset } from '../../main/security/app-protocol';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, withSecurityHeaders } from '../../main/security/csp';
import { createIpcGate } from '../../main/security/ipc-gate';
import { denyWindowOpen, isAllowedNavigation } from '../../main/security/navigation';
import { canSealWithOs } from '../../main/security/os-secret-store';
import {
  createDevicePermissionHandler,
  createPermissionCheckHandler,
  createPermissionRequestHandler,
} from '../../main/security/permissions';
import { createPreloadApi, type RendererIpc } from '../../main/preload/api';
import { isTrustedSender } from '../../main/security/sender';
import { createWebPreferences } from '../../main/security/webpreferences';

const directives = (csp: string) =>
  new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources.join(' ')]));

describe('csp', () => {
  it('allows only bundled code and no network', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(Object.fromEntries(d)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'connect-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });

  it('matches the <meta> policy in renderer/index.html (which cannot carry frame-ancestors)', () => {
    const html = readFileSync(path.resolve(__dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'renderer/index.html has no CSP meta tag').toBeDefined();
    const ours = directives(CONTENT_SECURITY_POLICY);
    ours.delete('frame-ancestors');
    const theirs = directives(meta as string);
    theirs.delete('frame-ancestors');
    expect(Object.fromEntries(theirs)).toEqual(Object.fromEntries(ours));
  });

  it('sets the policy on response headers, replacing a looser one in any case', () => {
    const out = withSecurityHeaders({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'X-CONTENT-TYPE-OPTIONS': ['sniff'],
      'Content-Type': ['text/html'],
    });
    expect(out).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'X-Content-Type-Options': ['nosniff'],
    });
    expect(withSecurityHeaders(undefined)).toEqual(
      Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [k, [v]])),
    );
  });
});

describe('app protocol', () => {
  const root = path.resolve('/opt/pc/dist/renderer');

  it('is a standard, secure scheme that does not bypass CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_INDEX_URL).toBe(`${APP_ORIGIN}/index.html`);
  });

  it('computes scheme://host origins, refusing credentials and junk', () => {
    expect(originOf('app://bundle/x/y.js?q#h')).toBe('app://bundle');
    expect(originOf('https://example.com:8443/a')).toBe('https://example.com:8443');
    expect(originOf('app://user:pw@bundle/index.html')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });

  it('serves files inside the renderer directory', () => {
    expect(resolveAppAsset('app://bundle/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset('app://bundle/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset('app://bundle/assets/main.js?v=1#x', root)).toBe(path.join(root, 'assets', 'main.js'));
    expect(resolveAppAsset('app://bundle/fonts/%E5%AE%8B.woff2', root)).toBe(path.join(root, 'fonts', '宋.woff2'));
  });

  it.each([
    'app://bundle/..%2f..%2fstation.db',
    'app://bundle/a/..%2F..%2F..%2Fetc%2Fpasswd',
    'app://bundle/..%5c..%5cstation.db',
    'app://bundle/index.html%00.png',
    'app://bundle/index.html::$DATA',
    'app://bundle/C:%2FWindows%2Fwin.ini',
    'app://bundle/%E0%A4%A',
    'app://other/index.html',
    'app://user@bundle/index.html',
    'file:///opt/pc/dist/renderer/index.html',
    'https://bundle/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppAsset(url, root)).toBeNull();
  });
});

describe('navigation', () => {
  it.each([APP_INDEX_URL, `${APP_ORIGIN}/`, `${APP_INDEX_URL}#/lookup`, `${APP_INDEX_URL}?lang=en`])('allows %s', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://localhost:5173/index.html',
    'file:///C:/Users/x/AppData/Roaming/privacy-counter/station.db',
    'file:///opt/pc/dist/renderer/index.html',
    'app://other/index.html',
    `${APP_ORIGIN}/other.html`,
    `${APP_ORIGIN}/assets/main.js`,
    'app://user@bundle/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    '',
    'garbage',
  ])('denies %s', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(false);
  });

  it('denies every window.open, including https links', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  const all = ['media', 'geolocation', 'notifications', 'hid', 'usb', 'serial', 'clipboard-read', 'display-capture', 'openExternal', 'fullscreen', 'unknown'];

  it.each(all)('request handler denies %s (without a video-only request) and reports it', (permission) => {
    const onDenied = vi.fn();
    const callback = vi.fn();
    createPermissionRequestHandler(onDenied)({}, permission, callback, { requestingUrl: APP_INDEX_URL });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    expect(onDenied).toHaveBeenCalledWith({ permission, requestingUrl: APP_INDEX_URL });
  });

  it('grants the camera alone, to the app’s own page: never the microphone, never another origin', () => {
    const grant = (url: string, mediaTypes: string[] | undefined) => {
      const callback = vi.fn();
      createPermissionRequestHandler()({}, 'media', callback, { requestingUrl: url, mediaTypes });
      return callback.mock.calls[0][0] as boolean;
    };
    expect(grant(APP_INDEX_URL, ['video'])).toBe(true);
    expect(grant(APP_INDEX_URL, ['video', 'audio'])).toBe(false);
    expect(grant(APP_INDEX_URL, ['audio'])).toBe(false);
    expect(grant(APP_INDEX_URL, undefined)).toBe(false);
    expect(grant('https://example.com/', ['video'])).toBe(false);
    expect(grant(`${APP_ORIGIN}.evil.example/`, ['video'])).toBe(false);
    const check = createPermissionCheckHandler();
    expect(check(null, 'media', APP_ORIGIN, { mediaType: 'video' })).toBe(true);
    expect(check(null, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(false);
    expect(check(null, 'media', 'https://example.com', { mediaType: 'video' })).toBe(false);
  });

  it('check and device handlers deny everything', () => {
    const check = createPermissionCheckHandler();
    for (const p of all) expect(check(null, p)).toBe(false);
    expect(createDevicePermissionHandler()({ deviceType: 'hid', origin: APP_ORIGIN })).toBe(false);
  });
});

describe('IPC sender', () => {
  it('trusts only the top-level frame of our origin', () => {
    expect(isTrustedSender({ url: APP_INDEX_URL, parent: null }, APP_ORIGIN)).toBe(true);
    expect(isTrustedSender({ url: `${APP_INDEX_URL}#/x`, parent: null }, APP_ORIGIN)).toBe(true);
  });

  it.each([
    ['a subframe of our page', { url: APP_INDEX_URL, parent: {} }],
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['another app:// host', { url: 'app://other/index.html', parent: null }],
    ['an about:blank frame', { url: 'about:blank', parent: null }],
    ['a destroyed frame', null],
    ['no frame', undefined],
  ])('refuses %s', (_what, frame) => {
    expect(isTrustedSender(frame, APP_ORIGIN)).toBe(false);
  });
});

describe('IPC gate', () => {
  const ok = { ok: true, value: 'done' } as const;

  function fakeEvent(url: string, parent: unknown = null) {
    return { senderFrame: { url, parent }, sender: { isDestroyed: vi.fn(() => false), send: vi.fn() } };
  }

  it('refuses untrusted senders without reaching the router', async () => {
    const router: Router = { handle: vi.fn() };
    const res = await createIpcGate(router, APP_ORIGIN)(fakeEvent('https://evil.example/'), 'station.status', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(router.handle).not.toHaveBeenCalled();
  });

  it('passes trusted calls through and sends events back to the caller', async () => {
    const router: Router = {
      handle: vi.fn(async (_c, _i, ctx) => {
        ctx.emit('import.progress', { fileName: 'a.csv', phase: 'done', done: 1, total: 1 });
        return ok;
      }),
    };
    const event = fakeEvent(APP_INDEX_URL);
    expect(await createIpcGate(router, APP_ORIGIN)(event, 'manifest.import', { x: 1 })).toBe(ok);
    expect(router.handle).toHaveBeenCalledWith('manifest.import', { x: 1 }, expect.anything());
    expect(event.sender.send).toHaveBeenCalledWith(IPC_EVENT, 'import.progress', { fileName: 'a.csv', phase: 'done', done: 1, total: 1 });
  });

  it('drops events for a window that has gone', async () => {
    const router: Router = {
      handle: async (_c, _i, ctx) => {
        ctx.emit('import.progress', { fileName: 'a.csv', phase: 'reading', done: 0, total: 1 });
        return ok;
      },
    };
    const event = fakeEvent(APP_INDEX_URL);
    event.sender.isDestroyed.mockReturnValue(true);
    await createIpcGate(router, APP_ORIGIN)(event, 'station.status', {});
    expect(event.sender.send).not.toHaveBeenCalled();
  });
});

describe('preload API', () => {
  function fakeIpc() {
    const listeners = new Set<(event: unknown, ...args: unknown[]) => void>();
    const ipc = {
      invoke: vi.fn(async () => ({ ok: true, value: 'v' })),
      on: vi.fn((_ch: string, l: (event: unknown, ...args: unknown[]) => void) => listeners.add(l)),
      removeListener: vi.fn((_ch: string, l: (event: unknown, ...args: unknown[]) => void) => listeners.delete(l)),
    } satisfies RendererIpc;
    const emit = (...args: unknown[]) => listeners.forEach((l) => l({ sender: 'ipcRenderer' }, ...args));
    return { ipc, listeners, emit };
  }

  it('forwards contract channels over the one invoke channel', async () => {
    const { ipc } = fakeIpc();
    const api = createPreloadApi(ipc);
    await expect(api.invoke('counter.find', { by: 'tail', value: '1234' })).resolves.toEqual({ ok: true, value: 'v' });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'counter.find', { by: 'tail', value: '1234' });
  });

  it.each(['nope', '__proto__', 'toString', 42])('refuses channel %s locally', async (channel) => {
    const { ipc } = fakeIpc();
    const res = await createPreloadApi(ipc).invoke(channel as never, {} as never);
    expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('delivers only the named event, without the IpcRendererEvent, until removed', () => {
    const { ipc, listeners, emit } = fakeIpc();
    const listener = vi.fn();
    const off = createPreloadApi(ipc).on('import.progress', listener);
    expect(ipc.on).toHaveBeenCalledWith(IPC_EVENT, expect.any(Function));
    emit('other.event', { a: 1 });
    emit('import.progress', { done: 1 });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ done: 1 });
    off();
    expect(listeners.size).toBe(0);
    emit('import.progress', { done: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('refuses unknown events and non-function listeners', () => {
    const api = createPreloadApi(fakeIpc().ipc);
    expect(() => api.on('nope' as never, () => {})).toThrow(TypeError);
    expect(() => api.on('import.progress', 'x' as never)).toThrow(TypeError);
  });
});

describe('webPreferences', () => {
  const prefs = createWebPreferences({ preload: '/opt/pc/dist/main/preload.js', devTools: false });

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['spellcheck', false],
    ['navigateOnDragDrop', false],
    ['webviewTag', false],
    ['safeDialogs', true],
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('uses the given preload and devTools setting, and nothing else', () => {
    expect(prefs.preload).toBe('/opt/pc/dist/main/preload.js');
    expect(prefs.devTools).toBe(false);
    expect(createWebPreferences({ preload: 'p', devTools: true }).devTools).toBe(true);
    expect(Object.keys(prefs)).toHaveLength(14);
  });
});

describe('OS secret store', () => {
  it('seals only with a real OS secret store', () => {
    expect(canSealWithOs({ platform: 'win32', encryptionAvailable: true })).toBe(true);
    expect(canSealWithOs({ platform: 'darwin', encryptionAvailable: true })).toBe(true);
    expect(canSealWithOs({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret' })).toBe(true);
    expect(canSealWithOs({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'kwallet6' })).toBe(true);
    expect(canSealWithOs({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' })).toBe(false);
    expect(canSealWithOs({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })).toBe(false);
    expect(canSealWithOs({ platform: 'linux', encryptionAvailable: true })).toBe(false);
    expect(canSealWithOs({ platform: 'win32', encryptionAvailable: false })).toBe(false);
  });
});

describe('electron fuses', () => {
  /** The `electronFuses:` block of electron-builder.yml, as flag → value. */
  const fuses = (): Record<string, string> => {
    const yml = readFileSync(path.resolve(__dirname, '../../electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?:[ \t]+.*\n|\n)*)/m.exec(yml)?.[1] ?? '';
    return Object.fromEntries([...block.matchAll(/^[ \t]+(\w+):[ \t]*(\S+)/gm)].map((m) => [m[1], m[2]]));
  };

  it('loads the app only from an asar whose embedded hash matches, and gives no way to run other code as the app', () => {
    expect(fuses()).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      onlyLoadAppFromAsar: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      enableCookieEncryption: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });
});
