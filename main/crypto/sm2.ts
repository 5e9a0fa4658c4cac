// SM2 with SM3 (GB/T 32918.2): key pairs, fingerprints and signatures, with the
// Z value over the default user id 1234567812345678, DER-encoded, as sm-crypto
// produces them. Knows nothing of where a key is kept.
import { randomBytes } from 'node:crypto';
import { sm2 as sm2Types } from 'sm-crypto';
import { sm3 } from './sm3';

const SIGN_OPTS = { hash: true, der: true } as const;

// @types/sm-crypto describes 0.3; these are the 0.5 functions used here.
const sm2 = sm2Types as typeof sm2Types & {
  generateKeyPairHex(seed: string, radix: number): { privateKey: string; publicKey: string };
  getPublicKeyFromPrivateKey(privateKey: string): string;
  verifyPublicKey(publicKey: string): boolean;
};

const utf8Array = (s: string): number[] => Array.from(Buffer.from(s, 'utf8'));

export function newKeyPair(): { privateKey: string; publicKey: string } {
  // sm-crypto's own generator draws from an RC4 stream; it accepts a seed,
  // so the private scalar comes from the OS CSPRNG instead (512 bits reduced
  // mod n-1, so the modulo bias is negligible).
  return sm2.generateKeyPairHex(randomBytes(64).toString('hex'), 16);
}

export function publicKeyOf(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKey);
}

/** DER signature, hex, over the UTF-8 bytes of `message`. */
export function sign(message: string, privateKey: string, publicKey: string): string {
  // Passing the public key saves sm-crypto re-deriving it on every signature.
  // The nonce still comes from sm-crypto's RC4 stream (seeded from the OS);
  // its small biases are far from exploitable at a few signatures a day.
  return sm2.doSignature(utf8Array(message), privateKey, { ...SIGN_OPTS, publicKey });
}

export function fingerprintOf(publicKey: string): string {
  const hex = Buffer.from(sm3(Buffer.from(publicKey, 'hex'))).toString('hex');
  return hex.match(/.{4}/g)!.join(' ');
}

export function isValidPublicKey(publicKey: string): boolean {
  return /^04[0-9a-f]{128}$/.test(publicKey) && sm2.verifyPublicKey(publicKey);
}

/** False for any malformed input, never throws: the input may come from a forged file. */
export function verifySignature(publicKey: string, message: string, signature: string): boolean {
  if (!isValidPublicKey(publicKey) || !/^[0-9a-f]{2,400}$/.test(signature)) return false;
  try {
    return sm2.doVerifySignature(utf8Array(message), signature, publicKey, SIGN_OPTS);
  } catch {
    return false;
  }
}
