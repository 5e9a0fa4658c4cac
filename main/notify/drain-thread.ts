// The background drain of pickup notices on a worker thread. Planning, opening
// each recipient's phone, signing and the provider requests take the counter's
// JS thread for milliseconds at a time; on a worker they never hold a scan-in.
// The worker only reads (its own read-only connection, on either engine): each
// step's writes come back here and are applied in one short transaction on
// this thread's connection, the station's one writer, so a scan never waits
// for another connection's write lock. A claim is committed here before the
// worker sends. Each pass hands the worker the station's keys as they are now,
// so a key rotation that began or finished since is followed. Without a
// worker script (or for an in-memory store) the caller drains on its own thread.
import { Worker } from 'node:worker_threads';
import type { SendReport } from '../../shared/notify';
import { isEmbedded, type Station } from '../store/station';
import { lazyWorkerScript } from '../workers/worker-script';
import { errorFromWire, errorToWire, type DrainWorkerData, type FromWorker, type ToWorker } from './drain-messages';
import type { OutboxWrite, OutboxWriter } from './outbox-writes';

const workerScript = lazyWorkerScript(__dirname, 'notify-worker.js', 'drain-worker.ts');

export class DrainThread {
  private worker: Worker | null = null;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: SendReport[]) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly station: Station,
    private readonly workstation: string,
    private readonly writer: OutboxWriter,
  ) {}

  /** A drain thread for `station` whose writes `writer` applies, or null where none can run. */
  static for(station: Station, workstation: string, writer: OutboxWriter): DrainThread | null {
    // An in-memory file cannot be opened a second time.
    const memory = isEmbedded(station) && station.db.memory;
    return memory || !workerScript() ? null : new DrainThread(station, workstation, writer);
  }

  /** One pass on the worker; its reports, or its error. */
  drain(): Promise<SendReport[]> {
    const worker = this.started();
    const pass = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(pass, { resolve, reject });
      this.post(worker, { pass, keys: this.station.keys.material() });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private post(worker: Worker, m: ToWorker): void {
    worker.postMessage(m);
  }

  /** The worker's writes, applied on this thread's connection; the answer goes back once committed (or failed). */
  private async apply(worker: Worker, m: { write: number; writes: OutboxWrite[]; now: Date }): Promise<void> {
    try {
      this.post(worker, { written: m.write, results: await this.writer.apply(m.writes, m.now) });
    } catch (e) {
      this.post(worker, { written: m.write, error: errorToWire(e) });
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const script = workerScript()!;
    const data: DrainWorkerData = { target: this.station.target, workstation: this.workstation };
    const worker = new Worker(script.code, { eval: script.eval, workerData: data });
    worker.on('message', (m: FromWorker) => {
      if ('write' in m) return void this.apply(worker, m);
      const w = this.waiting.get(m.pass);
      this.waiting.delete(m.pass);
      if ('error' in m) w?.reject(errorFromWire(m.error));
      else w?.resolve(m.reports);
    });
    // A worker that died fails what it held; the next pass starts another.
    const gone = (e: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`notify worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
