// Electron entry (bundled to dist/main/main.js). Thin: policies live in
// main/security, the station itself in main/app.
import path from 'node:path';
import { app, dialog, protocol, session, type BrowserWindow } from 'electron';
import { createStationApp, type StationApp } from '../app/station-app';
import { systemConnections } from '../devices/connections';
import { loadNodeHidBackend } from '../devices/node-hid-backend';
import { IPC_EVENT } from '../../shared/ipc/contract';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from '../security/app-protocol';
import { SQLITE_BINDING_ENV } from '../store/sqlite-binding';
import { installIpc } from './ipc';
import { installSecurity } from './install-security';
import { createSafeStorageProtector } from './safe-storage-protector';
import { chromiumLocale, readUiLanguage, writeUiLanguage } from './ui-language';
import { createMainWindow } from './window';

// An installed app loads only the better-sqlite3 it was packaged with; the
// variable is for `npm start` (scripts/start-electron.mjs).
if (app.isPackaged) delete process.env[SQLITE_BINDING_ENV];

// Both must happen before app ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
// The window's locale follows the language last chosen in the app (date inputs, AM/PM); a switch applies from the next start.
const uiLanguageFile = path.join(app.getPath('userData'), 'ui-language');
app.commandLine.appendSwitch('lang', chromiumLocale(readUiLanguage(uiLanguageFile)));

// One instance per OS user: two processes must never open the same store.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let station: StationApp | undefined;
  let win: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app
    .whenReady()
    .then(async () => {
      // This file runs from dist/main/; the renderer is built to dist/renderer/.
      installSecurity(session.defaultSession, path.join(__dirname, '..', 'renderer'));
      const hidBackend = await loadNodeHidBackend();
      station = createStationApp({
        // `--db=postgres://…` runs this counter on the station's server; the default is its own file.
        dbPath: app.commandLine.getSwitchValue('db') || path.join(app.getPath('userData'), 'station.db'),
        keyProtector: createSafeStorageProtector(),
        // Never rejects: without libusb/hidraw the device layer reports the error in the UI.
        hidBackend,
        connections: systemConnections(hidBackend),
        // Device status, HID POS scans and print progress go to the counter window.
        emit: (event, payload) => {
          if (win && !win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
        },
        warn: (message) => console.warn('[devices]', message),
        onLanguage: (lang) => writeUiLanguage(uiLanguageFile, lang),
        chooseFolder: async () => {
          const options = { properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
          const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
          return r.canceled ? null : (r.filePaths[0] ?? null);
        },
        onInternalError: (e) => console.error('[station] internal error', e),
      });
      await station.tryAutoUnlock();
      installIpc(station.router);
      win = createMainWindow({ preload: path.join(__dirname, 'preload.js'), devTools: !app.isPackaged });
      win.on('closed', () => {
        win = null;
      });
    })
    .catch((e: unknown) => {
      dialog.showErrorBox('隐私驿站无法启动 / Privacy Counter failed to start', e instanceof Error ? e.message : String(e));
      app.exit(1);
    });

  // A counter app has nothing to do without its window, on macOS too.
  app.on('window-all-closed', () => app.quit());
  // Devices and the store close cleanly (print queue, WAL checkpoint) before the process ends.
  app.on('will-quit', (event) => {
    const closing = station;
    if (!closing) return;
    station = undefined;
    event.preventDefault();
    void closing.close().finally(() => app.quit());
  });
}
