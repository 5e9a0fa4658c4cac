// Runs the real CLI in a child process: the bundle of its sources the test
// run built (test/setup/cli-bundle.ts), else `npm run cli`'s own tsx entry.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { AuditLog } from '../../main/audit/audit-log';
import { openStation } from '../../main/store/station';
import type { AuditEntry } from '../../shared/ipc/contract';

const ROOT = resolve(__dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const BUNDLE = process.env.PC_TEST_CLI_BUNDLE;
const command = (args: string[]): [string, string[]] => (BUNDLE ? [process.execPath, [BUNDLE, ...args]] : [TSX, ['main/cli/index.ts', ...args]]);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines. */
  lines: unknown[];
}

const result = (code: number | null, stdout: string, stderr: string): CliResult => ({
  code: code ?? -1,
  stdout,
  stderr,
  lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown),
});

export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliResult {
  const r = spawnSync(...command(args), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return result(r.status, r.stdout, r.stderr);
}

/** The CLI without blocking this process: for a CLI that talks to a server the test itself runs. */
export function runCliAsync(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(...command(args), { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise(result(code, stdout, stderr)));
  });
}

/** What the CLI left in the store's audit log, oldest first: action, parcels and detail of each entry by `cli`. */
export async function cliAuditTrail(db: string, passphrase: string): Promise<Pick<AuditEntry, 'action' | 'parcelIds' | 'detail'>[]> {
  const station = await openStation(db, passphrase);
  try {
    return (await new AuditLog(station).query(station.store, { limit: 5000 }))
      .filter((e) => e.username === 'cli')
      .reverse()
      .map(({ action, parcelIds, detail }) => ({ action, parcelIds, detail }));
  } finally {
    await station.close();
  }
}
