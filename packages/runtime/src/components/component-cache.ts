import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODULE_OPERATION_TYPES } from '@wgs/graph-model';
import { capMemory, WASM_PAGE } from './memory-limit.ts';

/** What a transpiled component offers: its glue's instantiate and its core modules. */
export interface PreparedComponent {
  digest: string;
  /** Interfaces the component imports (unversioned, e.g. `wasm-graph:processor/logger`). */
  imports: string[];
  /** Exported operator kinds: map, filter, branch, accumulate, delay. */
  exportedKinds: string[];
  instantiate(imports: Record<string, unknown>): Promise<Record<string, unknown>>;
}

interface CacheMeta {
  imports: string[];
  exports: string[];
}

export function cacheRoot(): string {
  return process.env.WGS_CACHE_DIR ?? join(homedir(), '.cache', 'wgs');
}

const GLUE_VERSION = 'jco-1.35.0-2';
const prepared = new Map<string, Promise<PreparedComponent>>();
/** Linear memory per instance, in pages; undefined: the module's own maximum. */
let memoryLimitPages: number | undefined;

/** Caps every operator instance prepared from now on in this thread (see memory-limit.ts). */
export function setMemoryLimit(bytes: number | undefined): void {
  memoryLimitPages = bytes ? Math.max(1, Math.floor(bytes / WASM_PAGE)) : undefined;
}

/** Checks the component header: `\0asm` + version 0x0d layer 1. */
export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d && bytes[6] === 1 && bytes[7] === 0;
}

export class NotAComponentError extends Error {
  constructor(what: string, bytes: Uint8Array) {
    const isWasm = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
    super(isWasm
      ? `${what} is a core WebAssembly module, not a component (build it for wasm32-wasip2 or wrap it with \`wasm-tools component new\`)`
      : `${what} is not WebAssembly (${bytes.length} bytes)`);
    this.name = 'NotAComponentError';
  }
}

/**
 * Transpiles a component with jco once per content digest (kept on disk), and
 * compiles its core modules once per process.
 */
export function prepareComponent(bytes: Uint8Array, what = 'module'): Promise<PreparedComponent> {
  if (!isComponent(bytes)) return Promise.reject(new NotAComponentError(what, bytes));
  const digest = createHash('sha256').update(bytes).digest('hex');
  const key = `${digest}:${memoryLimitPages ?? ''}`;
  let p = prepared.get(key);
  if (!p) {
    p = load(digest, bytes, memoryLimitPages);
    prepared.set(key, p);
    p.catch(() => prepared.delete(key));
  }
  return p;
}

async function load(digest: string, bytes: Uint8Array, maxPages: number | undefined): Promise<PreparedComponent> {
  const dir = join(cacheRoot(), 'components', GLUE_VERSION, digest);
  let meta: CacheMeta;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
  } catch {
    meta = await transpileInto(dir, bytes);
  }
  const glue = await import(pathToFileURL(join(dir, 'component.mjs')).href);
  const files = await readdir(dir);
  const cores = new Map<string, WebAssembly.Module>();
  for (const f of files.filter((n) => n.endsWith('.wasm'))) {
    const core = new Uint8Array(await readFile(join(dir, f)));
    cores.set(f, await WebAssembly.compile(maxPages ? capMemory(core, maxPages) : core));
  }
  const exportedKinds = MODULE_OPERATION_TYPES.filter((k) => meta.exports.includes(k));
  return {
    digest: `sha256:${digest}`,
    imports: meta.imports,
    exportedKinds,
    instantiate: async (imports) => glue.instantiate((name: string) => {
      const m = cores.get(name);
      if (!m) throw new Error(`transpiled component is missing core module ${name}`);
      return m;
    }, imports),
  };
}

async function transpileInto(dir: string, bytes: Uint8Array): Promise<CacheMeta> {
  const { transpile } = await import('@bytecodealliance/jco');
  let out;
  try {
    out = await transpile(bytes, { name: 'component', instantiation: 'async', noTypescript: true });
  } catch (e) {
    throw new Error(`not a loadable component: ${(e as Error).message.split('\n')[0]}`);
  }
  const tmp = `${dir}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(tmp, { recursive: true });
  for (const [name, data] of Object.entries(out.files)) {
    if (name.includes('/')) continue;
    let content: Uint8Array | string = data as Uint8Array;
    if (name === 'component.js') {
      // jco 1.35 reads process.env on every lift/lower step: read it once instead.
      content = new TextDecoder().decode(data as Uint8Array)
        .replace('const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }',
          'const _jcoDebug = !!globalThis?.process?.env?.JCO_DEBUG;\n  const _debugLog = (...args) => {\n    if (!_jcoDebug) { return; }');
    }
    // .mjs: the cache folder has no package.json saying the glue is ESM.
    await writeFile(join(tmp, name === 'component.js' ? 'component.mjs' : name), content);
  }
  const meta: CacheMeta = { imports: out.imports, exports: out.exports.map(([n]) => n) };
  await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
  await mkdir(join(dir, '..'), { recursive: true });
  try {
    await rename(tmp, dir);
  } catch {
    // Another process won the race; its copy is identical.
    await rm(tmp, { recursive: true, force: true });
  }
  return meta;
}
