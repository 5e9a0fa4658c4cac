// Byte arrays without an allocation per use. Every typed array with its own
// ArrayBuffer costs an allocation outside the JavaScript heap and work for the
// garbage collector; sealing an import made several per value. Views into a
// shared slab, or a reused scratch buffer, cost neither (SQLite binds a view's
// own bytes).
export type Allocate = (length: number) => Uint8Array;

export const freshArray: Allocate = (length) => new Uint8Array(length);

const SLAB = 256 * 1024;

/** An allocator handing out views of 256 KiB slabs; a slab lives while any view of it does. */
export function slabAllocator(): Allocate {
  let slab = new Uint8Array(0);
  let used = 0;
  return (length) => {
    if (used + length > slab.length) {
      slab = new Uint8Array(Math.max(SLAB, length));
      used = 0;
    }
    const view = slab.subarray(used, used + length);
    used += length;
    return view;
  };
}

const encoder = new TextEncoder();
let utf8 = new Uint8Array(256);

/**
 * `text` as UTF-8 in a reused buffer: valid until the next call, so use it
 * before calling anything that may encode again (single-threaded; each worker
 * thread has its own).
 */
export function utf8Scratch(text: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (utf8.length < text.length * 3) utf8 = new Uint8Array(text.length * 3);
  return utf8.subarray(0, encoder.encodeInto(text, utf8).written);
}
