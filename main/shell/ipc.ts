// The one ipcMain handler: every renderer call goes through the sender gate
// and the router; nothing else is registered on ipcMain.
import { ipcMain } from 'electron';
import { IPC_INVOKE } from '../../shared/ipc/contract';
import type { Router } from '../ipc/router';
import { APP_ORIGIN } from '../security/app-protocol';
import { createIpcGate } from '../security/ipc-gate';

export function installIpc(router: Router): void {
  ipcMain.handle(IPC_INVOKE, createIpcGate(router, APP_ORIGIN));
}
