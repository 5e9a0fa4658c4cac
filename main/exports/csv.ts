// A table as CSV for Excel: UTF-8 with a byte-order mark (without it Excel
// reads Chinese as GBK mojibake), CRLF line ends, RFC 4180 quoting. Cells that
// a spreadsheet would run as a formula get a leading apostrophe (CSV
// injection): a staff name or note starting with "=" must stay text.
import type { ExportTable } from './table';

export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** `trailer`: lines after the rows, one cell each (a signed export's key and chain heads). */
export function tableToCsv(table: ExportTable, trailer: readonly string[] = []): Uint8Array {
  const lines = [table.columns.map((c) => cell(c.header)).join(',')];
  for (const row of table.rows) lines.push(row.map(cell).join(','));
  for (const line of trailer) lines.push(cell(line));
  const body = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  const out = new Uint8Array(UTF8_BOM.length + body.length);
  out.set(UTF8_BOM, 0);
  out.set(body, UTF8_BOM.length);
  return out;
}
