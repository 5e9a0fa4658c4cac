// Rows in the binary format of PostgreSQL's COPY: each value as the server
// stores it (bytea as its bytes, integers as such), so neither side spends
// time on text: no hex encoding of sealed values here, no parsing there.
import { StoreUsageError, type SqlValue } from '../store';

const BOOL = 16;
const BYTEA = 17;
const INT8 = 20;
const INT2 = 21;
const INT4 = 23;
const FLOAT8 = 701;
const TEXT = new Set([25, 1042, 1043]); // text, char, varchar
const WIDTH: Record<number, number> = { [BOOL]: 1, [INT2]: 2, [INT4]: 4, [INT8]: 8, [FLOAT8]: 8 };

/** Whether copyBinary can write a column of this type oid. */
export const copiesBinary = (type: number): boolean => type === BYTEA || TEXT.has(type) || type in WIDTH;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Bytes of one value after its length word; -1 for NULL. */
function size(type: number, value: SqlValue): number {
  if (value === null) return -1;
  if (TEXT.has(type)) return Buffer.byteLength(typeof value === 'string' ? value : String(value));
  if (type === BYTEA) {
    if (!ArrayBuffer.isView(value)) throw new StoreUsageError('COPY needs bytes for a bytea column');
    return value.byteLength;
  }
  const width = WIDTH[type];
  if (width === undefined) throw new StoreUsageError(`COPY cannot send a column of type ${type}`);
  if (type !== FLOAT8 && type !== BOOL && !(typeof value === 'bigint' || Number.isInteger(value))) {
    throw new StoreUsageError('COPY needs an integer for an integer column');
  }
  return width;
}

function write(buf: Buffer, at: number, type: number, value: NonNullable<SqlValue>, n: number): void {
  if (TEXT.has(type)) buf.write(typeof value === 'string' ? value : String(value), at, n);
  else if (type === BYTEA) buf.set(value as Uint8Array, at);
  else if (type === INT8) {
    if (typeof value === 'bigint') buf.writeBigInt64BE(value, at);
    else {
      // Two 32-bit halves: no BigInt per value.
      const v = Number(value);
      buf.writeInt32BE(Math.floor(v / 0x1_0000_0000), at);
      buf.writeUInt32BE(v >>> 0, at + 4);
    }
  } else if (type === INT4) buf.writeInt32BE(Number(value), at);
  else if (type === INT2) buf.writeInt16BE(Number(value), at);
  else if (type === FLOAT8) buf.writeDoubleBE(Number(value), at);
  else buf[at] = value ? 1 : 0;
}

/** The rows in COPY's binary format; `types` are the columns' type oids, in order. */
export function copyBinary(rows: readonly (readonly SqlValue[])[], types: readonly number[]): Buffer {
  const sizes = new Int32Array(rows.length * types.length);
  let total = SIGNATURE.length + 8 + 2;
  let k = 0;
  for (const row of rows) {
    if (row.length !== types.length) throw new StoreUsageError(`a row of ${row.length} values for ${types.length} columns`);
    total += 2;
    for (let i = 0; i < types.length; i++, k++) {
      const n = size(types[i], row[i]);
      sizes[k] = n;
      total += 4 + Math.max(0, n);
    }
  }
  const buf = Buffer.allocUnsafe(total);
  let at = SIGNATURE.copy(buf, 0);
  at = buf.writeInt32BE(0, at); // flags
  at = buf.writeInt32BE(0, at); // header extension
  k = 0;
  for (const row of rows) {
    at = buf.writeInt16BE(types.length, at);
    for (let i = 0; i < types.length; i++, k++) {
      const n = sizes[k];
      at = buf.writeInt32BE(n, at);
      if (n < 0) continue;
      write(buf, at, types[i], row[i]!, n);
      at += n;
    }
  }
  buf.writeInt16BE(-1, at);
  return buf;
}
