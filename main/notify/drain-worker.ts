// Worker-thread entry for drain-thread.ts: a read-only connection to the
// store and the same sender as a drain on the main thread, whose writes are
// posted to the main thread and applied there; each waits for its commit, so
// a claim is committed before its request leaves. The connection is reopened
// when the keys' generations change (a key rotation began or finished).
import { parentPort, workerData } from 'node:worker_threads';
import { StationKeys, type StationKeyMaterial } from '../crypto/keyring';
import { Settings } from '../settings/settings';
import { attachStation, type Station } from '../store/station';
import { errorFromWire, errorToWire, type DrainWorkerData, type FromWorker, type ToWorker } from './drain-messages';
import type { OutboxWriter } from './outbox-writes';
import { NotifySender } from './sender';

const { target, workstation } = workerData as DrainWorkerData;
const port = parentPort!;
const generations = (m: StationKeyMaterial): string => `${m.generation}/${m.next?.generation ?? ''}`;

let writes = 0;
const waiting = new Map<number, { resolve: (r: number[]) => void; reject: (e: Error) => void }>();
const send = (m: FromWorker): void => port.postMessage(m);

/** The main thread applies them; resolved once they are committed there. */
const remote: OutboxWriter = {
  apply(list, now) {
    if (!list.length) return Promise.resolve([]);
    const write = writes++;
    return new Promise((resolve, reject) => {
      waiting.set(write, { resolve, reject });
      send({ write, writes: [...list], now });
    });
  },
};

let open: { station: Station; sender: NotifySender; generations: string } | null = null;

async function senderFor(keys: StationKeyMaterial): Promise<NotifySender> {
  if (open?.generations === generations(keys)) return open.sender;
  if (open) await open.station.close();
  open = null;
  const station = await attachStation(target, StationKeys.fromMaterial(keys));
  const sender = new NotifySender(station, { settings: new Settings(), writer: remote, now: () => new Date(), workstation });
  open = { station, sender, generations: generations(keys) };
  return sender;
}

async function pass(n: number, keys: StationKeyMaterial): Promise<FromWorker> {
  try {
    return { pass: n, reports: await (await senderFor(keys)).drain(null) };
  } catch (e) {
    return { pass: n, error: errorToWire(e) };
  }
}

port.on('message', (m: ToWorker) => {
  if ('pass' in m) return void pass(m.pass, m.keys).then(send);
  const w = waiting.get(m.written);
  waiting.delete(m.written);
  if ('error' in m) w?.reject(errorFromWire(m.error));
  else w?.resolve(m.results);
});
