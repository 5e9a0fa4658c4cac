// Printer command streams are ASCII commands with GB18030 text and binary
// images mixed in; this collects them without string round trips. The PNG
// preview's chunks and the PDF font's rewritten charstrings are gathered here too.
export class ByteSink {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  bytes(...b: (number | Uint8Array)[]): this {
    for (const x of b) {
      const part = typeof x === 'number' ? Uint8Array.of(x) : x;
      this.parts.push(part);
      this.length += part.length;
    }
    return this;
  }

  /** ASCII only: command words and numbers. */
  ascii(s: string): this {
    return this.bytes(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
