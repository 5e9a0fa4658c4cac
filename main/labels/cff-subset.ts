// The CFF subset pdfkit embeds in a label PDF, written straight from bytes
// read once per process. fontkit's own subsetter produces the same font
// (CID-keyed, identity charset, every subroutine slot kept, the unused ones
// reduced to a bare `return`), but it rebuilds it through its generic table
// encoder: with this font's 20 073 local subroutines in the CJK font dict that
// was ~15 ms and ~50 000 small objects per label. Here the charstrings and
// subroutines are copied byte for byte and the dictionaries token for token,
// so the glyphs drawn are exactly those of the shipped font.
//
// Which subroutines a glyph calls comes from fontkit's charstring interpreter
// (it records them while parsing the outline, for its own subsetter); that is
// the one fontkit internal used, and its absence is reported, not guessed at.

/** The parts of a fontkit font and glyph used here. */
export interface CffFontSource {
  stream: { buffer: Uint8Array };
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  getGlyph(gid: number): { path: unknown; _usedGsubrs?: Record<string, true>; _usedSubrs?: Record<string, true> };
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
const RETURN = Uint8Array.of(11);
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
  gsubrs: number[];
  subrs: number[];
}

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
  private readonly glyphs = new Map<number, GlyphUse>();

  constructor(private readonly font: CffFontSource) {
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

  get glyphCount(): number {
    return this.charStrings.count;
  }

  private use(gid: number): GlyphUse {
    let u = this.glyphs.get(gid);
    if (!u) {
      const glyph = this.font.getGlyph(gid);
      void glyph.path; // parsing the outline records the subroutines it calls
      if (!glyph._usedGsubrs || !glyph._usedSubrs) throw new Error('CFF subset: fontkit no longer records the subroutines a glyph uses');
      u = {
        charstring: item(this.bytes, this.charStrings, gid),
        fd: this.fdSelect[gid],
        gsubrs: Object.keys(glyph._usedGsubrs).map(Number),
        subrs: Object.keys(glyph._usedSubrs).map(Number),
      };
      this.glyphs.set(gid, u);
    }
    return u;
  }

  /** A CID-keyed CFF of `gids` (the first must be 0, .notdef): glyph i of the subset is CID i. */
  encode(gids: readonly number[]): Uint8Array {
    const b = this.bytes;
    const uses = gids.map((g) => this.use(g));
    const fdMap = new Map<number, number>();
    for (const u of uses) if (!fdMap.has(u.fd)) fdMap.set(u.fd, fdMap.size);
    const usedFds = [...fdMap.keys()];

    const usedG = new Uint8Array(this.gsubrs.count);
    const usedL = usedFds.map((fd) => new Uint8Array(this.fonts[fd].subrs?.count ?? 0));
    for (const u of uses) {
      for (const i of u.gsubrs) usedG[i] = 1;
      const used = usedL[fdMap.get(u.fd)!];
      for (const i of u.subrs) used[i] = 1;
    }
    const n = gids.length;
    const gsubrs = subrIndex(this.gsubrs, usedG);
    const privates = usedFds.map((fd, k) => {
      const f = this.fonts[fd];
      const subrs = f.subrs ? subrIndex(f.subrs, usedL[k]) : null;
      const size = sum(f.privateEntries) + (subrs ? INT5 + 1 : 0);
      return { f, subrs, size, subrsSize: subrs?.size ?? 0 };
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
    const charsetAt = gsubrsAt + gsubrs.size;
    const fdSelectAt = charsetAt + 1 + 2 * (n - 1);
    const charStringsAt = fdSelectAt + 1 + n;
    const charstrings = uses.map((u) => u.charstring);
    const fdArrayAt = charStringsAt + indexSize(charstrings);
    let privateAt = fdArrayAt + indexSizeOf(fdDicts);
    const privateOffsets = privates.map((p) => {
      const at = privateAt;
      privateAt += p.size + p.subrsSize;
      return at;
    });

    const w = new Writer(privateAt, b);
    w.bytes(Uint8Array.of(1, 0, 4, 4)); // version 1.0, 4-byte header, 4-byte absolute offsets
    w.bytes(this.nameIndex);
    w.indexHeader([topSize]);
    w.dictInt(this.ros[0]).dictInt(this.ros[1]).dictInt(0).bytes(Uint8Array.of(12, 30));
    for (const e of this.topEntries) w.bytes(e);
    w.dictInt(n).bytes(Uint8Array.of(12, 34));
    w.int5(charsetAt).op(OP.charset);
    w.int5(fdSelectAt).bytes(Uint8Array.of(12, 37));
    w.int5(charStringsAt).op(OP.CharStrings);
    w.int5(fdArrayAt).bytes(Uint8Array.of(12, 36));
    w.index(this.strings);
    w.subrs(gsubrs);
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
        w.subrs(p.subrs);
      }
    }
    return w.done();
  }
}

/**
 * A subroutine INDEX keeping the numbers of the subroutines a subset calls:
 * the others become a bare `return`, and those past the last one called are
 * left off, down to the count below which the bias that turns a call's
 * operand into an index would change (107 under 1 240, 1 131 under 33 900).
 */
interface SubrIndex {
  source: Index;
  used: Uint8Array;
  count: number;
  offSize: number;
  dataSize: number;
  size: number;
}

function subrIndex(source: Index, used: Uint8Array): SubrIndex {
  const floor = source.count < 1240 ? 0 : source.count < 33900 ? 1240 : 33900;
  let last = -1;
  let dataSize = 0;
  for (let i = 0; i < source.count; i++) {
    if (!used[i]) continue;
    last = i;
    dataSize += source.offsets[i + 1] - source.offsets[i];
  }
  const count = Math.max(last + 1, floor);
  let unused = count;
  for (let i = 0; i <= last; i++) unused -= used[i];
  dataSize += unused * RETURN.length;
  const offSize = offSizeFor(dataSize + 1);
  return { source, used, count, offSize, dataSize, size: count ? 3 + (count + 1) * offSize + dataSize : 2 };
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

  /** `source`: the CFF table the subroutines are copied from. */
  constructor(
    size: number,
    private readonly source: Uint8Array,
  ) {
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

  subrs(x: SubrIndex): this {
    const { source, used, count, offSize } = x;
    const out = this.out;
    this.u16(count);
    if (!count) return this;
    this.u8(offSize);
    let p = this.at;
    let data = p + (count + 1) * offSize;
    let offset = 1;
    for (let i = 0; i <= count; i++) {
      for (let k = offSize - 1; k >= 0; k--) out[p++] = (offset >>> (8 * k)) & 0xff;
      if (i === count) break;
      if (used[i]) {
        const from = source.offsets[i];
        const to = source.offsets[i + 1];
        out.set(this.source.subarray(from, to), data);
        data += to - from;
        offset += to - from;
      } else {
        out[data++] = RETURN[0];
        offset += 1;
      }
    }
    this.at = data;
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

  constructor(private readonly source: CffSource) {
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
    return this.source.encode(this.glyphs);
  }
}
