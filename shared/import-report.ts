import type { Bilingual } from './errors';
import { MAX_ADDRESS_LENGTH, MAX_NAME_LENGTH, MAX_PHONE_LENGTH } from './recipient-limits';

export type RowErrorCode =
  | 'MISSING_WAYBILL'
  | 'BAD_WAYBILL'
  | 'UNKNOWN_CARRIER'
  | 'DUPLICATE_IN_FILE'
  | 'MISSING_NAME'
  | 'BAD_PHONE'
  | 'MISSING_ADDRESS'
  | 'BAD_WEIGHT'
  | 'WRONG_COLUMN_COUNT'
  | 'TRUNCATED_ROW'
  | 'BAD_ENCODING'
  | 'NAME_TOO_LONG'
  | 'PHONE_TOO_LONG'
  | 'ADDRESS_TOO_LONG';

export interface RowError {
  /** Line number as a spreadsheet shows it: the header is row 1. */
  row: number;
  code: RowErrorCode;
  /** "中文 / English", ready to print. */
  reason: string;
}

export interface ImportReport {
  imported: number;
  /** Rows already in the store (re-import of the same manifest). */
  skipped: number;
  errors: RowError[];
  encoding: 'utf-8' | 'gb18030';
}

export const rowErrorMessages: Record<RowErrorCode, Bilingual> = {
  MISSING_WAYBILL: { zh: '缺少运单号', en: 'Missing waybill number' },
  BAD_WAYBILL: { zh: '运单号格式错误', en: 'Malformed waybill number' },
  UNKNOWN_CARRIER: { zh: '未知快递公司', en: 'Unknown carrier' },
  DUPLICATE_IN_FILE: { zh: '文件内运单号重复', en: 'Duplicate waybill number in the file' },
  MISSING_NAME: { zh: '缺少收件人姓名', en: 'Missing recipient name' },
  BAD_PHONE: { zh: '电话号码无法识别', en: 'Unparseable phone number' },
  MISSING_ADDRESS: { zh: '缺少收件地址', en: 'Missing recipient address' },
  BAD_WEIGHT: { zh: '重量格式错误', en: 'Malformed weight' },
  WRONG_COLUMN_COUNT: { zh: '列数不符', en: 'Wrong number of columns' },
  TRUNCATED_ROW: { zh: '文件末行不完整，可能被截断，未导入', en: 'The last row is incomplete (the file may be cut short); not imported' },
  BAD_ENCODING: { zh: '含有无法识别的字符（文件可能损坏或被截断）', en: 'Contains characters that cannot be decoded (the file may be damaged or cut short)' },
  NAME_TOO_LONG: { zh: `收件人姓名过长（最多 ${MAX_NAME_LENGTH} 个字符）`, en: `Recipient name too long (at most ${MAX_NAME_LENGTH} characters)` },
  PHONE_TOO_LONG: { zh: `电话号码过长（最多 ${MAX_PHONE_LENGTH} 个字符）`, en: `Phone number too long (at most ${MAX_PHONE_LENGTH} characters)` },
  ADDRESS_TOO_LONG: { zh: `收件地址过长（最多 ${MAX_ADDRESS_LENGTH} 个字符）`, en: `Recipient address too long (at most ${MAX_ADDRESS_LENGTH} characters)` },
};
