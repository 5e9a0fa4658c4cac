// CUPS (Linux, macOS): raw jobs and queue states over IPP straight to cupsd
// (ipp.ts; one `lp` process per label cost more than the label), the list of
// queues from `lpstat`. Both speak to the local CUPS server, or to the one
// CUPS_SERVER names; lpstat's output is read in the C locale.
import type { PrinterProblem } from '../../../shared/devices';
import { AppError } from '../../../shared/errors';
import { IPP_ERROR, IPP_NOT_FOUND, IppClient, PRINTER_STOPPED, type IppAnswer } from './ipp';
import { runTool, type ToolResult } from './run-tool';
import type { Spooler } from './spool-transport';

export interface QueueInfo {
  queue: string;
  /** lpstat's word: idle, printing, disabled. */
  state: 'idle' | 'printing' | 'disabled';
}

/** `lpstat -p` lines: "printer Q is idle.  enabled since …", "printer Q now printing Q-3.  …", "printer Q disabled since …". */
export function parseLpstatPrinters(text: string): QueueInfo[] {
  const queues: QueueInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^printer (\S+) (is idle|now printing|disabled)/.exec(line);
    if (m) queues.push({ queue: m[1], state: m[2] === 'is idle' ? 'idle' : m[2] === 'disabled' ? 'disabled' : 'printing' });
  }
  return queues;
}

const ippProblem = (a: IppAnswer): string => `IPP status 0x${a.status.toString(16).padStart(4, '0')}${a.attributes.has('status-message') ? ` ${String(a.attributes.get('status-message'))}` : ''}`;

export class CupsSpooler implements Spooler {
  private readonly env: NodeJS.ProcessEnv;
  private readonly ipp: IppClient;

  /** `env`: extra environment, e.g. CUPS_SERVER for a private server. */
  constructor(env: NodeJS.ProcessEnv = {}) {
    this.env = { ...process.env, ...env, LC_ALL: 'C', LANG: 'C' };
    this.ipp = new IppClient(this.env.CUPS_SERVER);
  }

  /** Every queue; none when CUPS has none or is not installed. */
  async queues(): Promise<QueueInfo[]> {
    const r = await this.lpstat([]);
    return r ? parseLpstatPrinters(r.stdout) : [];
  }

  async state(queue: string): Promise<PrinterProblem[]> {
    let a: IppAnswer;
    try {
      a = await this.ipp.printerState(queue);
    } catch (e) {
      throw new AppError('PRINTER_UNREACHABLE', `cups://${queue}: CUPS is not reachable (${(e as Error).message})`);
    }
    if (a.status === IPP_NOT_FOUND) throw new AppError('PRINTER_UNREACHABLE', `cups://${queue}: no such queue`);
    if (a.status >= IPP_ERROR) throw new AppError('PRINTER_UNREACHABLE', `cups://${queue}: ${ippProblem(a)}`);
    // A stopped queue holds its jobs until someone enables it again: for the counter, the printer is offline.
    return a.attributes.get('printer-state') === PRINTER_STOPPED ? ['offline'] : [];
  }

  async submit(queue: string, job: Uint8Array): Promise<void> {
    let a: IppAnswer;
    try {
      a = await this.ipp.printJob(queue, job, 'privacy-counter label');
    } catch (e) {
      throw new AppError('SPOOLER_FAILED', `cups://${queue}: CUPS is not reachable (${(e as Error).message})`);
    }
    if (a.status >= IPP_ERROR) throw new AppError('SPOOLER_FAILED', `cups://${queue}: ${ippProblem(a)}`);
  }

  /** null when lpstat cannot be run at all. */
  private async lpstat(queues: string[]): Promise<ToolResult | null> {
    try {
      return await runTool('lpstat', ['-p', ...queues], { env: this.env });
    } catch {
      return null;
    }
  }
}
