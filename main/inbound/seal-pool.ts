// Sealing an import's chunks on worker threads, one per core, while the
// calling thread reads the file and writes the chunks sealed before: the
// import awaits each chunk, so the event loop (and the counter) stays free.
//
// Workers can only speed an import up: with none (a small import, no worker
// script, none started in time) the calling thread seals each chunk itself; a
// chunk whose worker stalls or died is sealed by the calling thread.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { FieldKeyMaterial, FieldKeys } from '../crypto/keyring';
import type { SealedFields } from '../store/parcels';
import { lazyWorkerScript } from '../workers/worker-script';
import { sealChunk, unpackChunk, type PackedChunk, type SealRow, type SealWorkerData } from './seal-chunk';

/** Keys that can also be handed to a worker thread (StationKeys is one). */
export type PoolKeys = FieldKeys & { fieldKeyMaterial(): FieldKeyMaterial };

export interface SealOptions {
  /** Worker threads; default one per core, at most 4. 0 seals on the calling thread. */
  workers?: number;
}

/** Rows per chunk: one message to a worker, one write transaction. */
export const SEAL_CHUNK = 2000;
/** How long a worker may take to start (under tsx it compiles the sources first). */
const START_MS = 15_000;
/** A chunk not answered for this long is sealed by the calling thread. */
const STALL_MS = 10_000;

/**
 * A worker holds one chunk at a time: a small young generation keeps its
 * garbage, and so the import's resident memory, from growing with the default's.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

export const defaultSealWorkers = (): number => Math.min(4, availableParallelism());

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

interface OutChunk {
  worker: PoolWorker;
  done: (fields: SealedFields[]) => void;
  sealHere: () => void;
}

export class SealPool {
  /** Chunks out with a worker, by message index. */
  private readonly out = new Map<number, OutChunk>();
  private next = 0;
  /** Rows sealed by worker threads (for the bench and tests). */
  byWorkers = 0;

  private constructor(
    private readonly keys: PoolKeys,
    private readonly workers: PoolWorker[],
  ) {
    for (const w of workers) {
      w.port.on('message', (packed: PackedChunk) => {
        // An answer for a chunk already sealed here (its worker had stalled) is dropped.
        const chunk = this.out.get(packed.index);
        if (chunk?.worker === w) chunk.done(unpackChunk(packed));
      });
      // A worker that fails later must not crash the app: its chunks are sealed here.
      w.worker.on('error', () => undefined);
      w.worker.on('exit', () => this.retire(w));
    }
  }

  /** Starts the workers (when `rows` are more than one chunk and the script exists) and waits until they are ready. */
  static async start(keys: PoolKeys, rows: number, opts: SealOptions = {}): Promise<SealPool> {
    const chunks = Math.ceil(rows / SEAL_CHUNK);
    const wanted = chunks > 1 ? Math.min(opts.workers ?? defaultSealWorkers(), chunks) : 0;
    return new SealPool(keys, await startWorkers(keys, wanted));
  }

  get parallel(): boolean {
    return this.workers.length > 0;
  }

  /** The rows' sealed fields, from the next worker in turn, or sealed here without workers. */
  seal(rows: readonly SealRow[]): Promise<SealedFields[]> {
    if (this.workers.length === 0) return Promise.resolve(sealChunk(this.keys, rows));
    const index = this.next++;
    const worker = this.workers[index % this.workers.length];
    return new Promise((resolve) => {
      const settle = (fields: SealedFields[]): void => {
        clearTimeout(timer);
        this.out.delete(index);
        resolve(fields);
      };
      const sealHere = (): void => settle(sealChunk(this.keys, rows));
      const timer = setTimeout(sealHere, STALL_MS);
      this.out.set(index, {
        worker,
        done: (fields) => {
          this.byWorkers += fields.length;
          settle(fields);
        },
        sealHere,
      });
      worker.worker.postMessage({ index, rows });
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) w.port.close();
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  /** A worker that exited: no more chunks for it, and the ones it had are sealed here. */
  private retire(w: PoolWorker): void {
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    for (const chunk of [...this.out.values()]) if (chunk.worker === w) chunk.sealHere();
  }
}

/** Workers that said they were ready within START_MS; the others are stopped. */
async function startWorkers(keys: PoolKeys, count: number): Promise<PoolWorker[]> {
  const script = count > 0 ? workerScript() : null;
  if (!script) return [];
  const material = keys.fieldKeyMaterial();
  const starting = Array.from({ length: count }, () => {
    const { port1, port2 } = new MessageChannel();
    const data: SealWorkerData = { material, port: port2 };
    const worker = new Worker(script.code, { eval: script.eval, workerData: data, transferList: [port2], resourceLimits: WORKER_LIMITS });
    const ready = new Promise<boolean>((resolve) => {
      const settle = (ok: boolean): void => {
        clearTimeout(timer);
        worker.removeAllListeners();
        resolve(ok);
      };
      const timer = setTimeout(() => settle(false), START_MS);
      worker.once('message', () => settle(true));
      worker.once('error', () => settle(false));
      worker.once('exit', () => settle(false));
    });
    return { worker, port: port1, ready };
  });
  // workerData was copied into each thread as it was created.
  for (const key of Object.values(material)) if (key instanceof Uint8Array) key.fill(0);
  const started: PoolWorker[] = [];
  for (const s of starting) {
    if (await s.ready) started.push({ worker: s.worker, port: s.port });
    else void s.worker.terminate();
  }
  return started;
}

const workerScript = lazyWorkerScript(__dirname, 'seal-worker.js', 'seal-worker.ts');

/** Whether SealPool can use worker threads here (for the bench and tests to report). */
export const canSealInParallel = (): boolean => workerScript() !== null;
