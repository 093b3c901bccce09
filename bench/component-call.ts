/**
 * Per-message cost of the temperature map operator through the component
 * boundary (jco glue, lowering/lifting, the Rust code in WebAssembly, its
 * host metric call) against the same logic as a plain JS function, in
 * process (no worker), with payloadPassing 'bytes' and 'buffer'. Variants run
 * interleaved in rounds so machine noise hits them alike; figures are medians
 * over rounds, ratios are against the JS function of the same run.
 *
 * Cold start: fresh child processes with their own WGS_CACHE_DIR (empty for
 * the first, then reused): prepare (transpile on the first) + instantiate +
 * init + first call.
 *
 * Run alone: pnpm exec tsx bench/component-call.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as gm from '../packages/graph-model/src/index.ts';
import * as rt from '../packages/runtime/src/index.ts';
import type { Item, MessageItem, OperatorInstance, PayloadPassing } from '../packages/runtime/src/index.ts';
import { mapOperation, newMapInstance } from './lib/operator.ts';
import { checkRegistry, ROOT, TEMPERATURE_MODULE } from './lib/preflight.ts';
import { fmt, isMain, median, ratio, summaryTable, table, type SummaryRow } from './lib/stats.ts';
import { EXPECTED_JSON, jsTemperatureMap, SAMPLE_JSON } from './lib/temperature.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 50_000);
const ROUNDS = 5;
const WARMUP_CALLS = 5_000;
/** No timed loop runs longer than this, whatever CALLS says. */
const ROUND_CAP_MS = 10_000;
const CACHED_STARTS = 3;
const CHILD_TIMEOUT_MS = 90_000;

const decoder = new TextDecoder();

interface Variant {
  name: string;
  call: (item: MessageItem) => Item | undefined;
  /** µs/call per round. */
  rounds: number[];
  calls: number;
}

let blackhole = 0;

/** Runs `n` calls (bounded by ROUND_CAP_MS); returns µs per call. */
function timeCalls(v: Variant, item: MessageItem, n: number): number {
  const start = performance.now();
  const capAt = start + ROUND_CAP_MS;
  let i = 0;
  while (i < n) {
    const out = v.call(item);
    if (out?.kind === 'message') blackhole += out.payload.length;
    else blackhole++;
    i++;
    // Check the clock every 256 calls only.
    if ((i & 255) === 0 && performance.now() > capAt) break;
  }
  const us = ((performance.now() - start) * 1000) / i;
  v.calls += i;
  return us;
}

async function startedInstance(component: rt.PreparedComponent, op: gm.Operation, passing: PayloadPassing): Promise<OperatorInstance> {
  const instance = newMapInstance(rt, gm, component, op, passing);
  await instance.start();
  return instance;
}

interface ColdStart {
  cacheDir: string;
  importMs: number;
  resolveMs: number;
  prepareMs: number;
  startMs: number;
  firstCallMs: number;
  output: string;
}

/** Runs the cold-start child with WGS_CACHE_DIR set in its environment from the start. */
function coldStartChild(cacheDir: string): Promise<ColdStart> {
  const child = fileURLToPath(new URL('./lib/cold-start-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      cwd: ROOT,
      env: { ...process.env, WGS_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 10_000) err += d.toString();
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    p.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`cold-start child failed (${signal ?? `exit ${code}`}): ${err.trim() || out.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as ColdStart);
      } catch {
        reject(new Error(`cold-start child printed no result: ${out.trim()} ${err.trim()}`));
      }
    });
  });
}

export async function runComponentBench(): Promise<SummaryRow[]> {
  const bytes = await checkRegistry();
  console.log('== component-call ==');
  const { op } = mapOperation(gm);
  const component = await rt.prepareComponent(bytes, TEMPERATURE_MODULE);
  // jco's glue as generated, for the before/after of the lean glue in the same run.
  const general = await rt.prepareComponent(bytes, TEMPERATURE_MODULE, { glue: 'general' });
  const instances = {
    bytes: await startedInstance(component, op, 'bytes'),
    buffer: await startedInstance(component, op, 'buffer'),
    general: await startedInstance(general, op, 'bytes'),
  };
  console.log(`glue: ${component.glue} (default), compared with jco's general glue`);
  const clock = new gm.HybridClock('bench');
  const metricsImport = rt.hostImports({ operation: op.name, log: () => {}, metrics: new rt.MetricsRegistry(), stateStore: new rt.StateStore(clock), schemas: [], clock })['wasm-graph:processor/metrics']!;
  const addToCounter = metricsImport.addToCounter as (name: string, value: { tag: 'u64'; val: bigint }, labels?: { key: string; value: string }[]) => void;
  const countRequest = (): undefined => {
    addToCounter('requests', { tag: 'u64', val: 1n }, [{ key: 'module', value: 'module-temperature/map' }, { key: 'unit', value: 'Fahrenheit' }]);
    return undefined;
  };
  const item = rt.sourceItem({ topic: 'in/x', payload: new TextEncoder().encode(SAMPLE_JSON), userProperties: [['seq', '1']] }, clock) as MessageItem;

  // Same answer from all three before timing anything.
  const outputs = {
    js: jsTemperatureMap(item),
    bytes: instances.bytes.map(item),
    buffer: instances.buffer.map(item),
    general: instances.general.map(item),
  };
  for (const [name, out] of Object.entries(outputs)) {
    const payload = out.kind === 'message' ? decoder.decode(out.payload) : `(${out.kind})`;
    if (payload !== EXPECTED_JSON) throw new Error(`${name} produced ${payload}, expected ${EXPECTED_JSON}`);
  }
  console.log(`input ${SAMPLE_JSON} -> ${EXPECTED_JSON} (JS function, component 'bytes' and 'buffer' agree byte for byte)`);

  const variants: Variant[] = [
    { name: 'plain JS function', call: jsTemperatureMap, rounds: [], calls: 0 },
    { name: "component, payloadPassing 'bytes'", call: (i) => instances.bytes.map(i), rounds: [], calls: 0 },
    { name: "component, payloadPassing 'buffer'", call: (i) => instances.buffer.map(i), rounds: [], calls: 0 },
    { name: "component 'bytes', jco's general glue", call: (i) => instances.general.map(i), rounds: [], calls: 0 },
    // Host side only: lowering + lifting the item as the instance does, no call into WebAssembly.
    { name: "host lower+lift only ('bytes', no call)", call: (i) => rt.itemFromWit(rt.itemToWit(i, 'bytes'), i.timestamp), rounds: [], calls: 0 },
    // The host metrics import the operator calls once per message, called directly from JS.
    { name: 'host metrics import only (as called per message)', call: () => countRequest(), rounds: [], calls: 0 },
  ];
  for (const v of variants) {
    timeCalls(v, item, WARMUP_CALLS);
    v.calls = 0;
  }
  const perRound = Math.ceil(CALLS / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order each round so no variant always runs first.
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + r) % variants.length]!;
      v.rounds.push(timeCalls(v, item, perRound));
    }
  }
  const js = median(variants[0]!.rounds);
  const bytesUs = median(variants[1]!.rounds);
  const bufferUs = median(variants[2]!.rounds);
  const generalUs = median(variants[3]!.rounds);
  const hostImportUs = median(variants[5]!.rounds);
  console.log('');
  console.log(table([
    ['variant', 'calls', 'µs/call per round', 'µs/call (median)', 'calls/s', 'vs JS'],
    ...variants.map((v) => {
      const m = median(v.rounds);
      return [v.name, v.calls.toLocaleString('en-US'), v.rounds.map((x) => fmt(x, 2)).join(' '), fmt(m, 2), fmt(1e6 / m, 0), ratio(m, js)];
    }),
  ]));
  console.log(`'buffer' vs 'bytes': ${ratio(bufferUs, bytesUs)}; boundary overhead per call (component 'bytes' - JS): ${fmt(bytesUs - js, 2)} µs`);
  console.log('(the component also calls the host metrics import once per message; the JS function does not)');

  // Warm process: instantiate + init of one more operator from the prepared component.
  const startTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await startedInstance(component, op, 'bytes');
    startTimes.push(performance.now() - t);
  }
  const warmStart = median(startTimes);

  // Cold starts in child processes.
  const cacheDir = mkdtempSync(join(tmpdir(), 'wgs-bench-cache-'));
  let first: ColdStart;
  const cached: ColdStart[] = [];
  try {
    first = await coldStartChild(cacheDir);
    for (let i = 0; i < CACHED_STARTS; i++) cached.push(await coldStartChild(cacheDir));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  for (const c of [first, ...cached]) {
    if (c.output !== EXPECTED_JSON) throw new Error(`cold-start child produced ${c.output}, expected ${EXPECTED_JSON}`);
  }
  const med = (k: keyof Omit<ColdStart, 'cacheDir' | 'output'>) => median(cached.map((c) => c[k]));
  const total = (c: Pick<ColdStart, 'prepareMs' | 'startMs' | 'firstCallMs'>) => c.prepareMs + c.startMs + c.firstCallMs;
  const cachedRow = { importMs: med('importMs'), resolveMs: med('resolveMs'), prepareMs: med('prepareMs'), startMs: med('startMs'), firstCallMs: med('firstCallMs') };
  console.log('');
  console.log(`cold start of one operator in a fresh process (temp WGS_CACHE_DIR; cached = median of ${CACHED_STARTS} runs):`);
  console.log(table([
    ['cache', 'import runtime ms', 'read module ms', 'prepare ms', 'instantiate+init ms', 'first call ms', 'prepare+start+call ms'],
    ['empty (first transpile)', fmt(first.importMs), fmt(first.resolveMs), fmt(first.prepareMs), fmt(first.startMs), fmt(first.firstCallMs), fmt(total(first))],
    ['transpile cached', fmt(cachedRow.importMs), fmt(cachedRow.resolveMs), fmt(cachedRow.prepareMs), fmt(cachedRow.startMs), fmt(cachedRow.firstCallMs), fmt(total(cachedRow))],
    ['warm process (prepared)', '-', '-', '0.0', fmt(warmStart, 2), '-', fmt(warmStart, 2)],
  ]));
  console.log(`first transpile vs cached prepare: ${ratio(first.prepareMs, cachedRow.prepareMs)}; cold (cached) start vs warm-process start: ${ratio(cachedRow.prepareMs + cachedRow.startMs, warmStart)}`);
  console.log('');
  if (blackhole < 0) console.log(blackhole);

  return [
    { bench: 'component', metric: "µs/call component 'bytes' vs JS", value: fmt(bytesUs, 2), baseline: fmt(js, 2), ratio: ratio(bytesUs, js) },
    { bench: 'component', metric: "µs/call component 'buffer' vs JS", value: fmt(bufferUs, 2), baseline: fmt(js, 2), ratio: ratio(bufferUs, js) },
    { bench: 'component', metric: `µs/call 'bytes' ${component.glue} glue vs jco's general glue`, value: fmt(bytesUs, 2), baseline: fmt(generalUs, 2), ratio: ratio(bytesUs, generalUs) },
    { bench: 'component', metric: 'µs/call host metrics import (target ≤ 1)', value: fmt(hostImportUs, 2), baseline: '-', ratio: '-' },
    { bench: 'component', metric: "µs/call 'buffer' vs 'bytes'", value: fmt(bufferUs, 2), baseline: fmt(bytesUs, 2), ratio: ratio(bufferUs, bytesUs) },
    { bench: 'component', metric: 'ms prepare: first transpile vs cached', value: fmt(first.prepareMs), baseline: fmt(cachedRow.prepareMs), ratio: ratio(first.prepareMs, cachedRow.prepareMs) },
    { bench: 'component', metric: 'ms cold start (cached) vs warm process', value: fmt(cachedRow.prepareMs + cachedRow.startMs), baseline: fmt(warmStart, 2), ratio: ratio(cachedRow.prepareMs + cachedRow.startMs, warmStart) },
  ];
}

if (isMain(import.meta.url)) {
  runComponentBench().then((rows) => {
    console.log(summaryTable(rows));
    process.exit(0);
  }, (e: Error) => {
    console.error(`component-call failed: ${e.message}`);
    process.exit(1);
  });
}
