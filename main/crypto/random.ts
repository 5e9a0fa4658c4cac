// IVs for every sealed field. crypto.randomBytes costs several µs per call,
// which is most of a field's encryption time at import; drawing IVs from a
// pooled CSPRNG buffer costs a copy. Each byte is handed out once.
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 64 * 1024;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

export function randomIv(length = 16): Uint8Array {
  if (offset + length > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const iv = pool.slice(offset, offset + length);
  offset += length;
  return iv;
}
