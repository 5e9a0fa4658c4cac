// The renderer is served from a privileged custom scheme (app://bundle/…)
// rather than file://, as Electron's security checklist recommends: a file://
// page shares one origin with every file on the disk, while app://bundle is a
// real origin of its own, so CSP 'self', the navigation guard and the IPC
// sender check all mean "our bundle and nothing else", and the handler below
// can serve only the built renderer directory.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://bundle`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged (before app ready). standard gives
 * the scheme a real origin and relative URLs; secure makes it a secure context;
 * fetch/CORS support lets Chromium load `<script type="module">` from it.
 * bypassCSP stays off so our CSP applies.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } as const;

/**
 * `scheme://host` of a URL, or null if it does not parse or carries
 * credentials. Built by hand because WHATWG URL reports the origin of a
 * non-special scheme such as app: as the string "null".
 */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.username || u.password) return null;
  return `${u.protocol}//${u.host}`;
}

/**
 * Maps an app:// request to a file inside rootDir, or null when the URL is
 * not ours or would escape rootDir (encoded `..`, absolute paths). NUL,
 * backslash and colon are refused outright: no asset name has them, and on
 * Windows they mean a path separator, a drive or an NTFS stream.
 */
export function resolveAppAsset(url: string, rootDir: string): string | null {
  if (originOf(url) !== APP_ORIGIN) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (/[\0\\:]/.test(rel)) return null;
  if (rel === '/') rel = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${rel}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return null;
  return file;
}
