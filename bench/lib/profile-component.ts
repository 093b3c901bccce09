/**
 * A tight loop of the temperature map through the component, for profiling:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof-component --import tsx bench/lib/profile-component.ts [calls] [bytes|buffer]
 *   pnpm exec tsx bench/lib/profile-summary.ts /tmp/prof-component/<file>.cpuprofile <calls>
 */
import * as gm from '../../packages/graph-model/src/index.ts';
import * as rt from '../../packages/runtime/src/index.ts';
import type { MessageItem, PayloadPassing } from '../../packages/runtime/src/index.ts';
import { mapOperation, newMapInstance } from './operator.ts';
import { checkRegistry, TEMPERATURE_MODULE } from './preflight.ts';
import { SAMPLE_JSON } from './temperature.ts';

const calls = Number(process.argv[2] ?? 200_000);
const passing = (process.argv[3] ?? 'bytes') as PayloadPassing;
const bytes = await checkRegistry();
const { op } = mapOperation(gm);
const component = await rt.prepareComponent(bytes, TEMPERATURE_MODULE);
const instance = newMapInstance(rt, gm, component, op, passing);
await instance.start();
const item = rt.sourceItem({ topic: 'in/x', payload: new TextEncoder().encode(SAMPLE_JSON), userProperties: [['seq', '1']] }, new gm.HybridClock('bench')) as MessageItem;
let n = 0;
const t0 = performance.now();
for (let i = 0; i < calls; i++) {
  const out = instance.map(item);
  if (out.kind === 'message') n += out.payload.length;
}
console.log(`${calls} calls, ${(((performance.now() - t0) * 1000) / calls).toFixed(2)} µs/call (${n})`);
