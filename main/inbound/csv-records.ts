// Splitting CSV text into records as it arrives, chunk by chunk (RFC 4180:
// quoted fields may hold delimiters, line ends and doubled quotes). Unlike a
// whole-file parser it also tells whether the last record ended with a line
// end and whether its last field was closed by a quote: what a cut file loses.
import { AppError } from '../../shared/errors';

export interface CsvRecord {
  /** Spreadsheet row: the first record is row 1; a quoted multi-line cell stays in one row. */
  row: number;
  fields: string[];
  /** Ended by a line end (only the last record of a file may not be). */
  terminated: boolean;
  /** The last field was quoted, so its closing quote shows it is whole. */
  lastQuoted: boolean;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const DELIMITERS = [',', '\t', ';', '|'];

/** The delimiter used most in the header line (outside quotes); a comma when none is. */
export function guessDelimiter(headerText: string): string {
  const line = headerText.split(/\r?\n|\r/, 1)[0].replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = line.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: a doubled quote or the field's end. */
  QuoteInQuoted,
}

export class CsvRecords {
  private readonly delimiter: number;
  private fields: string[] = [];
  /** The current field's text from earlier chunks. */
  private field = '';
  private state = State.FieldStart;
  private quoted = false;
  /** The previous chunk ended with CR: a LF opening this one belongs to it. */
  private afterCr = false;
  private row = 0;

  constructor(delimiter: string, private readonly onRecord: (r: CsvRecord) => void) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(text: string): void {
    const n = text.length;
    let i = 0;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    let start = i;
    let state = this.state;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (state === State.FieldStart) {
        if (c === QUOTE) {
          state = State.Quoted;
          this.quoted = true;
          start = i + 1;
          continue;
        }
        state = State.Unquoted;
        this.quoted = false;
        start = i;
      }
      if (state === State.Unquoted) {
        if (c === this.delimiter) {
          this.endField(this.field + text.slice(start, i));
          state = State.FieldStart;
        } else if (c === LF || c === CR) {
          this.endField(this.field + text.slice(start, i));
          i = this.endRecord(text, i);
          state = State.FieldStart;
        }
      } else if (state === State.Quoted) {
        if (c === QUOTE) {
          this.field += text.slice(start, i);
          state = State.QuoteInQuoted;
        }
      } else if (c === QUOTE) {
        this.field += '"';
        start = i + 1;
        state = State.Quoted;
      } else if (c === this.delimiter) {
        this.endField(this.field);
        state = State.FieldStart;
      } else if (c === LF || c === CR) {
        this.endField(this.field);
        i = this.endRecord(text, i);
        state = State.FieldStart;
      } else {
        throw new AppError('BAD_MANIFEST', `row ${this.row + 1}: InvalidQuotes`);
      }
    }
    if (state === State.Unquoted || state === State.Quoted) this.field += text.slice(start);
    this.state = state;
  }

  /** The end of the text: a last record without a line end is handed on, marked so. */
  end(): void {
    if (this.state === State.Quoted) throw new AppError('BAD_MANIFEST', `row ${this.row + 1}: MissingQuotes`);
    if (this.state === State.FieldStart && this.fields.length === 0) return;
    const lastQuoted = this.state === State.QuoteInQuoted;
    this.endField(this.field);
    this.onRecord({ row: ++this.row, fields: this.fields, terminated: false, lastQuoted });
    this.fields = [];
  }

  private endField(value: string): void {
    this.fields.push(value);
    this.field = '';
  }

  /** Hands on the record ended by the line end at `i`; returns the index of the line end's last character. */
  private endRecord(text: string, i: number): number {
    this.onRecord({ row: ++this.row, fields: this.fields, terminated: true, lastQuoted: this.quoted });
    this.fields = [];
    if (text.charCodeAt(i) !== CR) return i;
    if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? i + 1 : i;
    this.afterCr = true;
    return i;
  }
}
