// Sealing a large import on worker threads, one per core, so the encryption
// runs in parallel and the calling thread (Electron's main process) stays free
// to answer the counter meanwhile. A chunk whose worker failed, and every chunk
// when no worker can start (or the import is small), is sealed on the calling
// thread, which yields between chunks. So workers can only speed an import up.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FieldKeyMaterial, FieldKeys } from '../crypto/keyring';

/** Keys that can also be handed to a worker thread (StationKeys is one). */
export type PoolKeys = FieldKeys & { fieldKeyMaterial(): FieldKeyMaterial };
import type { SealedFields } from '../store/parcels';
import { lazyWorkerScript } from '../workers/worker-script';
import { sealChunk, unpackChunk, type PackedChunk, type SealRow, type SealWorkerData } from './seal-chunk';

export interface SealOptions {
  /** Worker threads; default one per core, at most 4. 0 seals on the calling thread. */
  workers?: number;
  chunkSize?: number;
  /** Rows sealed so far, after each chunk. */
  onProgress?: (done: number) => void;
}

export interface SealedRows {
  fields: SealedFields[];
  /** How many of them worker threads sealed (for the bench and tests). */
  byWorkers: number;
}

const DEFAULT_CHUNK = 2000;
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const defaultSealWorkers = (): number => Math.min(4, availableParallelism());

export async function sealRows(keys: PoolKeys, rows: readonly SealRow[], opts: SealOptions = {}): Promise<SealedRows> {
  const size = opts.chunkSize ?? DEFAULT_CHUNK;
  const count = Math.ceil(rows.length / size);
  const chunk = (k: number): readonly SealRow[] => rows.slice(k * size, (k + 1) * size);
  const results: (SealedFields[] | undefined)[] = new Array(count);
  let sealed = 0;
  let byWorkers = 0;
  const settle = (k: number, fields: SealedFields[]): boolean => {
    if (results[k]) return false;
    results[k] = fields;
    sealed += fields.length;
    opts.onProgress?.(sealed);
    return true;
  };

  let next = 0;
  /** Live workers, with the chunk each is sealing (undefined while starting or idle). */
  const live = new Map<Worker, number | undefined>();
  let wake: () => void = () => {};
  const changed = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const give = (w: Worker): void => {
    const k = next < count ? next++ : undefined;
    live.set(w, k);
    if (k !== undefined) w.postMessage({ index: k, rows: chunk(k) });
  };
  const wanted = count > 1 ? Math.min(opts.workers ?? defaultSealWorkers(), count) : 0;
  const pool = startWorkers(keys, wanted, {
    started: (w) => live.set(w, undefined),
    ready: give,
    sealed: (w, packed) => {
      const fields = unpackChunk(packed);
      if (settle(packed.index, fields)) byWorkers += fields.length;
      give(w);
      wake();
    },
    failed: (w) => {
      live.delete(w);
      wake();
    },
  });

  try {
    for (let k = 0; k < count; k++) {
      while (!results[k]) {
        const inFlight = [...live.values()].includes(k);
        // Unclaimed chunks wait for a live worker; a failed worker's chunk does not.
        if (inFlight || (k >= next && live.size > 0)) await changed();
        else {
          next = Math.max(next, k + 1);
          settle(k, sealChunk(keys, chunk(k)));
          await nextTick();
        }
      }
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { fields: results.flat() as SealedFields[], byWorkers };
}

interface PoolEvents {
  started(w: Worker): void;
  ready(w: Worker): void;
  sealed(w: Worker, packed: PackedChunk): void;
  failed(w: Worker): void;
}

function startWorkers(keys: PoolKeys, count: number, on: PoolEvents): Worker[] {
  const script = count > 0 ? workerScript() : null;
  if (!script) return [];
  const data: SealWorkerData = { material: keys.fieldKeyMaterial() };
  const pool = Array.from({ length: count }, () => {
    const w = new Worker(script.code, { eval: script.eval, workerData: data });
    on.started(w);
    w.on('message', (m: PackedChunk | 'ready') => (m === 'ready' ? on.ready(w) : on.sealed(w, m)));
    w.on('error', () => on.failed(w));
    w.on('exit', () => on.failed(w));
    return w;
  });
  // workerData was copied into each thread as it was created.
  for (const key of Object.values(data.material)) if (key instanceof Uint8Array) key.fill(0);
  return pool;
}

const workerScript = lazyWorkerScript(__dirname, 'seal-worker.js', 'seal-worker.ts');

/** Whether sealRows can use worker threads here (for the bench and tests to report). */
export const canSealInParallel = (): boolean => workerScript() !== null;
