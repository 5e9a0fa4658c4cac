// Every IPC call is checked for where it came from: only the top-level frame
// of our own bundle may talk to main. A subframe, a page that somehow
// navigated elsewhere, or a destroyed frame (senderFrame null) is refused.
import { originOf } from './app-protocol';

/** The part of Electron's WebFrameMain we need; event.senderFrame fits it as is. */
export interface SenderFrame {
  readonly url: string;
  /** null for the top-level frame. */
  readonly parent: unknown;
}

export function isTrustedSender(frame: SenderFrame | null | undefined, appOrigin: string): boolean {
  if (!frame || frame.parent !== null) return false;
  return originOf(frame.url) === appOrigin;
}
