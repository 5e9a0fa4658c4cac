// The object the preload exposes as window.privacyCounter, built from the
// renderer's ipc handle so it can be tested without Electron. It forwards only
// the contract's channel and event names and never hands the renderer the
// IpcRendererEvent (whose `sender` is ipcRenderer itself).
import { AppError } from '../../shared/errors';
import type { Channel, ChannelInput, ChannelOutput, PreloadApi, Result } from '../../shared/ipc/contract';
import { EVENT_NAMES, IPC_EVENT, IPC_INVOKE, isChannelName, type EventName } from '../../shared/ipc/names';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** The slice of Electron's ipcRenderer used here; ipcRenderer fits it as is. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

export function createPreloadApi(ipc: RendererIpc): PreloadApi {
  return {
    invoke<C extends Channel>(channel: C, input: ChannelInput<C>) {
      if (!isChannelName(channel)) {
        return Promise.resolve({ ok: false, error: new AppError('UNKNOWN_CHANNEL').toData() });
      }
      // Main validates the input and answers with a Result for this channel.
      return ipc.invoke(IPC_INVOKE, channel, input) as Promise<Result<ChannelOutput<C>>>;
    },
    on(event, listener) {
      if (!EVENT_NAMES.includes(event as EventName)) throw new TypeError(`Unknown event: ${String(event)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const forward: IpcListener = (_event, name, payload) => {
        if (name === event) listener(payload as never);
      };
      ipc.on(IPC_EVENT, forward);
      return () => {
        ipc.removeListener(IPC_EVENT, forward);
      };
    },
  };
}
