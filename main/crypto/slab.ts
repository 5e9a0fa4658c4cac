// Many small byte arrays carved out of a few large ones. Every typed array
// with its own ArrayBuffer costs an allocation outside the JavaScript heap and
// work for the garbage collector; sealing an import makes six per row. Views
// into a shared slab cost neither (SQLite binds a view's own bytes).
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
