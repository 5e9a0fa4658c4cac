// Where the station's SM2 key pair is kept: created with the store, the private
// key sealed under the station's field keys (readable only while unlocked), the
// public key and its fingerprint in `meta` in clear, so a checkpoint or an
// export can be verified without the passphrase. Using the key is main/chain/signing-key.ts.
import { openText, sealText } from '../crypto/envelope';
import type { StationKeys } from '../crypto/keyring';
import { fingerprintOf, newKeyPair } from '../crypto/sm2';
import type { Db } from './database';
import { getMeta, setMeta } from './meta';

/** The sealed private key's meta key and envelope context (key rotation reseals it). */
export const SIGNING_PRIVATE_KEY = { meta: 'signing_key.private', context: 'station.sm2-private-key' } as const;
export const SIGNING_PUBLIC_KEY_META = 'signing_key.public';
const META_FINGERPRINT = 'signing_key.fingerprint';

/**
 * Creates the key pair unless the store already has one: called inside the
 * initialisation transaction, and at unlock for stores created before chains.
 */
export function ensureSigningKey(db: Db, keys: StationKeys): void {
  if (getMeta(db, SIGNING_PRIVATE_KEY.meta) !== undefined) return;
  const rows = newSigningKeyMeta(keys);
  db.transaction(() => {
    for (const [key, value] of rows) setMeta(db, key, value);
  })();
}

/** A new key pair as the `meta` rows that keep it (the private key sealed). */
export function newSigningKeyMeta(keys: StationKeys): [string, string][] {
  const pair = newKeyPair();
  const sealed = sealText(keys.field, pair.privateKey, SIGNING_PRIVATE_KEY.context);
  return [
    [SIGNING_PRIVATE_KEY.meta, Buffer.from(sealed).toString('base64')],
    [SIGNING_PUBLIC_KEY_META, pair.publicKey],
    [META_FINGERPRINT, fingerprintOf(pair.publicKey)],
  ];
}

/** The public key as stored (unchecked), or undefined before the pair exists. */
export function storedPublicKey(db: Db): string | undefined {
  return getMeta(db, SIGNING_PUBLIC_KEY_META);
}

/** The private key, opened (TAMPERED if its MAC fails); undefined when none is stored. */
export function openPrivateKey(meta: ReadonlyMap<string, string>, keys: StationKeys): string | undefined {
  const sealed = meta.get(SIGNING_PRIVATE_KEY.meta);
  if (sealed === undefined) return undefined;
  return openText(keys.field, new Uint8Array(Buffer.from(sealed, 'base64')), SIGNING_PRIVATE_KEY.context);
}
