// Asking a label printer how it is. Each language has real-time status
// requests the printer answers even while busy or in error; a parser turns
// the reply into problems. Printers that do not answer over HID are simply
// treated as "status unknown".
import type { PrinterLanguage, PrinterProblem } from '../../shared/devices';

export interface StatusQuery {
  request: Uint8Array;
  /** The problems a reply reports; null when `reply` is not an answer to `request`. */
  parse(reply: Uint8Array): PrinterProblem[] | null;
}

/** Problem per bit (bit 0 first); null bits are states, not problems. */
type BitTable = readonly (PrinterProblem | null)[];

const problemsIn = (byte: number, table: BitTable): PrinterProblem[] =>
  table.flatMap((p, bit) => (p && byte & (1 << bit) ? [p] : []));

/** TSPL `<ESC>!?`: one byte, 0 when ready. Bit 5 is "printing": busy, which holds nothing. */
export const TSPL_STATUS_BITS: BitTable = ['head-open', 'paper-jam', 'paper-out', 'ribbon-out', 'paused', 'busy', 'cover-open', 'overheated'];

const tsplQuery: StatusQuery = {
  request: Uint8Array.of(0x1b, 0x21, 0x3f),
  parse: (reply) => (reply.length >= 1 ? problemsIn(reply[0], TSPL_STATUS_BITS) : null),
};

/** ESC/POS `DLE EOT n` (n = 1 printer, 2 offline cause, 4 paper sensor): bit tables per n. */
export const ESCPOS_STATUS_BITS: Readonly<Record<1 | 2 | 4, BitTable>> = {
  1: [null, null, null, 'offline', null, null, null, null],
  // Bit 3: paper being fed by the feed button, the busy state DLE EOT reports.
  2: [null, null, 'cover-open', 'busy', null, 'paper-out', 'error', null],
  4: [null, null, null, null, null, 'paper-out', 'paper-out', null],
};
// Every DLE EOT reply has bits 1 and 4 on and bits 0 and 7 off; anything else is not one.
const ESCPOS_FIXED_MASK = 0x93;
const ESCPOS_FIXED_BITS = 0x12;

const escposQuery = (n: 1 | 2 | 4): StatusQuery => ({
  request: Uint8Array.of(0x10, 0x04, n),
  parse: (reply) =>
    reply.length >= 1 && (reply[0] & ESCPOS_FIXED_MASK) === ESCPOS_FIXED_BITS ? problemsIn(reply[0], ESCPOS_STATUS_BITS[n]) : null,
});

export const STATUS_QUERIES: Readonly<Record<PrinterLanguage, readonly StatusQuery[]>> = {
  tspl: [tsplQuery],
  escpos: [escposQuery(1), escposQuery(2), escposQuery(4)],
};
