// Finding a worker thread's script. The bundled app ships each worker as a
// file beside its main bundle (dist/main/<built>); from TypeScript sources
// (tests, bench, CLI under tsx) the worker registers tsx itself. With neither,
// the caller does the work on its own thread.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface WorkerScript {
  code: string;
  eval: boolean;
}

/**
 * @param dir the caller's __dirname (source folder, or dist/main when bundled)
 * @param built the bundled worker's file name
 * @param source the worker's TypeScript file name beside the caller
 */
export function resolveWorkerScript(dir: string, built: string, source: string): WorkerScript | null {
  const bundled = join(dir, built);
  if (existsSync(bundled)) return { code: bundled, eval: false };
  const ts = join(dir, source);
  if (!existsSync(ts)) return null;
  try {
    const tsx = createRequire(ts).resolve('tsx/cjs');
    return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`, eval: true };
  } catch {
    return null;
  }
}

/** resolveWorkerScript, looked up once on first use (the answer cannot change while running). */
export function lazyWorkerScript(dir: string, built: string, source: string): () => WorkerScript | null {
  let cached: WorkerScript | null | undefined;
  return () => {
    if (cached === undefined) cached = resolveWorkerScript(dir, built, source);
    return cached;
  };
}
