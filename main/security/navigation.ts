// Navigation policy: the window only ever shows our own index page. Links to
// the web are not opened anywhere, not even in the system browser: this runs
// on a counter PC, and a click must never leave the app.
import { originOf } from './app-protocol';

/** For will-navigate / will-frame-navigate: true only for our index page. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  if (originOf(url) !== appOrigin) return false;
  const { pathname } = new URL(url);
  return pathname === '/' || pathname === '/index.html';
}

/** For webContents.setWindowOpenHandler: no new windows, ever. */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}
