/**
 * One cold start, in a fresh process (spawned by component-call.ts with its
 * own WGS_CACHE_DIR, set before the runtime is imported): import the runtime,
 * read the module, prepare it (transpile when the cache is empty), instantiate
 * + init one map operator, first call. Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { TEMPERATURE_MODULE } from './preflight.ts';
import { mapOperation, newMapInstance } from './operator.ts';
import { SAMPLE_JSON } from './temperature.ts';

const t0 = performance.now();
const rt = await import('../../packages/runtime/src/index.ts');
const gm = await import('../../packages/graph-model/src/index.ts');
const t1 = performance.now();
const bytes = await new rt.LayoutModuleResolver().resolve(TEMPERATURE_MODULE);
const t2 = performance.now();
const component = await rt.prepareComponent(bytes, TEMPERATURE_MODULE);
const t3 = performance.now();
const { op } = mapOperation(gm);
const instance = newMapInstance(rt, gm, component, op, 'bytes');
await instance.start();
const t4 = performance.now();
const clock = new gm.HybridClock('bench');
const out = instance.map(rt.sourceItem({ topic: 'in/x', payload: new TextEncoder().encode(SAMPLE_JSON), userProperties: [] }, clock));
const t5 = performance.now();
if (out.kind !== 'message') throw new Error('unexpected output kind');
console.log(JSON.stringify({
  cacheDir: rt.cacheRoot(),
  importMs: t1 - t0,
  resolveMs: t2 - t1,
  prepareMs: t3 - t2,
  startMs: t4 - t3,
  firstCallMs: t5 - t4,
  output: new TextDecoder().decode(out.payload),
}));
