// Running a system tool (lp, lpstat, PowerShell) without a shell: arguments
// go as they are, the job on stdin, and a tool that hangs is killed.
import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  input?: Uint8Array;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Resolves with the exit code and output; rejects only when the tool cannot be started (ENOENT). */
export function runTool(command: string, args: readonly string[], { input, env, timeoutMs = 10_000 }: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A tool that exits before reading all of stdin is reported by its exit code, not as EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : undefined);
  });
}
