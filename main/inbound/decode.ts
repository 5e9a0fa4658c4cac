// Carrier manifests come as UTF-8 (with or without BOM) or, when exported
// from Excel on a Chinese Windows PC, as GBK/GB18030. The encoding is decided
// by the file as a whole, in a first pass over its bytes: GBK text is invalid
// UTF-8 at nearly every Chinese character, while a UTF-8 file cut short (head -c,
// an interrupted download) is invalid only at its last, incomplete character,
// and one damaged byte spoils one character, not the file. Whatever does not
// decode cleanly becomes U+FFFD, which the row checks refuse (manifest.ts).
export type ManifestEncoding = 'utf-8' | 'gb18030';

/** Invalid sequences a UTF-8 file may contain per valid multi-byte character, at most (damage, not another encoding). */
const DAMAGE_RATIO = 8;

/**
 * Counts, over a stream of chunks, the well-formed multi-byte UTF-8 characters
 * and the invalid sequences (an incomplete character at the very end is not
 * counted: that is a cut, not another encoding). Also counts records: line
 * ends outside double quotes (0x0A and 0x22 never occur inside a GB18030 or
 * UTF-8 multi-byte character), for progress.
 */
export class EncodingSniffer {
  private multibyte = 0;
  private invalid = 0;
  /** Continuation bytes still expected by the character being read, and how many it has. */
  private need = 0;
  private lineEnds = 0;
  private quoted = false;
  private last = 0x0a;
  private bytes = 0;

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let { need, multibyte, invalid, lineEnds, quoted } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) lineEnds++;
      if (need > 0) {
        if ((b & 0xc0) === 0x80) {
          if (--need === 0) multibyte++;
          continue;
        }
        invalid++;
        need = 0;
      }
      if (b < 0x80) continue;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) need = 2;
      else if (b >= 0xf0 && b <= 0xf4) need = 3;
      else invalid++;
    }
    if (chunk.length) this.last = chunk[chunk.length - 1];
    Object.assign(this, { need, multibyte, invalid, lineEnds, quoted });
  }

  get encoding(): ManifestEncoding {
    return this.invalid === 0 || this.multibyte >= DAMAGE_RATIO * this.invalid ? 'utf-8' : 'gb18030';
  }

  /** Records in the file (header included), counting a last line without a line end. */
  get records(): number {
    return this.lineEnds + (this.bytes > 0 && this.last !== 0x0a ? 1 : 0);
  }
}

/** Decodes chunk by chunk; never throws: what does not decode becomes U+FFFD. */
export function manifestDecoder(encoding: ManifestEncoding): { decode(chunk: Uint8Array): string; end(): string } {
  // The BOM is dropped by the decoder (ignoreBOM: false).
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  return { decode: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
}

/** Decodes a whole manifest held in memory. */
export function decodeManifest(bytes: Uint8Array): { text: string; encoding: ManifestEncoding } {
  const sniffer = new EncodingSniffer();
  sniffer.push(bytes);
  const { encoding } = sniffer;
  const decoder = manifestDecoder(encoding);
  return { text: decoder.decode(bytes) + decoder.end(), encoding };
}
