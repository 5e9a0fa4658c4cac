// CUPS (Linux, macOS): raw jobs through `lp -o raw`, queue states and the
// list of queues from `lpstat`. The tools speak for the local CUPS server, or
// for the one CUPS_SERVER names; their output is read in the C locale.
import type { PrinterProblem } from '../../../shared/devices';
import { AppError } from '../../../shared/errors';
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

/** A stopped queue holds its jobs until someone enables it again: for the counter, the printer is offline. */
export const queueProblems = (q: QueueInfo): PrinterProblem[] => (q.state === 'disabled' ? ['offline'] : []);

const firstLine = (r: ToolResult): string => (r.stderr || r.stdout).trim().split('\n')[0] ?? '';

export class CupsSpooler implements Spooler {
  private readonly env: NodeJS.ProcessEnv;

  /** `env`: extra environment for lp and lpstat, e.g. CUPS_SERVER for a private server. */
  constructor(env: NodeJS.ProcessEnv = {}) {
    this.env = { ...process.env, ...env, LC_ALL: 'C', LANG: 'C' };
  }

  /** Every queue; none when CUPS has none or is not installed. */
  async queues(): Promise<QueueInfo[]> {
    const r = await this.lpstat([]);
    return r ? parseLpstatPrinters(r.stdout) : [];
  }

  async state(queue: string): Promise<PrinterProblem[]> {
    const r = await this.lpstat([queue]);
    const info = r && parseLpstatPrinters(r.stdout).find((q) => q.queue === queue);
    if (!info) throw new AppError('PRINTER_UNREACHABLE', `cups://${queue}: ${r ? firstLine(r) || 'no such queue' : 'CUPS is not installed'}`);
    return queueProblems(info);
  }

  async submit(queue: string, job: Uint8Array): Promise<void> {
    let r: ToolResult;
    try {
      r = await runTool('lp', ['-d', queue, '-o', 'raw', '-t', 'privacy-counter label', '-'], { input: job, env: this.env });
    } catch (e) {
      throw new AppError('SPOOLER_FAILED', `lp: ${(e as Error).message}`);
    }
    if (r.code !== 0) throw new AppError('SPOOLER_FAILED', `cups://${queue}: ${firstLine(r)}`);
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
