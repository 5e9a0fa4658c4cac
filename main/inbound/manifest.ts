// Parsing and checking a carrier manifest, row by row, as its text arrives.
// Nothing here touches the store: good rows and bad rows come back separately.
import { AppError, bilingual } from '../../shared/errors';
import { rowErrorMessages, type RowError, type RowErrorCode } from '../../shared/import-report';
import type { Carrier } from '../../shared/parcel';
import { parsePhone, type ParsedPhone } from '../../shared/phone';
import { MAX_ADDRESS_LENGTH, MAX_NAME_LENGTH, MAX_PHONE_LENGTH } from '../../shared/recipient-limits';
import { isWellFormedWaybill, normaliseWaybill, parseCarrier } from '../../shared/waybill';
import { CsvRecords, guessDelimiter, type CsvRecord } from './csv-records';
import { decodeManifest, type ManifestEncoding } from './decode';

export interface ManifestRow {
  row: number;
  waybillNo: string;
  carrier: Carrier;
  name: string;
  phone: ParsedPhone;
  address: string;
  itemDesc: string;
  weightG: number | null;
}

export interface ParsedManifest {
  encoding: ManifestEncoding;
  rows: ManifestRow[];
  errors: RowError[];
}

type Column = 'waybill_no' | 'carrier' | 'recipient_name' | 'recipient_phone' | 'recipient_address' | 'item_desc' | 'weight_kg';

/** Header names accepted for each column: the fixture format and common Chinese exports. */
const HEADER_ALIASES: Record<Column, readonly string[]> = {
  waybill_no: ['waybill_no', '运单号', '快递单号'],
  carrier: ['carrier', '快递公司', '承运商'],
  recipient_name: ['recipient_name', '收件人', '收件人姓名'],
  recipient_phone: ['recipient_phone', '收件人电话', '电话', '手机'],
  recipient_address: ['recipient_address', '收件地址', '收件人地址', '地址'],
  item_desc: ['item_desc', '物品', '物品名称', '内件'],
  weight_kg: ['weight_kg', '重量', '重量(kg)'],
};
const REQUIRED: readonly Column[] = ['waybill_no', 'carrier', 'recipient_name', 'recipient_phone', 'recipient_address'];

function mapHeader(header: string[]): Partial<Record<Column, number>> {
  const index: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    const name = h.trim().toLowerCase();
    for (const [col, aliases] of Object.entries(HEADER_ALIASES) as [Column, readonly string[]][]) {
      if (index[col] === undefined && aliases.includes(name)) index[col] = i;
    }
  });
  return index;
}

export const rowError = (row: number, code: RowErrorCode): RowError => ({ row, code, reason: bilingual(rowErrorMessages[code]) });

function parseWeight(s: string): number | null | 'bad' {
  if (!s.trim()) return null;
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(s.trim())) return 'bad';
  return Math.round(Number(s) * 1000);
}

/** Columns whose value, cut short at the end of a file, would be stored wrong without any sign. */
const CUT_SENSITIVE: ReadonlySet<Column> = new Set(REQUIRED);

/**
 * Checks rows as the decoded text arrives (push), keeping only the good rows
 * not yet taken and the row errors, never the whole file. A waybill listed
 * twice is found by the import against the store (import-manifest.ts), so no
 * set of every waybill read grows with the file either.
 */
export class ManifestReader {
  private splitter: CsvRecords | null = null;
  private header: string[] | null = null;
  private col: Partial<Record<Column, number>> = {};
  private rows: ManifestRow[] = [];
  readonly errors: RowError[] = [];
  /** Records after the header read so far (blank and bad ones included), for progress. */
  records = 0;

  push(text: string): void {
    this.splitter ??= new CsvRecords(guessDelimiter(text), (r) => this.record(r));
    this.splitter.push(text);
  }

  end(): void {
    this.splitter?.end();
    if (!this.header) throw new AppError('BAD_MANIFEST', 'empty file');
  }

  /** The good rows read since the last call. */
  take(): ManifestRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  private record(r: CsvRecord): void {
    if (!this.header) return this.readHeader(r.fields);
    this.records++;
    const checked = this.check(r);
    if (checked === null) return;
    if ('code' in checked) this.errors.push(checked);
    else this.rows.push(checked);
  }

  private readHeader(header: string[]): void {
    if (header.every((c) => !c.trim())) throw new AppError('BAD_MANIFEST', 'empty file');
    const col = mapHeader(header);
    const missing = REQUIRED.filter((c) => col[c] === undefined);
    if (missing.length) throw new AppError('BAD_MANIFEST', `missing columns: ${missing.join(', ')}`);
    this.header = header;
    this.col = col;
  }

  /**
   * A last record without a line end may have been cut anywhere. It is taken
   * only when it has every column of the header and its last value cannot
   * have lost characters unnoticed: quoted (the closing quote is there),
   * followed by further fields, or in a column where a cut harms no one
   * (item description, weight). Anything else is reported, not imported.
   */
  private isWhole(r: CsvRecord): boolean {
    const width = this.header!.length;
    if (r.terminated || r.lastQuoted || r.fields.length > width) return true;
    if (r.fields.length < width) return false;
    const last = (Object.entries(this.col) as [Column, number][]).find(([, i]) => i === width - 1)?.[0];
    return last === undefined || !CUT_SENSITIVE.has(last);
  }

  private check(r: CsvRecord): ManifestRow | RowError | null {
    const { row, fields: record } = r;
    const col = this.col;
    if (record.every((c) => !c.trim())) return null;
    if (!this.isWhole(r)) return rowError(row, 'TRUNCATED_ROW');
    // Never store a value that did not decode: U+FFFD stands for bytes that were not text.
    if (record.some((c) => c.includes('\uFFFD'))) return rowError(row, 'BAD_ENCODING');
    const cell = (c: Column): string => (col[c] === undefined ? '' : (record[col[c]!] ?? '')).trim();
    if (record.length < this.header!.length && record.length < REQUIRED.length) return rowError(row, 'WRONG_COLUMN_COUNT');
    const waybillNo = normaliseWaybill(cell('waybill_no'));
    if (!waybillNo) return rowError(row, 'MISSING_WAYBILL');
    if (!isWellFormedWaybill(waybillNo)) return rowError(row, 'BAD_WAYBILL');
    const carrier = parseCarrier(cell('carrier'));
    if (!carrier) return rowError(row, 'UNKNOWN_CARRIER');
    const name = cell('recipient_name').replace(/\s+/g, ' ');
    if (!name) return rowError(row, 'MISSING_NAME');
    if (name.length > MAX_NAME_LENGTH) return rowError(row, 'NAME_TOO_LONG');
    const phoneRaw = cell('recipient_phone');
    if (phoneRaw.length > MAX_PHONE_LENGTH) return rowError(row, 'PHONE_TOO_LONG');
    const phone = parsePhone(phoneRaw);
    if (!phone) return rowError(row, 'BAD_PHONE');
    const address = cell('recipient_address');
    if (!address) return rowError(row, 'MISSING_ADDRESS');
    if (address.length > MAX_ADDRESS_LENGTH) return rowError(row, 'ADDRESS_TOO_LONG');
    const weightG = parseWeight(cell('weight_kg'));
    if (weightG === 'bad') return rowError(row, 'BAD_WEIGHT');
    return { row, waybillNo, carrier, name, phone, address, itemDesc: cell('item_desc'), weightG };
  }
}

/** A whole manifest held in memory, parsed at once (tests, benchmarks). */
export function parseManifest(bytes: Uint8Array): ParsedManifest {
  const { text, encoding } = decodeManifest(bytes);
  const reader = new ManifestReader();
  reader.push(text);
  reader.end();
  return { encoding, rows: reader.take(), errors: reader.errors };
}
