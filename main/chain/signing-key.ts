// The station's SM2 signing key, for checkpoints and export signatures.
//
// Created with the store; the private key is sealed like any other secret with
// envelope keys derived from the station root key, so it is readable only
// while the station is unlocked. The public key and its fingerprint sit in
// `meta` in clear, so a checkpoint or an export can be verified without the
// passphrase.
//
// Signatures are SM2 with SM3 (GB/T 32918.2) with the Z value over the default
// user id 1234567812345678, DER-encoded, as sm-crypto produces them.
import { randomBytes } from 'node:crypto';
import { sm2 as sm2Types } from 'sm-crypto';
import { AppError } from '../../shared/errors';
import { openText, sealText } from '../crypto/envelope';
import type { StationKeys } from '../crypto/keyring';
import { sm3 } from '../crypto/sm3';
import type { Db } from '../store/database';
import type { Station } from '../store/station';

export const SIGNATURE_ALGORITHM = 'SM2-with-SM3';
const PRIVATE_KEY_CONTEXT = 'station.sm2-private-key';
const META_PRIVATE = 'signing_key.private';
const META_PUBLIC = 'signing_key.public';
const META_FINGERPRINT = 'signing_key.fingerprint';
const SIGN_OPTS = { hash: true, der: true } as const;

// @types/sm-crypto describes 0.3; these are the 0.5 functions used here.
const sm2 = sm2Types as typeof sm2Types & {
  generateKeyPairHex(seed: string, radix: number): { privateKey: string; publicKey: string };
  getPublicKeyFromPrivateKey(privateKey: string): string;
  verifyPublicKey(publicKey: string): boolean;
};

export interface PublicKeyInfo {
  /** Uncompressed point, hex: "04" || x || y. */
  readonly publicKey: string;
  /** SM3 of the public key bytes, hex in groups of four, to read out over the phone or print. */
  readonly fingerprint: string;
}

export interface SigningKey extends PublicKeyInfo {
  /** DER signature, hex, over the UTF-8 bytes of `message`. */
  sign(message: string): string;
}

const utf8Array = (s: string): number[] => Array.from(Buffer.from(s, 'utf8'));

export function fingerprintOf(publicKey: string): string {
  const hex = Buffer.from(sm3(Buffer.from(publicKey, 'hex'))).toString('hex');
  return hex.match(/.{4}/g)!.join(' ');
}

/** SubjectPublicKeyInfo DER up to the point: id-ecPublicKey, curve SM2 (1.2.156.10197.1.301). */
const SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

/**
 * The public key as PEM, for auditors' tools. OpenSSL 3 checks a signature with
 * `openssl pkeyutl -verify -pubin -inkey key.pem -rawin -digest sm3
 * -pkeyopt distid:1234567812345678 -in message -sigfile signature.der`.
 */
export function publicKeyPem(publicKey: string): string {
  const b64 = Buffer.from(SPKI_PREFIX + publicKey, 'hex').toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** The key of a PEM file from `publicKeyPem` (or OpenSSL), or null if it is not an SM2 public key. */
export function publicKeyFromPem(pem: string): string | null {
  const body = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem)?.[1];
  if (!body) return null;
  const hex = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('hex');
  if (!hex.startsWith(SPKI_PREFIX)) return null;
  const key = hex.slice(SPKI_PREFIX.length);
  return isValidPublicKey(key) ? key : null;
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

function getMeta(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

/**
 * Creates the key pair unless the store already has one: called inside the
 * initialisation transaction, and at unlock for stores created before chains.
 */
export function ensureSigningKey(db: Db, keys: StationKeys): void {
  if (getMeta(db, META_PRIVATE) !== undefined) return;
  // sm-crypto's own generator draws from an RC4 stream; it accepts a seed,
  // so the private scalar comes from the OS CSPRNG instead (512 bits reduced
  // mod n-1, so the modulo bias is negligible).
  const pair = sm2.generateKeyPairHex(randomBytes(64).toString('hex'), 16);
  const sealed = sealText(keys.field, pair.privateKey, PRIVATE_KEY_CONTEXT);
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  db.transaction(() => {
    put.run(META_PRIVATE, Buffer.from(sealed).toString('base64'));
    put.run(META_PUBLIC, pair.publicKey);
    put.run(META_FINGERPRINT, fingerprintOf(pair.publicKey));
  })();
}

/**
 * The public key as the store records it. Anyone who can write the file can
 * replace it, so a verifier that must not trust the file compares the
 * fingerprint with one kept elsewhere (printed at setup, in an export's
 * signature file); `loadSigningKey` checks it against the sealed private key.
 */
export function stationPublicKey(db: Db): PublicKeyInfo {
  const publicKey = getMeta(db, META_PUBLIC);
  if (publicKey === undefined) throw new AppError('LOCKED', 'signing key not created yet: unlock the station once');
  if (!isValidPublicKey(publicKey)) throw new AppError('TAMPERED', META_PUBLIC);
  return { publicKey, fingerprint: fingerprintOf(publicKey) };
}

const loaded = new WeakMap<Station, SigningKey>();

/**
 * Opens the sealed private key (TAMPERED if its MAC fails) and checks that the
 * public key in `meta` belongs to it, so a swapped public key is caught here.
 * Cached per station: deriving the public point costs ~20 ms.
 */
export function loadSigningKey(station: Station): SigningKey {
  const cached = loaded.get(station);
  if (cached) return cached;
  const sealed = getMeta(station.db, META_PRIVATE);
  if (sealed === undefined) throw new AppError('TAMPERED', META_PRIVATE);
  const privateKey = openText(station.keys.field, new Uint8Array(Buffer.from(sealed, 'base64')), PRIVATE_KEY_CONTEXT);
  const { publicKey, fingerprint } = stationPublicKey(station.db);
  if (sm2.getPublicKeyFromPrivateKey(privateKey) !== publicKey) throw new AppError('TAMPERED', META_PUBLIC);
  const key: SigningKey = {
    publicKey,
    fingerprint,
    // Passing the public key saves sm-crypto re-deriving it on every signature.
    // The nonce still comes from sm-crypto's RC4 stream (seeded from the OS);
    // its small biases are far from exploitable at a few signatures a day.
    sign: (message) => sm2.doSignature(utf8Array(message), privateKey, { ...SIGN_OPTS, publicKey }),
  };
  loaded.set(station, key);
  return key;
}
