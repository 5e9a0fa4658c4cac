// Worker-thread entry for drain-thread.ts: its own connection to the store and
// its own services, the same sender, checks and audit entries as a drain on
// the main thread. The connection is reopened when the keys' generations
// change (a key rotation began or finished).
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { createServices, type AppServices } from '../app/services';
import { StationKeys, type StationKeyMaterial } from '../crypto/keyring';
import { attachStation } from '../store/station';
import type { DrainAnswer, DrainRequest, DrainWorkerData } from './drain-thread';

const { path, workstation } = workerData as DrainWorkerData;
const generations = (m: StationKeyMaterial): string => `${m.generation}/${m.next?.generation ?? ''}`;
let open: { services: AppServices; generations: string } | null = null;

async function servicesFor(keys: StationKeyMaterial): Promise<AppServices> {
  if (open?.generations === generations(keys)) return open.services;
  if (open) await open.services.close();
  const station = attachStation(path, StationKeys.fromMaterial(keys));
  open = { services: createServices(station, { now: () => new Date(), workstation }), generations: generations(keys) };
  return open.services;
}

async function answer({ id, keys }: DrainRequest): Promise<DrainAnswer> {
  try {
    return { id, reports: await (await servicesFor(keys)).notify.drain(null) };
  } catch (e) {
    return { id, error: e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e) };
  }
}

parentPort!.on('message', (req: DrainRequest) => {
  void answer(req).then((a) => parentPort!.postMessage(a));
});
