// IVs for every sealed field. crypto.randomBytes costs several µs per call,
// which is most of a field's encryption time at import; drawing IVs from a
// pooled CSPRNG buffer costs a copy. Each byte is handed out once.
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 64 * 1024;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

/** Fills `iv` with fresh random bytes. */
export function randomIvInto(iv: Uint8Array): void {
  if (offset + iv.length > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  iv.set(pool.subarray(offset, offset + iv.length));
  offset += iv.length;
}
