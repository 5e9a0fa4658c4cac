// The main-side IPC entry: refuse calls from any frame but our own top-level
// page, then hand the call to the router with an emit that answers the caller.
// Pure so it can be tested without Electron; main/shell/ipc.ts registers it.
import { AppError } from '../../shared/errors';
import { IPC_EVENT, type Result } from '../../shared/ipc/contract';
import type { Router } from '../ipc/router';
import { isTrustedSender, type SenderFrame } from './sender';

/** The slice of Electron's IpcMainInvokeEvent used here. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
  readonly sender: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void };
}

export function createIpcGate(router: Router, appOrigin: string) {
  return (event: InvokeEvent, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event.senderFrame, appOrigin)) {
      return Promise.resolve({ ok: false, error: new AppError('FORBIDDEN_SENDER').toData() });
    }
    const { sender } = event;
    return router.handle(channel, input, {
      emit(name, payload) {
        // The window may close mid-import; progress for it is simply dropped.
        if (!sender.isDestroyed()) sender.send(IPC_EVENT, name, payload);
      },
    });
  };
}
