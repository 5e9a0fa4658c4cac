// Code 128 (sets B and C) spelled out here rather than taken from a barcode
// renderer: the layout must know the exact symbol the printer will draw to keep
// it inside the label, and ESC/POS needs the set switches ({B…{C…) written out,
// which bwip-js does not expose. Tests read the result back with ZXing.

/** Bar/space widths in modules for symbol values 0–106 (ISO/IEC 15417, table 1). */
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const CODE_C = 99;
const CODE_B = 100;
const START_B = 104;
const START_C = 105;
const STOP = 106;

export type CodeSet = 'B' | 'C';

export interface Code128Segment {
  set: CodeSet;
  text: string;
}

export interface Code128Symbol {
  data: string;
  segments: Code128Segment[];
  /** Alternating bar and space widths in modules, starting with a bar; quiet zones not included. */
  bars: number[];
  /** Total width in modules. */
  modules: number;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function digitRun(data: string, from: number): number {
  let i = from;
  while (i < data.length && isDigit(data[i])) i++;
  return i - from;
}

/**
 * Set B, switching to C for digit runs where that is shorter (the usual rule:
 * four or more digits at either end, six or more in the middle).
 */
function segment(data: string): Code128Segment[] {
  const out: Code128Segment[] = [];
  const push = (set: CodeSet, text: string) => {
    const last = out[out.length - 1];
    if (last?.set === set) last.text += text;
    else out.push({ set, text });
  };
  let i = 0;
  while (i < data.length) {
    const run = digitRun(data, i);
    const atStart = i === 0;
    const atEnd = i + run === data.length;
    const worthC = (atStart && atEnd && run === 2) || run >= (atStart || atEnd ? 4 : 6);
    if (!worthC) {
      push('B', data.slice(i, i + Math.max(run, 1)));
      i += Math.max(run, 1);
      continue;
    }
    // An odd run keeps one digit in B: the first one mid-symbol (no extra switch), the last one at the start.
    if (run % 2 && !atStart) push('B', data[i++]);
    const even = run - (run % 2);
    push('C', data.slice(i, i + even));
    i += even;
  }
  return out;
}

function symbolValues(segments: Code128Segment[]): number[] {
  const values: number[] = [segments[0].set === 'C' ? START_C : START_B];
  segments.forEach((s, k) => {
    if (k > 0) values.push(s.set === 'C' ? CODE_C : CODE_B);
    if (s.set === 'C') for (let i = 0; i < s.text.length; i += 2) values.push(Number(s.text.slice(i, i + 2)));
    else for (const c of s.text) values.push(c.charCodeAt(0) - 32);
  });
  values.push(values.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103);
  values.push(STOP);
  return values;
}

/** Printable ASCII only: waybill numbers are letters and digits. */
export function encodeCode128(data: string): Code128Symbol {
  if (!/^[\x20-\x7e]+$/.test(data)) throw new RangeError('Code 128 set B/C takes printable ASCII only');
  const segments = segment(data);
  const bars = symbolValues(segments).flatMap((v) => [...PATTERNS[v]].map(Number));
  return { data, segments, bars, modules: bars.reduce((a, b) => a + b, 0) };
}
