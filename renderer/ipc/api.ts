// The renderer's only door to main: a typed wrapper over the preload bridge.
// Failures come back as bilingual AppErrorData, never as thrown exceptions,
// and nothing here logs: arguments and results may hold personal data.
import { errorMessages, type AppErrorData, type ErrorCode } from '../../shared/errors';
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayloads,
  PreloadApi,
  Result,
} from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Installed by the preload; absent if the page is opened outside the app. */
    privacyCounter?: PreloadApi;
  }
}

function failure(code: ErrorCode, detail: string): { ok: false; error: AppErrorData } {
  return { ok: false, error: { code, message: errorMessages[code], detail } };
}

export const hasBridge = (): boolean => window.privacyCounter !== undefined;

export async function invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  const bridge = window.privacyCounter;
  if (!bridge) return failure('INTERNAL', 'preload bridge missing');
  try {
    return await bridge.invoke(channel, input);
  } catch {
    return failure('INTERNAL', `${channel}: bridge call failed`);
  }
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  const bridge = window.privacyCounter;
  return bridge ? bridge.on(event, listener) : () => {};
}
