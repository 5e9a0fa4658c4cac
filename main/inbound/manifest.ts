// Parsing and checking a carrier manifest, row by row. Nothing here touches
// the store: good rows and bad rows come back separately.
import Papa from 'papaparse';
import { AppError, bilingual } from '../../shared/errors';
import { rowErrorMessages, type RowError, type RowErrorCode } from '../../shared/import-report';
import type { Carrier } from '../../shared/parcel';
import { parsePhone, type ParsedPhone } from '../../shared/phone';
import { isWellFormedWaybill, normaliseWaybill, parseCarrier } from '../../shared/waybill';
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

const rowError = (row: number, code: RowErrorCode): RowError => ({ row, code, reason: bilingual(rowErrorMessages[code]) });

function parseWeight(s: string): number | null | 'bad' {
  if (!s.trim()) return null;
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(s.trim())) return 'bad';
  return Math.round(Number(s) * 1000);
}

export function parseManifest(bytes: Uint8Array): ParsedManifest {
  const { text, encoding } = decodeManifest(bytes);
  // Empty lines are kept while parsing so that record i is spreadsheet row i + 1
  // (Excel counts a quoted multi-line cell as one row, and so do we).
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new AppError('BAD_MANIFEST', `row ${(fatal.row ?? 0) + 1}: ${fatal.code}`);
  const records = parsed.data;
  if (records.length === 0 || records[0].every((c) => !c.trim())) throw new AppError('BAD_MANIFEST', 'empty file');
  const header = records[0];
  const col = mapHeader(header);
  const missing = REQUIRED.filter((c) => col[c] === undefined);
  if (missing.length) throw new AppError('BAD_MANIFEST', `missing columns: ${missing.join(', ')}`);

  const rows: ManifestRow[] = [];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < records.length; i++) {
    const record = records[i];
    const row = i + 1;
    if (record.every((c) => !c.trim())) continue;
    const cell = (c: Column): string => (col[c] === undefined ? '' : (record[col[c]!] ?? '')).trim();
    if (record.length < header.length && record.length < REQUIRED.length) {
      errors.push(rowError(row, 'WRONG_COLUMN_COUNT'));
      continue;
    }
    const waybillNo = normaliseWaybill(cell('waybill_no'));
    if (!waybillNo) { errors.push(rowError(row, 'MISSING_WAYBILL')); continue; }
    if (!isWellFormedWaybill(waybillNo)) { errors.push(rowError(row, 'BAD_WAYBILL')); continue; }
    const carrier = parseCarrier(cell('carrier'));
    if (!carrier) { errors.push(rowError(row, 'UNKNOWN_CARRIER')); continue; }
    const key = `${carrier}:${waybillNo}`;
    if (seen.has(key)) { errors.push(rowError(row, 'DUPLICATE_IN_FILE')); continue; }
    const name = cell('recipient_name').replace(/\s+/g, ' ');
    if (!name) { errors.push(rowError(row, 'MISSING_NAME')); continue; }
    const phone = parsePhone(cell('recipient_phone'));
    if (!phone) { errors.push(rowError(row, 'BAD_PHONE')); continue; }
    const address = cell('recipient_address');
    if (!address) { errors.push(rowError(row, 'MISSING_ADDRESS')); continue; }
    const weightG = parseWeight(cell('weight_kg'));
    if (weightG === 'bad') { errors.push(rowError(row, 'BAD_WEIGHT')); continue; }
    seen.add(key);
    rows.push({ row, waybillNo, carrier, name, phone, address, itemDesc: cell('item_desc'), weightG });
  }
  return { encoding, rows, errors };
}
