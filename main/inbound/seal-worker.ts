// Worker-thread entry for seal-pool.ts: rebuilds the field keys from the
// material it was started with, then seals each chunk it is sent, answering on
// its own port and bumping the shared signal the calling thread may sleep on.
import { parentPort, workerData } from 'node:worker_threads';
import { fieldKeysFrom } from '../crypto/keyring';
import { packChunk, sealChunk, type SealRequest, type SealWorkerData } from './seal-chunk';

const { material, port, signal } = workerData as SealWorkerData;
const keys = fieldKeysFrom(material);
material.enc.fill(0);
material.mac.fill(0);
material.row.fill(0);
parentPort!.on('message', ({ index, rows }: SealRequest) => {
  const packed = packChunk(index, sealChunk(keys, rows));
  port.postMessage(packed, [packed.bytes.buffer, packed.offsets.buffer]);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
parentPort!.postMessage('ready');
