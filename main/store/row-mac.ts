// The per-row MAC of a parcel. Each sealed value already binds its row id and
// column, but nothing tied the row's carrier, waybill number and blind indexes
// to them: swapping two rows' waybill numbers (or phone indexes) with plain SQL
// made a search show another person's card. `row_mac` is HMAC-SM3, under its
// own derived key, over a canonical encoding of all of them, NULLs included
// (an erased parcel keeps a MAC over its remaining facts). A sealed value is
// covered by its own MAC tag (its last 16 bytes), which authenticates the rest
// of it whenever it is opened: a whole value moved in from elsewhere changes
// the tag. Reads select the covered blobs as one (row_cover, with their
// lengths in row_shape), computed by SQLite: a blob column costs a buffer per
// row, and a card shown at the counter then needs two more, not six.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { RowMacKey } from '../crypto/keyring';
import { freshArray, type Allocate } from '../crypto/slab';

/** What the MAC covers, as stored (the writers' view). */
export interface RowMacInput {
  id: number;
  carrier: string;
  waybill_no: string;
  phone_bidx: Uint8Array | null;
  tail_bidx: Uint8Array | null;
  name_ct: Uint8Array | null;
  phone_ct: Uint8Array | null;
  address_ct: Uint8Array | null;
  masked_ct: Uint8Array | null;
}

export interface RowWithMac extends RowMacInput {
  row_mac: Uint8Array | null;
}

/** What the MAC covers, as the readers select it (rowCheckColumns). */
export interface RowCheck {
  id: number;
  carrier: string;
  waybill_no: string;
  /** Byte length of each covered value, -1 for NULL, space-separated. */
  row_shape: string;
  /** Both blind indexes, then the tag of each sealed value; NULL adds nothing. */
  row_cover: Uint8Array;
  row_mac: Uint8Array | null;
}

/** The raw covered columns, for writers and the rotation (`SELECT id, ${ROW_MAC_COLUMNS}`). */
export const ROW_MAC_COLUMNS = 'carrier, waybill_no, phone_bidx, tail_bidx, name_ct, phone_ct, address_ct, masked_ct, row_mac';

const COVERED = ['phone_bidx', 'tail_bidx', 'name_ct', 'phone_ct', 'address_ct', 'masked_ct'] as const;
/** The envelope's tag (main/crypto/envelope.ts): its last 16 bytes. */
const SEALED_TAG_LEN = 16;
const isSealed = (column: string): boolean => column.endsWith('_ct');

/** Column names qualified by a table alias, when there is one (for joins). */
export const qualified =
  (alias: string) =>
  (name: string): string =>
    alias ? `${alias}.${name}` : name;

/**
 * The columns a read selects to check a row, for table `alias` if given. One
 * text for both engines: the server's schema defines the two SQLite names it
 * uses, `zeroblob` and the type `blob` (postgres/migrations/004).
 */
export function rowCheckColumns(alias = ''): string {
  const c = qualified(alias);
  const shape = COVERED.map((n) => `coalesce(length(${c(n)}), -1)`).join(" || ' ' || ");
  const tail = (n: string) => `substr(${c(n)}, length(${c(n)}) - ${SEALED_TAG_LEN - 1})`;
  const parts = COVERED.map((n) => `coalesce(${isSealed(n) ? tail(n) : c(n)}, zeroblob(0))`).join(' || ');
  return `${c('carrier')}, ${c('waybill_no')}, ${c('row_mac')}, ${shape} AS row_shape, CAST(${parts} AS BLOB) AS row_cover`;
}

/** The same shape and cover as rowCheckColumns, from the values themselves. */
function checkOf(r: RowMacInput): Pick<RowCheck, 'row_shape' | 'row_cover'> {
  const values = COVERED.map((n) => r[n]);
  const parts = COVERED.map((n, i) => {
    const v = values[i];
    return !v ? new Uint8Array(0) : isSealed(n) ? v.subarray(Math.max(0, v.length - SEALED_TAG_LEN)) : v;
  });
  const cover = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((off, p) => (cover.set(p, off), off + p.length), 0);
  return { row_shape: values.map((v) => (v ? v.length : -1)).join(' '), row_cover: cover };
}

/** A row as the writers hold it, in the readers' form. */
export const toRowCheck = (r: RowWithMac): RowCheck => ({ id: r.id, carrier: r.carrier, waybill_no: r.waybill_no, row_mac: r.row_mac, ...checkOf(r) });

const HEADER = 1; // key generation
const TAG_LEN = 16;
const encoder = new TextEncoder();
const DOMAIN = encoder.encode('privacy-counter/parcels.row/v1');

// Single-threaded scratch for the encoding; each worker thread has its own.
let work = new Uint8Array(512);
let view = new DataView(work.buffer);
const expected = new Uint8Array(TAG_LEN);

/** The domain, then length-prefixed id, carrier, waybill number and shape, then the cover; returns the end. */
function encode(r: Omit<RowCheck, 'row_mac'>): number {
  const texts = [String(r.id), r.carrier, r.waybill_no, r.row_shape];
  let need = DOMAIN.length + r.row_cover.length;
  for (const t of texts) need += 4 + t.length * 3;
  if (work.length < need) {
    work = new Uint8Array(Math.max(need, work.length * 2));
    view = new DataView(work.buffer);
  }
  work.set(DOMAIN);
  let off = DOMAIN.length;
  for (const t of texts) {
    const { written } = encoder.encodeInto(t, work.subarray(off + 4));
    view.setUint32(off, written);
    off += 4 + written;
  }
  work.set(r.row_cover, off);
  return off + r.row_cover.length;
}

/** A fresh row MAC under the sealing generation. */
export function rowMac(key: RowMacKey, row: RowMacInput, allocate: Allocate = freshArray): Uint8Array {
  const end = encode({ id: row.id, carrier: row.carrier, waybill_no: row.waybill_no, ...checkOf(row) });
  const out = allocate(HEADER + TAG_LEN);
  out[0] = key.generation;
  key.mac.macInto(work, 0, end, out, HEADER, TAG_LEN);
  return out;
}

/** False for a missing, malformed or mismatching MAC; the stored generation picks the key. */
export function rowIntact(key: RowMacKey, row: RowCheck): boolean {
  const stored = row.row_mac;
  if (!stored || stored.length !== HEADER + TAG_LEN || !(row.row_cover instanceof Uint8Array)) return false;
  const k = stored[0] === key.generation ? key : stored[0] === key.previous?.generation ? key.previous : undefined;
  if (!k) return false;
  const end = encode(row);
  k.mac.macInto(work, 0, end, expected, 0, TAG_LEN);
  return timingSafeEqual(expected, stored.subarray(HEADER));
}

/** The detail of a TAMPERED error for damaged parcels: ids only, never their data. */
export const tamperedParcels = (ids: readonly number[]): string => `parcel ${ids.join(', ')}`;

export function checkRow(key: RowMacKey, row: RowCheck): void {
  if (!rowIntact(key, row)) throw new AppError('TAMPERED', tamperedParcels([row.id]));
}
