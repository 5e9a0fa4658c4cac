// The CFF subset pdfkit embeds in a label PDF, written straight from the
// font's bytes, read once per process. fontkit's own subsetter keeps every
// subroutine slot (the unused ones a bare `return`) so as not to touch the
// charstrings, and rebuilds the font through its generic table encoder: with
// the 20 073 local subroutines of this font's ideograph dict, ~15 ms, ~70 KB
// and ~50 000 small objects per label. Here only the subroutines the subset
// calls are kept, renumbered, and the calls' operands rewritten; every other
// byte of the charstrings and subroutines is copied as it is (hints and all),
// and the dictionaries token for token: a label's font is ~8 KB and draws
// exactly the shipped font's outlines.
//
// A font where a call's subroutine number is computed, not written just
// before it (legal, never seen in this font), is left to fontkit's subsetter.
import { ByteSink } from './bytes';

/** The parts of a fontkit font used here. */
export interface CffFontSource {
  stream: { buffer: Uint8Array };
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
}

/** fontkit's own subset, what pdfkit would otherwise use. */
export interface FontkitSubset {
  includeGlyph(glyph: number): number;
  encode(): Uint8Array;
}

// DICT operators (two-byte ones as 1200 + second byte).
const OP = {
  charset: 15,
  Encoding: 16,
  CharStrings: 17,
  Private: 18,
  Subrs: 19,
  UniqueID: 13,
  XUID: 14,
  ROS: 1230,
  CIDCount: 1234,
  UIDBase: 1235,
  FDArray: 1236,
  FDSelect: 1237,
} as const;
/** Standard strings take SIDs 0–390; the String INDEX starts at 391. */
const STD_STRINGS = 391;

interface DictEntry {
  op: number;
  /** Integer operands (a real number reads as NaN: only offsets and counts are looked at). */
  operands: number[];
  /** The entry as it was written: operands and operator. */
  raw: Uint8Array;
}

interface Index {
  count: number;
  /** Absolute start of each item, and the end of the last one. */
  offsets: number[];
  end: number;
}

function readIndex(b: Uint8Array, pos: number): Index {
  const count = (b[pos] << 8) | b[pos + 1];
  if (count === 0) return { count, offsets: [pos + 2], end: pos + 2 };
  const offSize = b[pos + 2];
  const base = pos + 2 + (count + 1) * offSize; // offsets count from the byte before the data
  const offsets: number[] = [];
  for (let i = 0, p = pos + 3; i <= count; i++, p += offSize) {
    let o = 0;
    for (let k = 0; k < offSize; k++) o = o * 256 + b[p + k];
    offsets.push(base + o);
  }
  return { count, offsets, end: offsets[count] };
}

const item = (b: Uint8Array, index: Index, i: number): Uint8Array => b.subarray(index.offsets[i], index.offsets[i + 1]);

function readDict(b: Uint8Array, start: number, end: number): DictEntry[] {
  const out: DictEntry[] = [];
  let operands: number[] = [];
  let from = start;
  let p = start;
  while (p < end) {
    const v = b[p];
    if (v <= 21) {
      const op = v === 12 ? 1200 + b[p + 1] : v;
      p += v === 12 ? 2 : 1;
      out.push({ op, operands, raw: b.subarray(from, p) });
      operands = [];
      from = p;
    } else if (v === 28) {
      operands.push(((b[p + 1] << 24) | (b[p + 2] << 16)) >> 16);
      p += 3;
    } else if (v === 29) {
      operands.push((b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]);
      p += 5;
    } else if (v === 30) {
      // A real: nibbles up to and including an 0xf nibble.
      p++;
      while ((b[p] & 0xf0) !== 0xf0 && (b[p] & 0x0f) !== 0x0f) p++;
      p++;
      operands.push(NaN);
    } else if (v >= 32 && v <= 246) {
      operands.push(v - 139);
      p++;
    } else if (v >= 247 && v <= 250) {
      operands.push((v - 247) * 256 + b[p + 1] + 108);
      p += 2;
    } else if (v >= 251 && v <= 254) {
      operands.push(-(v - 251) * 256 - b[p + 1] - 108);
      p += 2;
    } else {
      throw new Error(`CFF DICT: unexpected byte ${v}`);
    }
  }
  if (operands.length) throw new Error('CFF DICT: operands without an operator');
  return out;
}

const operand = (dict: DictEntry[], op: number): number[] | undefined => dict.find((e) => e.op === op)?.operands;

interface FontDict {
  /** The Font DICT without its Private entry. */
  entries: Uint8Array[];
  /** The Private DICT without its Subrs entry. */
  privateEntries: Uint8Array[];
  subrs: Index | null;
}

/** What a glyph brings into a subset. */
interface GlyphUse {
  charstring: Uint8Array;
  fd: number;
  /** The subroutines it calls, directly or through others. */
  gsubrs: number[];
  subrs: number[];
}

/** A call in a charstring or subroutine: the operand's bytes and the subroutine it names. */
interface Call {
  at: number;
  end: number;
  global: boolean;
  index: number;
}

class NotRenumberable extends Error {}

/** A Type 2 charstring number at `p`: its value and length. */
function readNumber(b: Uint8Array, p: number): [number, number] {
  const v = b[p];
  if (v === 28) return [((b[p + 1] << 24) | (b[p + 2] << 16)) >> 16, 3];
  if (v <= 246) return [v - 139, 1];
  if (v <= 250) return [(v - 247) * 256 + b[p + 1] + 108, 2];
  if (v <= 254) return [-(v - 251) * 256 - b[p + 1] - 108, 2];
  return [((b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]) / 65536, 5];
}

function charstringNumber(v: number): Uint8Array {
  if (v >= -107 && v <= 107) return Uint8Array.of(v + 139);
  if (v >= 108 && v <= 1131) return Uint8Array.of(((v - 108) >> 8) + 247, (v - 108) & 0xff);
  if (v >= -1131 && v <= -108) return Uint8Array.of(((-v - 108) >> 8) + 251, (-v - 108) & 0xff);
  return Uint8Array.of(28, (v >> 8) & 0xff, v & 0xff);
}

/** What a call's operand is added to, by the number of subroutines (Type 2 charstrings, 4.7). */
const subrBias = (count: number): number => (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

// Type 2 operators that only take their operands off the stack (path, hint and flex operators).
const CLEARING = new Set([4, 5, 6, 7, 8, 21, 22, 24, 25, 26, 27, 30, 31, 1234, 1235, 1236, 1237]);
const STEMS = new Set([1, 3, 18, 23]);

/** The shipped font's CFF table, read once. */
export class CffSource {
  readonly bytes: Uint8Array;
  private readonly nameIndex: Uint8Array;
  private readonly topEntries: Uint8Array[];
  private readonly strings: Uint8Array[];
  private readonly gsubrs: Index;
  private readonly charStrings: Index;
  private readonly fdSelect: Uint8Array;
  private readonly fonts: FontDict[];
  private readonly ros: [number, number];
  private readonly glyphs = new Map<number, GlyphUse | null>();
  /** Per charstring (`c12`) and subroutine (`g3`, `l13:400`): its calls, and its hint masks' lengths. */
  private readonly calls = new Map<string, Map<number, Call>>();
  private readonly masks = new Map<string, Map<number, number>>();

  constructor(font: CffFontSource) {
    const table = font.directory.tables['CFF '];
    if (!table) throw new Error('CFF subset: the font has no CFF table');
    const b = font.stream.buffer.subarray(table.offset, table.offset + table.length);
    this.bytes = b;
    const names = readIndex(b, b[2]);
    this.nameIndex = b.subarray(b[2], names.end);
    const tops = readIndex(b, names.end);
    const strings = readIndex(b, tops.end);
    this.strings = Array.from({ length: strings.count }, (_, i) => item(b, strings, i));
    this.gsubrs = readIndex(b, strings.end);
    const top = readDict(b, tops.offsets[0], tops.offsets[1]);
    const at = (op: number): number => {
      const v = operand(top, op)?.at(-1);
      if (v === undefined || Number.isNaN(v)) throw new Error(`CFF subset: the font is not CID-keyed (no operator ${op})`);
      return v;
    };
    if (!operand(top, OP.ROS)) throw new Error('CFF subset: the font is not CID-keyed');
    this.charStrings = readIndex(b, at(OP.CharStrings));
    this.fdSelect = readFdSelect(b, at(OP.FDSelect), this.charStrings.count);
    const fdArray = readIndex(b, at(OP.FDArray));
    this.fonts = Array.from({ length: fdArray.count }, (_, i) => {
      const dict = readDict(b, fdArray.offsets[i], fdArray.offsets[i + 1]);
      const [size, offset] = operand(dict, OP.Private) ?? [0, 0];
      const priv = readDict(b, offset, offset + size);
      const subrsAt = operand(priv, OP.Subrs)?.[0];
      return {
        entries: dict.filter((e) => e.op !== OP.Private).map((e) => e.raw),
        privateEntries: priv.filter((e) => e.op !== OP.Subrs).map((e) => e.raw),
        subrs: subrsAt === undefined ? null : readIndex(b, offset + subrsAt),
      };
    });
    // Dropped: what locates the full font's tables (rewritten), and its unique ids (a subset is another font).
    const rewritten = new Set<number>([
      OP.ROS, OP.charset, OP.Encoding, OP.CharStrings, OP.Private, OP.FDArray, OP.FDSelect, OP.CIDCount, OP.UniqueID, OP.XUID, OP.UIDBase,
    ]);
    this.topEntries = top.filter((e) => !rewritten.has(e.op)).map((e) => e.raw);
    this.ros = [this.sid('Adobe'), this.sid('Identity')];
  }

  /** A string's SID, appending it to the String INDEX when the font does not have it. */
  private sid(text: string): number {
    const bytes = new TextEncoder().encode(text);
    let i = this.strings.findIndex((s) => Buffer.compare(s, bytes) === 0);
    if (i < 0) i = this.strings.push(bytes) - 1;
    return STD_STRINGS + i;
  }

  /** What a glyph brings, or null when its calls cannot be renumbered. */
  private use(gid: number): GlyphUse | null {
    let u = this.glyphs.get(gid);
    if (u === undefined) {
      const walked = this.walk(gid);
      u = walked && { charstring: item(this.bytes, this.charStrings, gid), fd: this.fdSelect[gid], ...walked };
      this.glyphs.set(gid, u);
    }
    return u;
  }

  /**
   * Runs through a glyph's charstring and the subroutines it calls as a
   * rasteriser would, keeping only the stack's depth, the stem count (which
   * sets the length of a hint mask) and the calls' operands; null where the
   * font does what a renumbering could not follow: a subroutine number that
   * is computed rather than written before the call, a global subroutine
   * calling a local one, a hint mask read at two lengths.
   */
  private walk(gid: number): { gsubrs: number[]; subrs: number[] } | null {
    const fd = this.fdSelect[gid];
    const local = this.fonts[fd]?.subrs ?? null;
    const gsubrs = new Set<number>();
    const subrs = new Set<number>();
    const stack: { key: string; at: number; end: number; value: number }[] = [];
    let stems = 0;
    const run = (key: string, code: Uint8Array, depth: number): 'return' | 'endchar' => {
      if (depth > 10) throw new NotRenumberable('subroutines nested too deep');
      let sites = this.calls.get(key);
      if (!sites) this.calls.set(key, (sites = new Map()));
      let masks = this.masks.get(key);
      if (!masks) this.masks.set(key, (masks = new Map()));
      let p = 0;
      while (p < code.length) {
        const v = code[p];
        if (v === 28 || v >= 32) {
          const [value, length] = readNumber(code, p);
          stack.push({ key, at: p, end: p + length, value });
          p += length;
          continue;
        }
        const at = p;
        const op = v === 12 ? 1200 + code[p + 1] : v;
        p += v === 12 ? 2 : 1;
        if (STEMS.has(op)) {
          stems += stack.length >> 1;
          stack.length = 0;
        } else if (op === 19 || op === 20) {
          // hintmask, cntrmask: operands left on the stack are vstems; then a bit per stem.
          stems += stack.length >> 1;
          stack.length = 0;
          const length = (stems + 7) >> 3;
          if ((masks.get(at) ?? length) !== length) throw new NotRenumberable('a hint mask read at two lengths');
          masks.set(at, length);
          p += length;
        } else if (op === 10 || op === 29) {
          const global = op === 29;
          const operand = stack.pop();
          if (!operand || operand.key !== key || operand.end !== at || !Number.isInteger(operand.value)) {
            throw new NotRenumberable('a subroutine number not written before its call');
          }
          if (!global && key.startsWith('g')) throw new NotRenumberable('a global subroutine calling a local one');
          const index = global ? this.gsubrs : local;
          const i = index ? operand.value + subrBias(index.count) : -1;
          if (!index || i < 0 || i >= index.count) throw new Error(`CFF subset: glyph ${gid} calls a subroutine the font does not have`);
          const known = sites.get(operand.at);
          if (known && (known.index !== i || known.global !== global)) throw new NotRenumberable('a call read two ways');
          sites.set(operand.at, { at: operand.at, end: operand.end, global, index: i });
          (global ? gsubrs : subrs).add(i);
          if (run(global ? `g${i}` : `l${fd}:${i}`, item(this.bytes, index, i), depth + 1) === 'endchar') return 'endchar';
        } else if (op === 11) {
          return 'return';
        } else if (op === 14) {
          return 'endchar';
        } else if (CLEARING.has(op)) {
          stack.length = 0;
        } else {
          throw new NotRenumberable(`operator ${op}`); // arithmetic, storage, CFF2
        }
      }
      return 'return';
    };
    try {
      run(`c${gid}`, item(this.bytes, this.charStrings, gid), 0);
    } catch (e) {
      if (e instanceof NotRenumberable) return null;
      throw e;
    }
    return { gsubrs: [...gsubrs], subrs: [...subrs] };
  }

  /** A charstring or subroutine with its calls' operands as `renumbered` gives them (null: left as it is, never reached in this subset). */
  private rewrite(key: string, code: Uint8Array, renumbered: (c: Call) => number | null): Uint8Array {
    const sites = this.calls.get(key);
    if (!sites?.size) return code;
    const out = new ByteSink();
    let last = 0;
    for (const c of [...sites.values()].sort((a, b) => a.at - b.at)) {
      const v = renumbered(c);
      if (v === null) continue;
      out.bytes(code.subarray(last, c.at), charstringNumber(v));
      last = c.end;
    }
    return out.bytes(code.subarray(last)).toBytes();
  }

  /**
   * A CID-keyed CFF of `gids` (the first must be 0, .notdef), glyph i of the
   * subset CID i; null when a glyph's calls cannot be renumbered (never in the
   * shipped font: every one of its glyphs can).
   */
  encode(gids: readonly number[]): Uint8Array | null {
    const b = this.bytes;
    const maybe = gids.map((g) => this.use(g));
    if (maybe.some((u) => !u)) return null;
    const uses = maybe as GlyphUse[];
    const fdMap = new Map<number, number>();
    for (const u of uses) if (!fdMap.has(u.fd)) fdMap.set(u.fd, fdMap.size);
    const usedFds = [...fdMap.keys()];

    const n = gids.length;
    // Only the subroutines called, numbered anew in their old order, and every call's operand rewritten.
    const numbering = (used: Iterable<number>) => {
      const list = [...new Set(used)].sort((x, y) => x - y);
      return { list, bias: subrBias(list.length), index: new Map(list.map((old, i) => [old, i])) };
    };
    const global = numbering(uses.flatMap((u) => u.gsubrs));
    const byFd = usedFds.map((fd) => numbering(uses.flatMap((u) => (u.fd === fd ? u.subrs : []))));
    const renumbered = (fd: number) => (c: Call) => {
      const to = c.global ? global : byFd[fdMap.get(fd)!];
      const i = to.index.get(c.index);
      return i === undefined ? null : i - to.bias;
    };
    const charstrings = uses.map((u, i) => this.rewrite(`c${gids[i]}`, u.charstring, renumbered(u.fd)));
    const gsubrs = global.list.map((i) => this.rewrite(`g${i}`, item(b, this.gsubrs, i), renumbered(-1)));
    const locals = usedFds.map((fd, k) => {
      const subrs = this.fonts[fd].subrs;
      if (!subrs || !byFd[k].list.length) return null;
      return byFd[k].list.map((i) => this.rewrite(`l${fd}:${i}`, item(b, subrs, i), renumbered(fd)));
    });
    const privates = usedFds.map((fd, k) => {
      const f = this.fonts[fd];
      const subrs = locals[k];
      const size = sum(f.privateEntries) + (subrs ? INT5 + 1 : 0);
      return { f, subrs, size, subrsSize: subrs ? indexSize(subrs) : 0 };
    });
    const fdDicts = privates.map((p) => sum(p.f.entries) + 2 * INT5 + 1);

    // Offsets are written as 5-byte integers, so the sizes are known before them.
    const topSize = dictIntSize(this.ros[0]) + dictIntSize(this.ros[1]) + dictIntSize(0) + 2 + sum(this.topEntries) +
      dictIntSize(n) + 2 + 4 * INT5 + 1 + 1 + 2 + 2;
    const topIndexSize = indexSizeOf([topSize]);
    const nameAt = 4;
    const topAt = nameAt + this.nameIndex.length;
    const stringsAt = topAt + topIndexSize;
    const gsubrsAt = stringsAt + indexSize(this.strings);
    const charsetAt = gsubrsAt + indexSize(gsubrs);
    const fdSelectAt = charsetAt + 1 + 2 * (n - 1);
    const charStringsAt = fdSelectAt + 1 + n;
    const fdArrayAt = charStringsAt + indexSize(charstrings);
    let privateAt = fdArrayAt + indexSizeOf(fdDicts);
    const privateOffsets = privates.map((p) => {
      const at = privateAt;
      privateAt += p.size + p.subrsSize;
      return at;
    });

    const w = new Writer(privateAt);
    w.bytes(Uint8Array.of(1, 0, 4, 4)); // version 1.0, 4-byte header, 4-byte absolute offsets
    w.bytes(this.nameIndex);
    w.indexHeader([topSize]);
    w.dictInt(this.ros[0]).dictInt(this.ros[1]).dictInt(0).bytes(Uint8Array.of(12, 30));
    for (const e of this.topEntries) w.bytes(e);
    w.dictInt(n).bytes(Uint8Array.of(12, 34));
    // CharStrings before FDSelect: readers such as fontkit size FDSelect by the CharStrings already read.
    w.int5(charsetAt).op(OP.charset);
    w.int5(charStringsAt).op(OP.CharStrings);
    w.int5(fdSelectAt).bytes(Uint8Array.of(12, 37));
    w.int5(fdArrayAt).bytes(Uint8Array.of(12, 36));
    w.index(this.strings);
    w.index(gsubrs);
    w.u8(0); // charset format 0: glyph i is CID i
    for (let i = 1; i < n; i++) w.u16(i);
    w.u8(0); // FDSelect format 0: one byte a glyph
    for (const u of uses) w.u8(fdMap.get(u.fd)!);
    w.index(charstrings);
    w.indexHeader(fdDicts);
    privates.forEach((p, k) => {
      for (const e of p.f.entries) w.bytes(e);
      w.int5(p.size).int5(privateOffsets[k]).op(OP.Private);
    });
    for (const p of privates) {
      for (const e of p.f.privateEntries) w.bytes(e);
      if (p.subrs) {
        w.int5(p.size).op(OP.Subrs); // from the start of the Private DICT: right after it
        w.index(p.subrs);
      }
    }
    return w.done();
  }
}

function readFdSelect(b: Uint8Array, pos: number, glyphs: number): Uint8Array {
  const out = new Uint8Array(glyphs);
  if (b[pos] === 0) {
    out.set(b.subarray(pos + 1, pos + 1 + glyphs));
  } else if (b[pos] === 3) {
    const ranges = (b[pos + 1] << 8) | b[pos + 2];
    for (let r = 0; r < ranges; r++) {
      const p = pos + 3 + 3 * r;
      const first = (b[p] << 8) | b[p + 1];
      const next = (b[p + 3] << 8) | b[p + 4]; // the next range's first glyph, or the sentinel
      out.fill(b[p + 2], first, next);
    }
  } else {
    throw new Error(`CFF subset: FDSelect format ${b[pos]}`);
  }
  return out;
}

const INT5 = 5;
const sum = (parts: readonly (Uint8Array | number)[]): number =>
  parts.reduce<number>((a, p) => a + (typeof p === 'number' ? p : p.length), 0);
const offSizeFor = (dataLength: number): number => (dataLength < 0x100 ? 1 : dataLength < 0x10000 ? 2 : dataLength < 0x1000000 ? 3 : 4);
function indexSizeOf(lengths: readonly number[]): number {
  if (!lengths.length) return 2;
  const data = sum(lengths);
  return 3 + (lengths.length + 1) * offSizeFor(data + 1) + data;
}
const indexSize = (items: readonly Uint8Array[]): number => indexSizeOf(items.map((i) => i.length));
const dictIntSize = (v: number): number =>
  v >= -107 && v <= 107 ? 1 : v >= -1131 && v <= 1131 ? 2 : v >= -32768 && v <= 32767 ? 3 : 5;

class Writer {
  private readonly out: Uint8Array;
  private at = 0;

  constructor(size: number) {
    this.out = new Uint8Array(size);
  }

  u8(v: number): this {
    this.out[this.at++] = v;
    return this;
  }

  u16(v: number): this {
    return this.u8(v >> 8).u8(v & 0xff);
  }

  bytes(b: Uint8Array): this {
    this.out.set(b, this.at);
    this.at += b.length;
    return this;
  }

  op(op: number): this {
    return this.u8(op);
  }

  int5(v: number): this {
    return this.u8(29).u8(v >>> 24).u8((v >>> 16) & 0xff).u8((v >>> 8) & 0xff).u8(v & 0xff);
  }

  /** A DICT integer in its shortest form. */
  dictInt(v: number): this {
    if (v >= -107 && v <= 107) return this.u8(v + 139);
    if (v >= 108 && v <= 1131) return this.u8(((v - 108) >> 8) + 247).u8((v - 108) & 0xff);
    if (v >= -1131 && v <= -108) return this.u8(((-v - 108) >> 8) + 251).u8((-v - 108) & 0xff);
    if (v >= -32768 && v <= 32767) return this.u8(28).u16(v & 0xffff);
    return this.int5(v);
  }

  /** An INDEX's count, offset size and offsets; the data is written next. */
  indexHeader(lengths: readonly number[]): this {
    this.u16(lengths.length);
    if (!lengths.length) return this;
    const offSize = offSizeFor(sum(lengths) + 1);
    this.u8(offSize);
    let offset = 1;
    const put = (o: number) => {
      for (let k = offSize - 1; k >= 0; k--) this.u8((o >>> (8 * k)) & 0xff);
    };
    put(offset);
    for (const l of lengths) put((offset += l));
    return this;
  }

  index(items: readonly Uint8Array[]): this {
    this.indexHeader(items.map((i) => i.length));
    for (const i of items) this.bytes(i);
    return this;
  }

  done(): Uint8Array {
    if (this.at !== this.out.length) throw new Error(`CFF subset: wrote ${this.at} of ${this.out.length} bytes`);
    return this.out;
  }
}

/** What pdfkit asks of a font's subset: glyph ids in, a CFF out. */
export class CffSubset {
  /** pdfkit embeds a subset with a `cff` as CIDFontType0C. */
  readonly cff = true;
  readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();

  /** `fontkit`: the subset fontkit makes, for a font whose calls cannot be renumbered. */
  constructor(
    private readonly source: CffSource,
    private readonly fontkit: () => FontkitSubset,
  ) {
    this.includeGlyph(0);
  }

  includeGlyph(glyph: number | { id: number }): number {
    const gid = typeof glyph === 'number' ? glyph : glyph.id;
    let i = this.mapping.get(gid);
    if (i === undefined) {
      i = this.glyphs.push(gid) - 1;
      this.mapping.set(gid, i);
    }
    return i;
  }

  encode(): Uint8Array {
    const ours = this.source.encode(this.glyphs);
    if (ours) return ours;
    const theirs = this.fontkit();
    for (const g of this.glyphs) theirs.includeGlyph(g);
    return theirs.encode();
  }
}
