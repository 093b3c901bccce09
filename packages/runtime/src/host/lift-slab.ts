/**
 * Where the lean glue puts the `list<u8>` values it lifts out of guest memory
 * (topics, payloads): small ones are copied into a shared 64 KiB slab and
 * handed out as views, so a call allocates no ArrayBuffer per list (an
 * ArrayBuffer allocation costs ~0.7 µs, two per map call). Large ones (over
 * 4 KiB, e.g. frames) get their own buffer. A slab is freed once no item
 * views it any more.
 */
const SLAB_BYTES = 64 * 1024;
const MAX_SLABBED = 4 * 1024;

const slabs = new WeakSet<ArrayBufferLike>();
let slab = newSlab();
let used = 0;

function newSlab(): ArrayBuffer {
  const b = new ArrayBuffer(SLAB_BYTES);
  slabs.add(b);
  return b;
}

/** A copy of `len` bytes of `memory` at `ptr` that no later guest call can change. */
export function liftBytes(memory: ArrayBuffer, ptr: number, len: number): Uint8Array {
  if (len > MAX_SLABBED) return new Uint8Array(memory.slice(ptr, ptr + len));
  if (used + len > SLAB_BYTES) {
    slab = newSlab();
    used = 0;
  }
  const out = new Uint8Array(slab, used, len);
  out.set(new Uint8Array(memory, ptr, len));
  used += len;
  return out;
}

/** Whether `b` is one of the slabs (its views are owned copies, not guest memory). */
export function isLiftSlab(b: ArrayBufferLike): boolean {
  return slabs.has(b);
}
