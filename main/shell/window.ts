// The single counter window. Shown on ready-to-show so staff never see a
// blank white frame while the renderer loads.
import { BrowserWindow } from 'electron';
import { APP_INDEX_URL } from '../security/app-protocol';
import { createWebPreferences } from '../security/webpreferences';

export function createMainWindow(opts: { preload: string; devTools: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: '隐私驿站 · 取件台',
    show: false,
    autoHideMenuBar: true,
    webPreferences: createWebPreferences(opts),
  });
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_INDEX_URL).catch((e: unknown) => console.error('[window] failed to load the renderer', e));
  return win;
}
