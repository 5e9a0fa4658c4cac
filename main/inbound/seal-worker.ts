// Worker-thread entry for seal-pool.ts: rebuilds the field keys from the
// material it was started with, then seals each chunk it is sent, answering on
// its own port.
import { parentPort, workerData } from 'node:worker_threads';
import { fieldKeysFrom } from '../crypto/keyring';
import { packChunk, sealChunk, type SealRequest, type SealWorkerData } from './seal-chunk';

const { material, port } = workerData as SealWorkerData;
const keys = fieldKeysFrom(material);
material.enc.fill(0);
material.mac.fill(0);
material.row.fill(0);
parentPort!.on('message', ({ index, rows }: SealRequest) => {
  const packed = packChunk(index, sealChunk(keys, rows));
  port.postMessage(packed, [packed.bytes.buffer, packed.offsets.buffer]);
});
parentPort!.postMessage('ready');
