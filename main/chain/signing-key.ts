// The station's SM2 signing key, for checkpoints and export signatures: opened
// from the store (main/store/signing-key-pair.ts) and checked against its
// public key. Signatures are SM2 with SM3 as main/crypto/sm2.ts makes them.
import { AppError } from '../../shared/errors';
import { fingerprintOf, isValidPublicKey, publicKeyOf, sign } from '../crypto/sm2';
import type { Db } from '../store/database';
import { openPrivateKey, SIGNING_PRIVATE_KEY, SIGNING_PUBLIC_KEY_META, storedPublicKey } from '../store/signing-key-pair';
import type { Station } from '../store/station';

export const SIGNATURE_ALGORITHM = 'SM2-with-SM3';

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

/**
 * The public key as the store records it. Anyone who can write the file can
 * replace it, so a verifier that must not trust the file compares the
 * fingerprint with one kept elsewhere (printed at setup, in an export's
 * signature file); `loadSigningKey` checks it against the sealed private key.
 */
export function stationPublicKey(db: Db): PublicKeyInfo {
  return publicKeyInfo(storedPublicKey(db));
}

function publicKeyInfo(publicKey: string | undefined): PublicKeyInfo {
  if (publicKey === undefined) throw new AppError('LOCKED', 'signing key not created yet: unlock the station once');
  if (!isValidPublicKey(publicKey)) throw new AppError('TAMPERED', SIGNING_PUBLIC_KEY_META);
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
  const meta = station.meta;
  const privateKey = openPrivateKey(meta, station.keys);
  if (privateKey === undefined) throw new AppError('TAMPERED', SIGNING_PRIVATE_KEY.meta);
  const { publicKey, fingerprint } = publicKeyInfo(meta.get(SIGNING_PUBLIC_KEY_META));
  if (publicKeyOf(privateKey) !== publicKey) throw new AppError('TAMPERED', SIGNING_PUBLIC_KEY_META);
  const key: SigningKey = { publicKey, fingerprint, sign: (message) => sign(message, privateKey, publicKey) };
  loaded.set(station, key);
  return key;
}
