/**
 * Builds the hand-written WAT sample operator (wat/length-filter.wat) into a
 * WebAssembly component and publishes it into the embedded registry as
 * `wgs-samples/length-filter:1.0.0`: a second, non-Rust sample that also
 * imports WASI (wasi:clocks/monotonic-clock@0.2.0).
 *
 * Route: `parse` (WAT -> core module) -> `componentEmbed` (the world's WIT as a
 * string, so nothing is read through WASI and no preopen is needed) ->
 * `componentNew` (no adapter: the core module imports WASI 0.2 interfaces
 * directly, not preview1).
 *
 * Run alone with `tsx packages/operators/src/build-wat.ts`.
 */
import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { embeddedRegistry } from '@wgs/registry';
import { SAMPLE_TAG } from './samples.ts';

const here = fileURLToPath(new URL('..', import.meta.url));
const watDir = join(here, 'wat');
const witDir = fileURLToPath(new URL('../../../wit', import.meta.url));
const distDir = join(here, 'dist');

export const LENGTH_FILTER_REPOSITORY = 'wgs-samples/length-filter';
const PROCESSOR_PACKAGE = 'wasm-graph:processor@1.1.0';

/**
 * The world file plus the repository's wasm-graph:processor package, nested
 * into one WIT source (so the operator's types are the runtime's own).
 */
export async function lengthFilterWit(): Promise<string> {
  const world = await readFile(join(watDir, 'length-filter.wit'), 'utf8');
  const bodies: string[] = [];
  for (const file of (await readdir(witDir)).filter((f) => f.endsWith('.wit')).sort()) {
    const text = await readFile(join(witDir, file), 'utf8');
    const declared = /^package\s+([^;\s]+)\s*;/m.exec(text);
    if (declared && declared[1] !== PROCESSOR_PACKAGE) {
      throw new Error(`${join(witDir, file)} declares package ${declared[1]}, expected ${PROCESSOR_PACKAGE}`);
    }
    bodies.push(`// ${file}\n${declared ? text.replace(declared[0], '') : text}`);
  }
  return `${world}\npackage ${PROCESSOR_PACKAGE} {\n${bodies.join('\n')}\n}\n`;
}

/** WAT text -> component bytes for `world` of `witSource`. */
export async function watToComponent(wat: string, witSource: string, world: string): Promise<Uint8Array> {
  const core = await parse(wat);
  const embedded = await componentEmbed({ binary: core, witSource, world });
  return componentNew(embedded, []);
}

/** Builds wat/length-filter.wat into dist/length-filter.wasm. */
export async function buildLengthFilter(): Promise<{ path: string; component: Uint8Array }> {
  const wat = await readFile(join(watDir, 'length-filter.wat'), 'utf8');
  const component = await watToComponent(wat, await lengthFilterWit(), 'length-filter');
  await mkdir(distDir, { recursive: true });
  const path = join(distDir, 'length-filter.wasm');
  await writeFile(path, component);
  return { path, component };
}

/** Builds the WAT operators and pushes them into the embedded registry. */
export async function buildWat(): Promise<void> {
  const started = Date.now();
  const { path, component } = await buildLengthFilter();
  const registry = embeddedRegistry();
  const digest = await registry.push(LENGTH_FILTER_REPOSITORY, SAMPLE_TAG, { kind: 'module', content: component, fileName: 'length-filter.wasm' });
  console.log(`operators: ${LENGTH_FILTER_REPOSITORY}:${SAMPLE_TAG} ${component.length} bytes ${digest.slice(0, 19)} (WAT, ${path}, ${Date.now() - started} ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildWat();
