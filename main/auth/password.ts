// Staff passwords and PINs: scrypt, not PBKDF2-HMAC-SM3. scrypt is memory-hard
// (GPU guessing of a stolen store is expensive) and native in Node and
// Electron; a PBKDF2 over the JS SM3 would manage far fewer iterations in the
// same login delay, i.e. be weaker. Passwords: N=2^15 (32 MiB, ~0.1 s);
// PINs are short, so the lockout counter, not the hash, is their real guard.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface HashCost {
  N: number;
  r: number;
  p: number;
}

export const PASSWORD_COST: HashCost = { N: 2 ** 15, r: 8, p: 1 };

export function hashSecret(secret: string, cost: HashCost = PASSWORD_COST): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + (1 << 20) });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifySecret(secret: string, stored: string): boolean {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !hash) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(secret.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    ...cost,
    maxmem: 256 * cost.N * cost.r + (1 << 20),
  });
  return timingSafeEqual(actual, expected);
}
