// Passphrase → key-encryption key.
//
// scrypt (RFC 7914), not PBKDF2-HMAC-SM3: scrypt is memory-hard, so a stolen
// store cannot be attacked cheaply on GPUs, and it is built into Node and into
// Electron's BoringSSL, so no pure-JS hash loop slows the counter PC at unlock.
// Default N=2^17, r=8, p=1 (128 MiB, ~0.3–0.5 s): OWASP's scrypt floor is
// N=2^17. The parameters are stored beside the salt, so they can be raised later.
import { scryptSync } from 'node:crypto';

export interface KdfParams {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string; // base64
}

export const DEFAULT_KDF_COST = { N: 2 ** 17, r: 8, p: 1 } as const;

export function deriveKek(passphrase: string, params: KdfParams): Uint8Array {
  const maxmem = 128 * params.N * params.r * 2 + 1024 * 1024;
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem,
  });
}
