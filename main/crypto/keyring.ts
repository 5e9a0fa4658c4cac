// The station's key hierarchy. One random 32-byte root key, wrapped by the
// passphrase (and by the OS keystore in the Electron build); every working key
// is derived from it with HMAC-SM3 under a fixed label, so keys for different
// jobs (field encryption, field MACs, blind indexes) never coincide.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { open, seal, type EnvelopeKeys } from './envelope';
import { HmacSm3, hmacSm3 } from './sm3';

const encoder = new TextEncoder();
const ROOT_KEY_CONTEXT = 'station.root-key';
const BLIND_INDEX_LEN = 16;

function derive(root: Uint8Array, label: string): Uint8Array {
  return hmacSm3(root, encoder.encode(`privacy-counter/${label}`));
}

export function newRootKey(): Uint8Array {
  return randomBytes(32);
}

export class StationKeys {
  /**
   * Seals new values and opens stored ones. While a key rotation runs it seals
   * under the new generation and still opens the old one (`previous`).
   */
  field: EnvelopeKeys;
  /** The new generation while a key rotation runs (main/lifecycle/rotation.ts). */
  next: StationKeys | null = null;
  private own: EnvelopeKeys;
  private phoneIndex: HmacSm3;
  private tailIndex: HmacSm3;
  private backup: Uint8Array;

  constructor(root: Uint8Array, generation = 1) {
    this.own = {
      generation,
      encKey: derive(root, 'field-enc/v1').subarray(0, 16),
      mac: new HmacSm3(derive(root, 'field-mac/v1')),
    };
    this.field = this.own;
    this.phoneIndex = new HmacSm3(derive(root, 'blind-index/phone/v1'));
    this.tailIndex = new HmacSm3(derive(root, 'blind-index/tail/v1'));
    this.backup = derive(root, 'backup/v1');
  }

  /** Key of the encrypted whole-store backups (main/lifecycle/backup.ts). */
  backupKey(): Uint8Array {
    return this.backup;
  }

  /**
   * A key rotation has begun: new values are sealed under `next`, both
   * generations open. Blind indexes stay on this generation until the swap,
   * so searches keep matching every row meanwhile.
   */
  beginRotation(next: StationKeys): void {
    this.next = next;
    this.field = { ...next.own, previous: this.own };
  }

  /**
   * The rotation's swap is committed: this object takes on the new
   * generation, so every service holding it moves over at once.
   */
  completeRotation(): void {
    const next = this.next;
    if (!next) return;
    this.own = next.own;
    this.field = next.own;
    this.phoneIndex = next.phoneIndex;
    this.tailIndex = next.tailIndex;
    this.backup = next.backup;
    this.next = null;
  }

  /** Keyed index of a full normalised number: equality search without decryption. */
  phoneBlindIndex(digits: string): Uint8Array {
    return this.phoneIndex.mac(encoder.encode(digits)).subarray(0, BLIND_INDEX_LEN);
  }

  /** Keyed index of the last four digits: the counter's everyday search. */
  tailBlindIndex(tail: string): Uint8Array {
    return this.tailIndex.mac(encoder.encode(tail)).subarray(0, BLIND_INDEX_LEN);
  }
}

/** Envelope keys from a 32-byte key-encryption key (passphrase-derived). */
function kekKeys(kek: Uint8Array): EnvelopeKeys {
  return { generation: 0, encKey: kek.subarray(0, 16), mac: new HmacSm3(kek.subarray(16, 32)) };
}

export function wrapRootKey(root: Uint8Array, kek: Uint8Array): Uint8Array {
  return seal(kekKeys(kek), root, ROOT_KEY_CONTEXT);
}

/** A wrong passphrase fails the MAC: reported as WRONG_PASSPHRASE, nothing touched. */
export function unwrapRootKey(wrapped: Uint8Array, kek: Uint8Array): Uint8Array {
  try {
    return open(kekKeys(kek), wrapped, ROOT_KEY_CONTEXT);
  } catch (e) {
    if (e instanceof AppError && e.code === 'TAMPERED') throw new AppError('WRONG_PASSPHRASE');
    throw e;
  }
}
