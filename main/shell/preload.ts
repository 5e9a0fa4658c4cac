// Runs sandboxed in the renderer. Exposes only the contract-bound API, never
// ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from '../preload/api';

contextBridge.exposeInMainWorld('privacyCounter', createPreloadApi(ipcRenderer));
