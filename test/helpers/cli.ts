// Runs the real CLI (`npm run cli` = tsx main/cli/index.ts) in a child process.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { AuditLog } from '../../main/audit/audit-log';
import { unlockWithPassphrase } from '../../main/store/station';
import type { AuditEntry } from '../../shared/ipc/contract';

const ROOT = resolve(__dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines. */
  lines: unknown[];
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliResult {
  const r = spawnSync(TSX, ['main/cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, lines };
}

/** What the CLI left in the store's audit log, oldest first: action, parcels and detail of each entry by `cli`. */
export async function cliAuditTrail(db: string, passphrase: string): Promise<Pick<AuditEntry, 'action' | 'parcelIds' | 'detail'>[]> {
  const station = unlockWithPassphrase(db, passphrase);
  try {
    return (await new AuditLog(station).query(station.store, { limit: 5000 }))
      .filter((e) => e.username === 'cli')
      .reverse()
      .map(({ action, parcelIds, detail }) => ({ action, parcelIds, detail }));
  } finally {
    station.close();
  }
}
