// The background drain of pickup notices on a worker thread. Planning, opening
// each recipient's phone, the provider requests and the audit entries take
// the counter's JS thread (and its one connection) for milliseconds at a time;
// on a worker with its own connection they never hold a scan-in. Each pass
// hands the worker the station's keys as they are now, so a key rotation that
// began or finished since is followed. Without a worker script (or for an
// in-memory store) the caller drains on its own thread.
import { Worker } from 'node:worker_threads';
import { AppError, errorMessages, type ErrorCode } from '../../shared/errors';
import type { SendReport } from '../../shared/notify';
import type { StationKeyMaterial } from '../crypto/keyring';
import { isEmbedded, type EmbeddedStation, type Station } from '../store/station';
import { lazyWorkerScript } from '../workers/worker-script';

export interface DrainWorkerData {
  path: string;
  workstation: string;
}

export interface DrainRequest {
  id: number;
  keys: StationKeyMaterial;
}

export type DrainAnswer = { id: number; reports: SendReport[] } | { id: number; error: string };

const workerScript = lazyWorkerScript(__dirname, 'notify-worker.js', 'drain-worker.ts');

export class DrainThread {
  private worker: Worker | null = null;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: SendReport[]) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly station: EmbeddedStation,
    private readonly workstation: string,
  ) {}

  /** A drain thread for `station`, or null where none can run. */
  static for(station: Station, workstation: string): DrainThread | null {
    // The worker opens the station file a second time; a server store's drain stays on this thread.
    return !isEmbedded(station) || station.db.memory || !workerScript() ? null : new DrainThread(station, workstation);
  }

  /** One pass on the worker; its reports, or its error (a code, never personal data). */
  drain(): Promise<SendReport[]> {
    const worker = this.started();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: DrainRequest = { id, keys: this.station.keys.material() };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const script = workerScript()!;
    const data: DrainWorkerData = { path: this.station.db.name, workstation: this.workstation };
    const worker = new Worker(script.code, { eval: script.eval, workerData: data });
    worker.on('message', (a: DrainAnswer) => {
      const w = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      if ('error' in a) w?.reject(a.error in errorMessages ? new AppError(a.error as ErrorCode) : new Error(a.error));
      else w?.resolve(a.reports);
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
