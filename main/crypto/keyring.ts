// The station's key hierarchy. One random 32-byte root key, wrapped by the
// passphrase (and by the OS keystore in the Electron build); every working key
// is derived from it with HMAC-SM3 under a fixed label, so keys for different
// jobs (field encryption, field MACs, blind indexes) never coincide.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { open, seal, type EnvelopeKeys } from './envelope';
import { HmacSm3, hmacSm3 } from './sm3';
import { freshArray, utf8Scratch, type Allocate } from './slab';
import { Sm4Key } from './sm4';

const encoder = new TextEncoder();
const ROOT_KEY_CONTEXT = 'station.root-key';
const BLIND_INDEX_LEN = 16;

function derive(root: Uint8Array, label: string): Uint8Array {
  return hmacSm3(root, encoder.encode(`privacy-counter/${label}`));
}

export function newRootKey(): Uint8Array {
  return randomBytes(32);
}

/**
 * What sealing a parcel's fields needs: the field envelope keys and the two
 * blind indexes. StationKeys is one; a sealing worker thread builds another
 * from the same key material (main/inbound/seal-worker.ts).
 */
export interface FieldKeys {
  readonly field: EnvelopeKeys;
  /** Key of the per-row MAC that binds a parcel's identity, blind indexes and sealed values together. */
  readonly rowMac: RowMacKey;
  /** Keyed index of a full normalised number: equality search without decryption. */
  phoneBlindIndex(digits: string, allocate?: Allocate): Uint8Array;
  /** Keyed index of the last four digits: the counter's everyday search. */
  tailBlindIndex(tail: string, allocate?: Allocate): Uint8Array;
}

/** A generation's row-MAC key; during a key rotation the one being replaced is still checked. */
export interface RowMacKey {
  readonly generation: number;
  readonly mac: HmacSm3;
  readonly previous?: RowMacKey;
}

/** Raw bytes of the keys behind a FieldKeys, to hand to a worker thread of this process. */
export interface FieldKeyMaterial {
  generation: number;
  enc: Uint8Array;
  mac: Uint8Array;
  row: Uint8Array;
  phoneIndex: Uint8Array;
  tailIndex: Uint8Array;
}

function envelopeKeys(generation: number, enc: Uint8Array, mac: Uint8Array): EnvelopeKeys {
  return { generation, cipher: new Sm4Key(enc), mac: new HmacSm3(mac) };
}

class BlindIndexes {
  private readonly phone: HmacSm3;
  private readonly tail: HmacSm3;

  constructor(readonly phoneKey: Uint8Array, readonly tailKey: Uint8Array) {
    this.phone = new HmacSm3(phoneKey);
    this.tail = new HmacSm3(tailKey);
  }

  phoneOf(digits: string, allocate: Allocate = freshArray): Uint8Array {
    return indexOf(this.phone, digits, allocate);
  }

  tailOf(tail: string, allocate: Allocate = freshArray): Uint8Array {
    return indexOf(this.tail, tail, allocate);
  }
}

function indexOf(mac: HmacSm3, value: string, allocate: Allocate): Uint8Array {
  const bytes = utf8Scratch(value);
  const out = allocate(BLIND_INDEX_LEN);
  mac.macInto(bytes, 0, bytes.length, out, 0, BLIND_INDEX_LEN);
  return out;
}

/** FieldKeys rebuilt from material, in a worker thread. */
export function fieldKeysFrom(m: FieldKeyMaterial): FieldKeys {
  const indexes = new BlindIndexes(m.phoneIndex, m.tailIndex);
  return {
    field: envelopeKeys(m.generation, m.enc, m.mac),
    rowMac: { generation: m.generation, mac: new HmacSm3(m.row) },
    phoneBlindIndex: (digits, allocate) => indexes.phoneOf(digits, allocate),
    tailBlindIndex: (tail, allocate) => indexes.tailOf(tail, allocate),
  };
}

/** Every key a StationKeys derives from its root, and the rotation's next ones: to rebuild it in a worker thread of this process. */
export interface StationKeyMaterial extends FieldKeyMaterial {
  backup: Uint8Array;
  names: Uint8Array;
  next: StationKeyMaterial | null;
}

type Derived = Omit<StationKeyMaterial, 'generation' | 'next'>;

function deriveAll(root: Uint8Array): Derived {
  return {
    enc: derive(root, 'field-enc/v1').subarray(0, 16),
    mac: derive(root, 'field-mac/v1'),
    row: derive(root, 'parcel-row-mac/v1'),
    phoneIndex: derive(root, 'blind-index/phone/v1'),
    tailIndex: derive(root, 'blind-index/tail/v1'),
    backup: derive(root, 'backup/v1'),
    names: derive(root, 'audit/unknown-username/v1'),
  };
}

interface Generation {
  keys: EnvelopeKeys;
  enc: Uint8Array;
  mac: Uint8Array;
  row: Uint8Array;
  rowKey: RowMacKey;
}

export class StationKeys implements FieldKeys {
  /**
   * Seals new values and opens stored ones. While a key rotation runs it seals
   * under the new generation and still opens the old one (`previous`).
   */
  field: EnvelopeKeys;
  /** Computes row MACs under the sealing generation, checks both while a rotation runs. */
  rowMac: RowMacKey;
  /** The new generation while a key rotation runs (main/lifecycle/rotation.ts). */
  next: StationKeys | null = null;
  private own: Generation;
  private indexes: BlindIndexes;
  private backup: Uint8Array;
  private names: HmacSm3;
  private namesKey: Uint8Array;

  /** From the root key, or from the derived keys of another thread's StationKeys (`material()`). */
  constructor(root: Uint8Array | Derived, generation = 1) {
    const { enc, mac, row, phoneIndex, tailIndex, backup, names } = root instanceof Uint8Array ? deriveAll(root) : root;
    this.own = { keys: envelopeKeys(generation, enc, mac), enc, mac, row, rowKey: { generation, mac: new HmacSm3(row) } };
    this.field = this.own.keys;
    this.rowMac = this.own.rowKey;
    this.indexes = new BlindIndexes(phoneIndex, tailIndex);
    this.backup = backup;
    this.namesKey = names;
    this.names = new HmacSm3(names);
  }

  static fromMaterial(m: StationKeyMaterial): StationKeys {
    const keys = new StationKeys(m, m.generation);
    if (m.next) keys.beginRotation(StationKeys.fromMaterial(m.next));
    return keys;
  }

  /** Copies of every key, the rotation's next ones too, for a worker thread of this process. */
  material(): StationKeyMaterial {
    const { own, indexes } = this;
    return {
      generation: own.keys.generation,
      enc: own.enc.slice(),
      mac: own.mac.slice(),
      row: own.row.slice(),
      phoneIndex: indexes.phoneKey.slice(),
      tailIndex: indexes.tailKey.slice(),
      backup: this.backup.slice(),
      names: this.namesKey.slice(),
      next: this.next?.material() ?? null,
    };
  }

  /**
   * Keyed hash of a name typed at a login that is no account: failures by the
   * same name can be told apart in the audit log without keeping the text,
   * which may be anything (even a customer's phone number).
   */
  unknownUsernameTag(name: string): Uint8Array {
    const bytes = encoder.encode(name.trim().normalize('NFC').toLowerCase());
    const out = new Uint8Array(BLIND_INDEX_LEN);
    this.names.macInto(bytes, 0, bytes.length, out, 0, BLIND_INDEX_LEN);
    return out;
  }

  /** Key of the encrypted whole-store backups (main/lifecycle/backup.ts). */
  backupKey(): Uint8Array {
    return this.backup;
  }

  /**
   * The keys sealing uses right now, as bytes for a worker thread. During a
   * rotation that is the new generation's field keys with this generation's
   * blind indexes, as in `field` and the index methods.
   */
  fieldKeyMaterial(): FieldKeyMaterial {
    const sealing = this.next?.own ?? this.own;
    return {
      generation: sealing.keys.generation,
      enc: sealing.enc.slice(),
      mac: sealing.mac.slice(),
      row: sealing.row.slice(),
      phoneIndex: this.indexes.phoneKey.slice(),
      tailIndex: this.indexes.tailKey.slice(),
    };
  }

  /**
   * A key rotation has begun: new values are sealed under `next`, both
   * generations open. Blind indexes stay on this generation until the swap,
   * so searches keep matching every row meanwhile.
   */
  beginRotation(next: StationKeys): void {
    this.next = next;
    this.field = { ...next.own.keys, previous: this.own.keys };
    this.rowMac = { ...next.own.rowKey, previous: this.own.rowKey };
  }

  /** The generation this object's own root key belongs to (during a rotation, the one being replaced). */
  get generation(): number {
    return this.own.keys.generation;
  }

  /** A rotation whose beginning was not committed: back to this generation alone. */
  abandonRotation(): void {
    if (!this.next) return;
    this.next = null;
    this.field = this.own.keys;
    this.rowMac = this.own.rowKey;
  }

  /**
   * Which keys seal and index right now: values sealed under one epoch and
   * written under another may carry a generation (or blind indexes) the
   * store no longer accepts.
   */
  get epoch(): string {
    return `${this.own.keys.generation}>${this.next?.own.keys.generation ?? ''}`;
  }

  /**
   * The rotation's swap: this object takes on the new generation, so every
   * service holding it moves over at once. Returns how to go back, for a
   * swap whose transaction then fails to commit.
   */
  completeRotation(): () => void {
    const next = this.next;
    if (!next) return () => {};
    const before = { own: this.own, indexes: this.indexes, backup: this.backup, names: this.names, namesKey: this.namesKey };
    const undo = (): void => {
      Object.assign(this, before);
      this.beginRotation(next);
    };
    this.own = next.own;
    this.field = next.own.keys;
    this.rowMac = next.own.rowKey;
    this.indexes = next.indexes;
    this.backup = next.backup;
    this.names = next.names;
    this.namesKey = next.namesKey;
    this.next = null;
    return undo;
  }

  phoneBlindIndex(digits: string, allocate?: Allocate): Uint8Array {
    return this.indexes.phoneOf(digits, allocate);
  }

  tailBlindIndex(tail: string, allocate?: Allocate): Uint8Array {
    return this.indexes.tailOf(tail, allocate);
  }
}

/** Envelope keys from a 32-byte key-encryption key (passphrase-derived). */
function kekKeys(kek: Uint8Array): EnvelopeKeys {
  return envelopeKeys(0, kek.subarray(0, 16), kek.subarray(16, 32));
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
