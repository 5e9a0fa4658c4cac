// Sealing a large import on worker threads, one per core, while the calling
// thread writes: the import's single write transaction takes each chunk as
// soon as a worker has sealed it, so encryption and SQLite run side by side.
// Inside that transaction the calling thread cannot await (another request
// would join the transaction), so it waits for a chunk synchronously: workers
// answer on their own MessagePorts, read with receiveMessageOnPort, and wake
// it through a shared counter.
//
// Workers can only speed an import up: with none (a small import, no worker
// script, none started in time) the calling thread seals every chunk before
// the transaction, yielding between chunks; a chunk whose worker stalls or
// died is sealed by the calling thread.
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FieldKeyMaterial, FieldKeys } from '../crypto/keyring';
import type { SealedFields } from '../store/parcels';
import { lazyWorkerScript } from '../workers/worker-script';
import { sealChunk, unpackChunk, type PackedChunk, type SealRow, type SealWorkerData } from './seal-chunk';

/** Keys that can also be handed to a worker thread (StationKeys is one). */
export type PoolKeys = FieldKeys & { fieldKeyMaterial(): FieldKeyMaterial };

export interface SealOptions {
  /** Worker threads; default one per core, at most 4. 0 seals on the calling thread. */
  workers?: number;
  chunkSize?: number;
}

const DEFAULT_CHUNK = 2000;
/** Chunks queued per worker, so none idles while the calling thread writes. */
const DEPTH = 2;
/** How long a worker may take to start (under tsx it compiles the sources first). */
const START_MS = 15_000;
/** A chunk not answered for this long is sealed by the calling thread. */
const STALL_MS = 10_000;
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const defaultSealWorkers = (): number => Math.min(4, availableParallelism());

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

export class SealPool {
  private readonly results: (SealedFields[] | undefined)[];
  /** Chunks out with a worker: who has it, and since when. */
  private readonly out = new Map<number, { worker: PoolWorker; since: number }>();
  private next = 0;
  /** Rows sealed by worker threads (for the bench and tests). */
  byWorkers = 0;

  private constructor(
    private readonly keys: PoolKeys,
    private readonly rows: readonly SealRow[],
    private readonly size: number,
    private readonly workers: PoolWorker[],
    /** Bumped by a worker after each answer; the calling thread sleeps on it. */
    private readonly signal: Int32Array,
  ) {
    this.results = new Array(Math.ceil(rows.length / size));
  }

  /** Starts the workers (when the import is large enough and the script exists) and waits until they are ready. */
  static async start(keys: PoolKeys, rows: readonly SealRow[], opts: SealOptions = {}): Promise<SealPool> {
    const size = opts.chunkSize ?? DEFAULT_CHUNK;
    const chunks = Math.ceil(rows.length / size);
    const wanted = chunks > 1 ? Math.min(opts.workers ?? defaultSealWorkers(), chunks) : 0;
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const pool = new SealPool(keys, rows, size, await startWorkers(keys, wanted, signal), signal);
    for (const w of pool.workers) for (let d = 0; d < DEPTH; d++) pool.assign(w);
    return pool;
  }

  get chunks(): number {
    return this.results.length;
  }

  get parallel(): boolean {
    return this.workers.length > 0;
  }

  /** Without workers: seals every chunk here, yielding between chunks. */
  async sealHere(onChunk: (rowsDone: number) => void): Promise<void> {
    for (let k = 0; k < this.chunks; k++) {
      this.results[k] = sealChunk(this.keys, this.chunk(k));
      onChunk(Math.min((k + 1) * this.size, this.rows.length));
      await nextTick();
    }
  }

  /** Chunk k's sealed fields; blocks this thread until they are there (see the top). Each chunk is taken once. */
  take(k: number): SealedFields[] {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      this.drain();
      const ready = this.results[k];
      if (ready) {
        this.results[k] = undefined;
        return ready;
      }
      const since = this.out.get(k)?.since;
      if (since === undefined || performance.now() - since > STALL_MS) {
        this.out.delete(k);
        // Sealed here, so never handed to a worker later.
        this.next = Math.max(this.next, k + 1);
        return sealChunk(this.keys, this.chunk(k));
      }
      Atomics.wait(this.signal, 0, seen, 100);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private chunk(k: number): readonly SealRow[] {
    return this.rows.slice(k * this.size, (k + 1) * this.size);
  }

  private assign(w: PoolWorker): void {
    if (this.next >= this.chunks) return;
    const k = this.next++;
    this.out.set(k, { worker: w, since: performance.now() });
    w.worker.postMessage({ index: k, rows: this.chunk(k) });
  }

  /** Takes in every answer waiting on the workers' ports, giving each answering worker its next chunk. */
  private drain(): void {
    for (const w of this.workers) {
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
        const packed = m.message as PackedChunk;
        // An answer for a chunk already sealed here (its worker had stalled) is dropped.
        if (this.out.get(packed.index)?.worker === w) {
          this.out.delete(packed.index);
          const fields = unpackChunk(packed);
          this.results[packed.index] = fields;
          this.byWorkers += fields.length;
        }
        this.assign(w);
      }
    }
  }
}

/** Workers that said they were ready within START_MS; the others are stopped. */
async function startWorkers(keys: PoolKeys, count: number, signal: Int32Array): Promise<PoolWorker[]> {
  const script = count > 0 ? workerScript() : null;
  if (!script) return [];
  const material = keys.fieldKeyMaterial();
  const starting = Array.from({ length: count }, () => {
    const { port1, port2 } = new MessageChannel();
    const data: SealWorkerData = { material, port: port2, signal };
    const worker = new Worker(script.code, { eval: script.eval, workerData: data, transferList: [port2] });
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
    // A worker that fails later is noticed by its stalled chunk; its error must not crash the app.
    return { worker, port: port1, ready };
  });
  // workerData was copied into each thread as it was created.
  for (const key of Object.values(material)) if (key instanceof Uint8Array) key.fill(0);
  const started: PoolWorker[] = [];
  for (const s of starting) {
    if (await s.ready) {
      s.worker.on('error', () => undefined);
      started.push({ worker: s.worker, port: s.port });
    } else void s.worker.terminate();
  }
  return started;
}

const workerScript = lazyWorkerScript(__dirname, 'seal-worker.js', 'seal-worker.ts');

/** Whether SealPool can use worker threads here (for the bench and tests to report). */
export const canSealInParallel = (): boolean => workerScript() !== null;
