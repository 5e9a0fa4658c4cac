// One job straight to a printer, not through the queue: the admin CLI's
// `print`. The printer is asked first, so a label is not sent into paper-out;
// the connection is closed (a socket drained) before it returns.
import { holdsQueue, type PrinterLanguage } from '../../shared/devices';
import { AppError } from '../../shared/errors';
import type { Connection } from './connections';
import { PrinterLink } from './printer-link';
import { systemTimers } from '../time/timers';

/** ready: the printer said so; unknown: it does not answer status requests (it printed all the same). */
export type SentStatus = 'ready' | 'unknown';

const STATUS_TIMEOUT_MS = 500;

export async function sendOnce({ transport, channel }: Connection, language: PrinterLanguage, job: Uint8Array): Promise<SentStatus> {
  await transport.open();
  try {
    const link = new PrinterLink(channel, language, systemTimers, STATUS_TIMEOUT_MS);
    const problems = await link.status();
    if (problems?.some(holdsQueue)) throw new AppError('PRINTER_NOT_READY', problems.filter(holdsQueue).join(', '));
    await link.send(job, 0, () => {});
    return problems ? 'ready' : 'unknown';
  } finally {
    await transport.close();
  }
}
