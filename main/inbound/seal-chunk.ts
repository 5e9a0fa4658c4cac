// Sealing import rows a chunk at a time, on whichever thread takes the chunk.
// A worker's chunk travels back as one buffer plus offsets: two transfers,
// instead of thousands of small arrays to clone and collect on the main thread.
import type { MessagePort } from 'node:worker_threads';
import type { FieldKeys, FieldKeyMaterial } from '../crypto/keyring';
import { slabAllocator } from '../crypto/slab';
import { sealPersonalFields, type ParcelIdentity, type PersonalFields, type SealedFields } from '../store/parcels';

export interface SealRow extends ParcelIdentity {
  fields: PersonalFields;
}

export interface SealRequest {
  index: number;
  rows: readonly SealRow[];
}

/** A chunk's sealed columns, row after row in COLUMNS order. */
export interface PackedChunk {
  index: number;
  bytes: Uint8Array<ArrayBuffer>;
  /** Start of each blob in `bytes`, plus the end: 7 × rows + 1 entries. */
  offsets: Uint32Array<ArrayBuffer>;
}

export interface SealWorkerData {
  material: FieldKeyMaterial;
  /** Where the worker answers. */
  port: MessagePort;
}

const COLUMNS = ['name_ct', 'phone_ct', 'address_ct', 'masked_ct', 'phone_bidx', 'tail_bidx', 'row_mac'] as const;

export function sealChunk(keys: FieldKeys, rows: readonly SealRow[]): SealedFields[] {
  const allocate = slabAllocator();
  return rows.map((r) => sealPersonalFields(keys, r, r.fields, allocate));
}

export function packChunk(index: number, sealed: readonly SealedFields[]): PackedChunk {
  const offsets = new Uint32Array(sealed.length * COLUMNS.length + 1);
  let total = 0;
  let i = 0;
  for (const s of sealed) {
    for (const c of COLUMNS) {
      offsets[i++] = total;
      total += s[c].length;
    }
  }
  offsets[i] = total;
  const bytes = new Uint8Array(total);
  i = 0;
  for (const s of sealed) for (const c of COLUMNS) bytes.set(s[c], offsets[i++]);
  return { index, bytes, offsets };
}

/** Views into the packed buffer: no copies (SQLite binds a view's own bytes). */
export function unpackChunk({ bytes, offsets }: PackedChunk): SealedFields[] {
  const out: SealedFields[] = [];
  const blob = (i: number): Uint8Array => bytes.subarray(offsets[i], offsets[i + 1]);
  for (let i = 0; i + COLUMNS.length < offsets.length; i += COLUMNS.length) {
    out.push({
      name_ct: blob(i),
      phone_ct: blob(i + 1),
      address_ct: blob(i + 2),
      masked_ct: blob(i + 3),
      phone_bidx: blob(i + 4),
      tail_bidx: blob(i + 5),
      row_mac: blob(i + 6),
    });
  }
  return out;
}
