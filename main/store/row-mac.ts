// The per-row MAC of a parcel. Each sealed value already binds its row id and
// column, but nothing tied the row's carrier, waybill number and blind indexes
// to them: swapping two rows' waybill numbers (or phone indexes) with plain SQL
// made a search show another person's card. `row_mac` is HMAC-SM3, under its
// own derived key, over a canonical encoding of all of them, NULLs included
// (an erased parcel keeps a MAC over its remaining facts). A sealed value is
// covered by its own MAC tag (its last 16 bytes), which authenticates the rest
// of it whenever it is opened: a whole value moved in from elsewhere changes
// the tag, and the row MAC stays a few blocks of SM3 on every card shown.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { RowMacKey } from '../crypto/keyring';
import { freshArray, type Allocate } from '../crypto/slab';

/** What the MAC covers, by column name as stored. */
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

/** The columns to select for a check, besides `id`. */
export const ROW_MAC_COLUMNS = 'carrier, waybill_no, phone_bidx, tail_bidx, name_ct, phone_ct, address_ct, masked_ct, row_mac';

const DOMAIN = 'privacy-counter/parcels.row/v1';
const HEADER = 1; // key generation
const TAG_LEN = 16;
const NULL_LENGTH = 0xffffffff;
/** The envelope's tag (main/crypto/envelope.ts): its last 16 bytes. */
const SEALED_TAG_LEN = 16;
const encoder = new TextEncoder();

// Single-threaded scratch for the encoding; each worker thread has its own.
let work = new Uint8Array(1024);
const expected = new Uint8Array(TAG_LEN);

function ensure(need: number): void {
  if (work.length < need) work = new Uint8Array(Math.max(need, work.length * 2));
}

const tagOf = (sealed: Uint8Array | null): Uint8Array | null => sealed && sealed.subarray(Math.max(0, sealed.length - SEALED_TAG_LEN));

/** Length-prefixed parts, so no two different rows encode alike; returns the end. */
function encode(r: RowMacInput): number {
  const texts = [DOMAIN, String(r.id), r.carrier, r.waybill_no];
  const blobs = [r.phone_bidx, r.tail_bidx, tagOf(r.name_ct), tagOf(r.phone_ct), tagOf(r.address_ct), tagOf(r.masked_ct)];
  let need = 0;
  for (const t of texts) need += 4 + t.length * 3;
  for (const b of blobs) need += 4 + (b?.length ?? 0);
  ensure(need);
  const view = new DataView(work.buffer);
  let off = 0;
  for (const t of texts) {
    const { written } = encoder.encodeInto(t, work.subarray(off + 4));
    view.setUint32(off, written);
    off += 4 + written;
  }
  for (const b of blobs) {
    view.setUint32(off, b ? b.length : NULL_LENGTH);
    off += 4;
    if (b) {
      work.set(b, off);
      off += b.length;
    }
  }
  return off;
}

/** A fresh row MAC under the sealing generation. */
export function rowMac(key: RowMacKey, row: RowMacInput, allocate: Allocate = freshArray): Uint8Array {
  const end = encode(row);
  const out = allocate(HEADER + TAG_LEN);
  out[0] = key.generation;
  key.mac.macInto(work, 0, end, out, HEADER, TAG_LEN);
  return out;
}

/** False for a missing, malformed or mismatching MAC; the stored generation picks the key. */
export function rowIntact(key: RowMacKey, row: RowWithMac): boolean {
  const stored = row.row_mac;
  if (!stored || stored.length !== HEADER + TAG_LEN) return false;
  const k = stored[0] === key.generation ? key : stored[0] === key.previous?.generation ? key.previous : undefined;
  if (!k) return false;
  const end = encode(row);
  k.mac.macInto(work, 0, end, expected, 0, TAG_LEN);
  return timingSafeEqual(expected, stored.subarray(HEADER));
}

/** The detail of a TAMPERED error for damaged parcels: ids only, never their data. */
export const tamperedParcels = (ids: readonly number[]): string => `parcel ${ids.join(', ')}`;

export function checkRow(key: RowMacKey, row: RowWithMac): void {
  if (!rowIntact(key, row)) throw new AppError('TAMPERED', tamperedParcels([row.id]));
}
