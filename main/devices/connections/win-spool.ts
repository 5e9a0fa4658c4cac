// The Windows print spooler: a RAW job through winspool.drv (OpenPrinter,
// StartDocPrinter with datatype RAW, WritePrinter), and queue states from
// Get-Printer. No npm package for this is kept up (the native ones are
// unmaintained and would need a build per Electron ABI), so the bridge is
// Windows PowerShell, present on every Windows 10/11 PC: a few lines of C#
// compiled by Add-Type and run through child_process. The printer name
// travels in an environment variable and the job as base64 on stdin, so
// neither is ever parsed as PowerShell. Untested on a real spooler: only the
// command it builds and the parsing of its output are tested (see README).
import type { PrinterProblem } from '../../../shared/devices';
import { AppError } from '../../../shared/errors';
import { runTool, type ToolResult } from './run-tool';
import type { Spooler } from './spool-transport';

export const POWERSHELL = 'powershell.exe';
export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command'] as const;
/** The variable that carries the printer's name into the script. */
export const PRINTER_ENV = 'PRIVACY_COUNTER_PRINTER';

const RAW_PRINTER = `
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class PcRawPrinter {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DocInfo { public string pDocName; public string pOutputFile; public string pDatatype; }
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool OpenPrinter(string name, out IntPtr h, IntPtr d);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr h);
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] static extern int StartDocPrinter(IntPtr h, int level, [In] DocInfo di);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool WritePrinter(IntPtr h, byte[] buf, int count, out int written);
  public static string Send(string printer, byte[] data) {
    IntPtr h;
    if (!OpenPrinter(printer, out h, IntPtr.Zero)) return "{\\"ok\\":false,\\"step\\":\\"OpenPrinter\\",\\"win32\\":" + Marshal.GetLastWin32Error() + "}";
    try {
      int job = StartDocPrinter(h, 1, new DocInfo { pDocName = "privacy-counter label", pDatatype = "RAW" });
      if (job == 0) return "{\\"ok\\":false,\\"step\\":\\"StartDocPrinter\\",\\"win32\\":" + Marshal.GetLastWin32Error() + "}";
      int written = 0;
      bool ok = StartPagePrinter(h) && WritePrinter(h, data, data.Length, out written);
      int err = ok ? 0 : Marshal.GetLastWin32Error();
      EndPagePrinter(h);
      EndDocPrinter(h);
      if (!ok) return "{\\"ok\\":false,\\"step\\":\\"WritePrinter\\",\\"win32\\":" + err + "}";
      return "{\\"ok\\":true,\\"job\\":" + job + ",\\"written\\":" + written + "}";
    } finally { ClosePrinter(h); }
  }
}
'@
$data = [Convert]::FromBase64String([Console]::In.ReadToEnd())
[Console]::Out.WriteLine([PcRawPrinter]::Send($env:${PRINTER_ENV}, $data))
`;

// PrinterStatus as a word; @() keeps one printer a list in the JSON.
const LIST = `ConvertTo-Json -Compress -InputObject @(Get-Printer | ForEach-Object { @{ name = $_.Name; driver = $_.DriverName; port = $_.PortName; status = "$($_.PrinterStatus)" } })`;
const STATE = `$p = Get-Printer -Name $env:${PRINTER_ENV} -ErrorAction SilentlyContinue; if ($p) { ConvertTo-Json -Compress -InputObject @{ name = $p.Name; status = "$($p.PrinterStatus)" } } else { '{}' }`;

export interface WinPrinter {
  name: string;
  driver?: string;
  port?: string;
  status: string;
}

export interface PowerShellCall {
  command: string;
  args: string[];
  env: Record<string, string>;
  input?: Uint8Array;
}

/** The PowerShell call that hands `job` to `printer`'s queue as one RAW document. */
export const rawJobCall = (printer: string, job: Uint8Array): PowerShellCall => ({
  command: POWERSHELL,
  args: [...POWERSHELL_ARGS, RAW_PRINTER],
  env: { [PRINTER_ENV]: printer },
  input: new TextEncoder().encode(Buffer.from(job.buffer, job.byteOffset, job.byteLength).toString('base64')),
});

export const stateCall = (printer: string): PowerShellCall => ({ command: POWERSHELL, args: [...POWERSHELL_ARGS, STATE], env: { [PRINTER_ENV]: printer } });
export const listCall = (): PowerShellCall => ({ command: POWERSHELL, args: [...POWERSHELL_ARGS, LIST], env: {} });

/** What the bridge printed for a job: nothing thrown when the spooler took every byte. */
export function checkRawJobReply(printer: string, bytes: number, r: ToolResult): void {
  const line = r.stdout.trim().split(/\r?\n/).pop() ?? '';
  let reply: { ok?: boolean; step?: string; win32?: number; written?: number };
  try {
    reply = JSON.parse(line) as typeof reply;
  } catch {
    throw new AppError('SPOOLER_FAILED', `win://${printer}: ${(r.stderr || line).trim().split(/\r?\n/)[0] || `exit ${r.code}`}`);
  }
  if (!reply.ok) throw new AppError('SPOOLER_FAILED', `win://${printer}: ${reply.step} failed (Win32 error ${reply.win32})`);
  if (reply.written !== bytes) throw new AppError('SPOOLER_FAILED', `win://${printer}: ${reply.written} of ${bytes} bytes written`);
}

/** Get-Printer's PrinterStatus words that keep a label from printing. */
const STATUS_PROBLEMS: Readonly<Record<string, PrinterProblem>> = {
  PaperOut: 'paper-out',
  PaperJam: 'paper-jam',
  DoorOpen: 'cover-open',
  Offline: 'offline',
  NotAvailable: 'offline',
  ServerUnknown: 'offline',
  Paused: 'paused',
  Error: 'error',
  PaperProblem: 'error',
  UserIntervention: 'error',
  OutOfMemory: 'error',
};

/** One status word, or several separated by commas ("Paused, PaperOut") as PowerShell prints a flags value. */
export const winStatusProblems = (status: string): PrinterProblem[] => [
  ...new Set(status.split(/,\s*/).flatMap((w) => (STATUS_PROBLEMS[w] ? [STATUS_PROBLEMS[w]] : []))),
];

export function parseWinPrinters(stdout: string): WinPrinter[] {
  const text = stdout.trim();
  if (!text) return [];
  const parsed = JSON.parse(text) as WinPrinter[] | WinPrinter;
  return (Array.isArray(parsed) ? parsed : [parsed]).filter((p) => typeof p.name === 'string');
}

export class WinSpooler implements Spooler {
  constructor(private readonly run: (call: PowerShellCall) => Promise<ToolResult> = runPowerShell) {}

  async printers(): Promise<WinPrinter[]> {
    return parseWinPrinters((await this.run(listCall())).stdout);
  }

  async state(printer: string): Promise<PrinterProblem[]> {
    const [found] = parseWinPrinters((await this.run(stateCall(printer))).stdout);
    if (!found) throw new AppError('PRINTER_UNREACHABLE', `win://${printer}: no such printer`);
    return winStatusProblems(found.status);
  }

  async submit(printer: string, job: Uint8Array): Promise<void> {
    checkRawJobReply(printer, job.length, await this.run(rawJobCall(printer, job)));
  }
}

async function runPowerShell(call: PowerShellCall): Promise<ToolResult> {
  if (process.platform !== 'win32') throw new AppError('PRINTER_CONNECTION_UNSUPPORTED', 'win:// needs Windows');
  try {
    // Compiling the C# takes a second or two the first time in a session.
    return await runTool(call.command, call.args, { env: { ...process.env, ...call.env }, input: call.input, timeoutMs: 30_000 });
  } catch (e) {
    throw new AppError('SPOOLER_FAILED', `PowerShell: ${(e as Error).message}`);
  }
}
