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
  /** Which glue runs the calls: the lean variant of jco's (sync-only components) or jco's own. */
  glue: GlueKind;
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
/** Bumped when leanGlue() changes: the lean file is derived again. */
const LEAN_VERSION = 3;

/**
 * 'lean': jco's glue with its task bookkeeping replaced (see leanGlue), used
 * when the component is synchronous throughout; 'general': jco's glue as
 * generated. Default 'lean' (WGS_GLUE=general forces the general glue).
 */
export type GlueKind = 'lean' | 'general';

function defaultGlue(): GlueKind {
  return process.env.WGS_GLUE === 'general' ? 'general' : 'lean';
}
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
export function prepareComponent(bytes: Uint8Array, what = 'module', o: { glue?: GlueKind } = {}): Promise<PreparedComponent> {
  if (!isComponent(bytes)) return Promise.reject(new NotAComponentError(what, bytes));
  const digest = createHash('sha256').update(bytes).digest('hex');
  const glue = o.glue ?? defaultGlue();
  const key = `${digest}:${memoryLimitPages ?? ''}:${glue}`;
  let p = prepared.get(key);
  if (!p) {
    p = load(digest, bytes, memoryLimitPages, glue);
    prepared.set(key, p);
    p.catch(() => prepared.delete(key));
  }
  return p;
}

async function load(digest: string, bytes: Uint8Array, maxPages: number | undefined, want: GlueKind): Promise<PreparedComponent> {
  const dir = join(cacheRoot(), 'components', GLUE_VERSION, digest);
  let meta: CacheMeta;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
  } catch {
    meta = await transpileInto(dir, bytes);
  }
  const kind: GlueKind = want === 'lean' && (await leanGlueFile(dir)) ? 'lean' : 'general';
  const glue = await loadGlue(join(dir, kind === 'lean' ? `component.lean${LEAN_VERSION}.mjs` : 'component.mjs'));
  const files = await readdir(dir);
  const cores = new Map<string, WebAssembly.Module>();
  for (const f of files.filter((n) => n.endsWith('.wasm'))) {
    const core = new Uint8Array(await readFile(join(dir, f)));
    cores.set(f, await WebAssembly.compile(maxPages ? capMemory(core, maxPages) : core));
  }
  const exportedKinds = MODULE_OPERATION_TYPES.filter((k) => meta.exports.includes(k));
  return {
    digest: `sha256:${digest}`,
    glue: kind,
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

/**
 * Evaluates a glue file as a function instead of importing it: under tsx
 * (which the CLI, the server and the workers run with) an import of the
 * 400 KB glue goes through tsx's transform and Node's source-map cache and
 * cost ~55 MiB of RSS per component; evaluated, ~2 MiB. The glue has no
 * static imports and exports only `instantiate` (and an empty `_util`); a
 * glue of another shape is imported as before.
 */
async function loadGlue(file: string): Promise<{ instantiate: GlueInstantiate }> {
  const url = pathToFileURL(file).href;
  const text = await readFile(file, 'utf8');
  const body = text
    .replace(/^export function instantiate\(/m, 'function instantiate(')
    .replace(/^export const _util = /m, 'const _util = ')
    .replace(/\bimport\.meta\.url\b/g, JSON.stringify(url));
  // A dynamic import() (the glue's unused fetch of core modules) works in a function too; static ones do not.
  if (/^\s*(import|export)\s+[\w{*]|\bimport\.meta\b/m.test(body) || !/^function instantiate\(/m.test(body)) return import(url);
  const factory = new Function(`"use strict";\n${body}\nreturn { instantiate };\n//# sourceURL=${url}`) as () => { instantiate: GlueInstantiate };
  return factory();
}

type GlueInstantiate = (getCoreModule: (name: string) => WebAssembly.Module, imports: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * Writes `component.lean<N>.mjs` beside the general glue unless it is there;
 * false when the component cannot use it (then the general glue runs).
 */
async function leanGlueFile(dir: string): Promise<boolean> {
  const file = join(dir, `component.lean${LEAN_VERSION}.mjs`);
  const none = join(dir, `component.lean${LEAN_VERSION}.none`);
  try {
    await readFile(file);
    return true;
  } catch {
    // derived below
  }
  try {
    await readFile(none);
    return false;
  } catch {
    // not refused before
  }
  const lean = leanGlue(await readFile(join(dir, 'component.mjs'), 'utf8'));
  const tmp = `${lean ? file : none}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, lean ?? 'the general glue runs: see leanGlue() in component-cache.ts');
  await rename(tmp, lean ? file : none);
  return lean !== undefined;
}

/** What the lean glue puts in place of jco's task machinery (inside the glue's instantiate scope). */
const LEAN_OVERRIDES = `
// --- wgs lean glue (packages/runtime/src/components/component-cache.ts, leanGlue) ---
// Every function of this component is synchronous, so each call is one task
// that starts and ends inside the call: the task objects, subtasks and the
// current-task registry jco keeps for component-model async are replaced by
// one inert task. Lowering, lifting, resource tables, post-return, the
// may-leave guard and trap marking are jco's own code.
const __wgsTask = {
  id: () => 0, componentIdx: () => 0, enterSync: () => true, mayBlock: () => false, exit() {}, resolve() {},
  reject() {}, setErrored() {}, isExited: () => true, isResolvedState: () => true, setCalleeIsAsync() {},
  setReturnMemory() {}, setReturnMemoryIdx() {}, setParentSubtask() {}, getParentSubtask: () => undefined,
  getLatestSubtask() { return __wgsTask; },
};
const __wgsTaskMeta = { task: __wgsTask };
const __wgsTaskPair = [__wgsTask, 0];
createNewCurrentTask = () => __wgsTaskPair;
getCurrentTask = () => __wgsTaskMeta;
_getGlobalCurrentTaskMeta = () => undefined;
_withGlobalCurrentTaskMeta = (args) => args.fn();
_lowerImportBackwardsCompat = function (args, ...params) {
  _checkMayLeave(args.componentIdx);
  return args.importFn(...params);
};
// Lifted list<u8> values: the host's slab allocator when it passes one (host/lift-slab.ts), else a copy of their own.
const __wgsLiftBytes = imports['wgs:runtime']?.liftBytes ?? ((buffer, ptr, len) => new Uint8Array(buffer.slice(ptr, ptr + len)));
// --- end of wgs lean glue ---
`;

/**
 * The lean variant of jco 1.35's glue, or undefined when it does not apply:
 *  - the task bookkeeping of every export and import call (AsyncTask,
 *    subtasks, current-task metadata, resource-borrow scopes per task) is
 *    replaced by LEAN_OVERRIDES: only for components without async
 *    functions, streams or futures (the wasm-graph:processor interface and
 *    WASI 0.2 are synchronous);
 *  - the DataView over linear memory is kept until the memory grows (jco
 *    read WebAssembly.Memory#buffer, a slow getter, on every field);
 *  - lifted `list<u8>` values come from the host's slab allocator
 *    (host/lift-slab.ts, passed as the `wgs:runtime` import) instead of an
 *    ArrayBuffer of their own each;
 *  - `_debugLog(…)` statements are skipped without building their arguments
 *    when JCO_DEBUG is unset (they built an object per call).
 * Anything unexpected in the glue (another jco version, async functions)
 * leaves it alone.
 */
export function leanGlue(general: string): string | undefined {
  const at = general.search(/\n[ \t]*if \(!getCoreModule\) getCoreModule =/);
  if (at < 0 || !general.includes('const _jcoDebug = ')) return undefined;
  // The component's own part (after the shared helpers): any async function, callback, stream or future refuses.
  if (/\b(isAsync|funcTypeIsAsync|isManualAsync|async|preserveFutureResult): true\b|callbackFnName: '|\bwaitable|\b(stream|future)[A-Z]\w*\s*\(/i.test(general.slice(at))) return undefined;
  if (!general.includes('  const dataView = mem => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);')) return undefined;
  for (const name of ['function createNewCurrentTask(', 'function getCurrentTask(', 'function _getGlobalCurrentTaskMeta(', 'function _withGlobalCurrentTaskMeta(', 'function _lowerImportBackwardsCompat(', 'function _checkMayLeave(']) {
    if (!general.includes(name)) return undefined;
  }
  return general
    // WebAssembly.Memory#buffer is a slow API getter, read several times per lowered field; the DataView is
    // now kept until the memory grows (growing detaches the old buffer: its byteLength turns 0).
    .replace('  const dataView = mem => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);',
      '  let dvMem = null, dvBuf = null;\n'
      + '  const dataView = mem => mem === dvMem && dvBuf.byteLength !== 0 ? dv : (dvMem = mem, dvBuf = mem.buffer, dv = new DataView(dvBuf));\n'
      + '  const memBuffer = mem => mem === dvMem && dvBuf.byteLength !== 0 ? dvBuf : dataView(mem).buffer;')
    .replace(/\b(memory\d+)\.buffer\b/g, 'memBuffer($1)')
    .replace(/new Uint8Array\(memBuffer\((memory\d+)\)\.slice\((\w+), \2 \+ (\w+) \* 1\)\)/g, '__wgsLiftBytes(memBuffer($1), $2, $3)')
    .replace(/^(\s*)_debugLog\(/gm, '$1_jcoDebug && _debugLog(')
    .replace(/\n([ \t]*if \(!getCoreModule\) getCoreModule =)/, `\n${LEAN_OVERRIDES}$1`);
}
