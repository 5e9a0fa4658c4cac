// Paths on the command line mean what they mean in the caller's shell. Under
// `npm run cli` the process starts in the package root, and npm passes the
// directory the command was typed in as INIT_CWD; run any other way (node,
// tsx, a child process of a test), the process's own directory is the caller's.
import { resolve } from 'node:path';

/** Flags that name files, whichever command takes them. */
export const PATH_FLAGS: ReadonlySet<string> = new Set(['db', 'out', 'in', 'waybills', 'sig', 'against', 'key', 'scans']);

export function callerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event === 'cli' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

export const fromCaller = (path: string): string => resolve(callerDir(), path);
