/**
 * Caps the linear memory a core module defines by rewriting the maximum in
 * its memory section. An operator that allocates without bound then sees
 * `memory.grow` fail, its allocator aborts (a trap), and the runtime
 * re-instantiates it, instead of the process growing until the machine runs
 * out. Imported memories are left alone: they are capped where defined.
 */
export const WASM_PAGE = 64 * 1024;

const MEMORY_SECTION = 5;

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    if (i >= bytes.length) throw new Error('truncated LEB128 in a wasm module');
    const b = bytes[i++]!;
    value += (b & 0x7f) * scale;
    if (!(b & 0x80)) return { value, next: i };
    scale *= 128;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** The module with every defined memory's maximum set to at most `maxPages` (never below its minimum). */
export function capMemory(module: Uint8Array<ArrayBuffer>, maxPages: number): Uint8Array<ArrayBuffer> {
  if (module.length < 8 || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) return module;
  let at = 8;
  while (at < module.length) {
    const id = module[at]!;
    const size = readLeb(module, at + 1);
    const start = size.next;
    const end = start + size.value;
    if (id === MEMORY_SECTION) {
      const content = rewriteMemories(module.subarray(start, end), maxPages);
      const header = [MEMORY_SECTION, ...leb(content.length)];
      const out = new Uint8Array(at + header.length + content.length + (module.length - end));
      out.set(module.subarray(0, at), 0);
      out.set(header, at);
      out.set(content, at + header.length);
      out.set(module.subarray(end), at + header.length + content.length);
      return out;
    }
    at = end;
  }
  return module;
}

function rewriteMemories(section: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  const count = readLeb(section, 0);
  const out: number[] = [...leb(count.value)];
  let at = count.next;
  for (let n = 0; n < count.value; n++) {
    const flags = section[at++]!;
    const min = readLeb(section, at);
    at = min.next;
    let max: number | undefined;
    if (flags & 1) {
      const m = readLeb(section, at);
      max = m.value;
      at = m.next;
    }
    const capped = Math.max(min.value, Math.min(max ?? Infinity, maxPages));
    // Bit 0: a maximum is present; the other bits (shared, 64-bit) stay as they were.
    out.push(flags | 1, ...leb(min.value), ...leb(capped));
  }
  return Uint8Array.from(out);
}

/** The maximum (in pages) of each memory a module defines; for tests and diagnostics. */
export function definedMemoryMaxima(module: Uint8Array): (number | undefined)[] {
  let at = 8;
  while (at < module.length) {
    const id = module[at]!;
    const size = readLeb(module, at + 1);
    if (id === MEMORY_SECTION) {
      const s = module.subarray(size.next, size.next + size.value);
      const count = readLeb(s, 0);
      const out: (number | undefined)[] = [];
      let p = count.next;
      for (let n = 0; n < count.value; n++) {
        const flags = s[p++]!;
        p = readLeb(s, p).next;
        if (flags & 1) {
          const m = readLeb(s, p);
          out.push(m.value);
          p = m.next;
        } else out.push(undefined);
      }
      return out;
    }
    at = size.next + size.value;
  }
  return [];
}
