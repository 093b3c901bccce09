import { describe, expect, it } from 'vitest';
import { capMemory, definedMemoryMaxima, WASM_PAGE } from './memory-limit.ts';

/** A core module defining one memory (min 1 page, optional max) and exporting `grow(pages) -> old size or -1`. */
function moduleWithMemory(max?: number): Uint8Array<ArrayBuffer> {
  const limits = max === undefined ? [0x00, 0x01] : [0x01, 0x01, max];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type: (i32) -> i32
    0x03, 0x02, 0x01, 0x00, // func 0 has type 0
    0x05, 1 + limits.length, 0x01, ...limits, // memory section
    0x07, 0x08, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, // export "grow" func 0
    0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, // local.get 0; memory.grow 0
  ]);
}

async function growBy(module: Uint8Array<ArrayBuffer>, pages: number): Promise<number> {
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(module));
  return (instance.exports.grow as (n: number) => number)(pages);
}

describe('capMemory', () => {
  it('adds a maximum to a memory without one, and memory.grow past it fails', async () => {
    const capped = capMemory(moduleWithMemory(), 4);
    expect(definedMemoryMaxima(capped)).toEqual([4]);
    expect(await growBy(capped, 3)).toBe(1);
    expect(await growBy(capped, 4)).toBe(-1);
    // Unchanged module: the same growth succeeds.
    expect(await growBy(moduleWithMemory(), 4)).toBe(1);
  });

  it('lowers a larger maximum and keeps a smaller one', () => {
    expect(definedMemoryMaxima(capMemory(moduleWithMemory(100), 10))).toEqual([10]);
    expect(definedMemoryMaxima(capMemory(moduleWithMemory(3), 10))).toEqual([3]);
  });

  it('never sets the maximum below the minimum', () => {
    expect(definedMemoryMaxima(capMemory(moduleWithMemory(), 0))).toEqual([1]);
  });

  it('leaves a module without a memory section as it is', () => {
    const bare = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(capMemory(bare, 4)).toBe(bare);
    expect(WASM_PAGE).toBe(65536);
  });
});
