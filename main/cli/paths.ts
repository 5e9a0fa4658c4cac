// Paths on the command line mean what they mean in the caller's shell. Under
// `npm run cli` the process starts in the package root, and npm passes the
// directory the command was typed in as INIT_CWD; run any other way (node,
// tsx, a child process of a test), the process's own directory is the caller's.
import { resolve } from 'node:path';
import { isServerUrl } from '../store/engine/open-store';

/** Flags that name files, whichever command takes them. */
export const PATH_FLAGS: ReadonlySet<string> = new Set(['db', 'out', 'in', 'waybills', 'sig', 'against', 'key', 'scans']);

export function callerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event === 'cli' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** A station server's URL (`--db postgres://…`) is not a path and stays as it is. */
export const fromCaller = (path: string): string => (isServerUrl(path) ? path : resolve(callerDir(), path));
