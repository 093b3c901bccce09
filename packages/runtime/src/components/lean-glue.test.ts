/**
 * The lean glue (component-cache.ts, leanGlue): used for the synchronous
 * sample components, equal in results to jco's general glue, refused for
 * anything that looks asynchronous. The rest of the suite runs on it (default).
 */
import { HybridClock, loadGraphDefinition } from '@wgs/graph-model';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type MessageItem } from '../data-model.ts';
import { sourceItem } from '../engine/messages.ts';
import { MetricsRegistry } from '../host/metrics.ts';
import { StateStore } from '../host/state-store.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import type { PayloadPassing } from '../wit-values.ts';
import { leanGlue, prepareComponent, type GlueKind } from './component-cache.ts';
import { OperatorInstance } from './operator-instance.ts';

const TEMPERATURE = 'azure-samples/explore-iot-operations/temperature:1.0.0';

const op = loadGraphDefinition([
  'metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: t, version: "1.0.0" }',
  'moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }',
  'operations:',
  '  - { operationType: source, name: source }',
  `  - { operationType: map, name: m, module: ${TEMPERATURE} }`,
  '  - { operationType: sink, name: sink }',
  'connections:',
  '  - { from: { name: source }, to: { name: m } }',
  '  - { from: { name: m }, to: { name: sink } }',
].join('\n') + '\n').operations[1]!;

async function mapWith(glue: GlueKind, passing: PayloadPassing) {
  const bytes = await new LayoutModuleResolver().resolve(TEMPERATURE);
  const component = await prepareComponent(bytes, TEMPERATURE, { glue });
  const clock = new HybridClock('t');
  const metrics = new MetricsRegistry();
  const instance = new OperatorInstance(op, component, [], { operation: 'm', log: () => {}, metrics, stateStore: new StateStore(clock), schemas: [], clock }, passing);
  await instance.start();
  return { component, instance, metrics, clock };
}

describe('lean glue', () => {
  it('runs the sample components and gives what the general glue gives, metrics included', async () => {
    for (const passing of ['bytes', 'buffer'] as const) {
      const lean = await mapWith('lean', passing);
      const general = await mapWith('general', passing);
      expect(lean.component.glue).toBe('lean');
      expect(general.component.glue).toBe('general');
      const outputs: string[][] = [];
      for (const { instance, clock } of [lean, general]) {
        const out: string[] = [];
        for (const value of [1209, 32, 212]) {
          const item = sourceItem({ topic: 'in/x', payload: utf8(`{"temperature":{"value":${value},"unit":"F"}}`), userProperties: [['test_property_key', 'x'], ['k', 'v']] }, clock) as MessageItem;
          const result = instance.map(item) as MessageItem;
          out.push(`${fromUtf8(result.payload)} ${fromUtf8(result.topic)} ${JSON.stringify(result.userProperties)}`);
        }
        outputs.push(out);
      }
      expect(outputs[0]).toEqual(outputs[1]);
      expect(outputs[0]![0]).toContain('"value":653.8888888888889');
      expect(lean.metrics.toPrometheus()).toBe(general.metrics.toPrometheus());
      expect(lean.metrics.counterValue('requests')).toBe(3);
    }
  });

  it('keeps an earlier output when later calls reuse guest memory', async () => {
    const { instance, clock } = await mapWith('lean', 'bytes');
    const first = instance.map(sourceItem({ topic: 'a', payload: utf8('{"temperature":{"value":1209,"unit":"F"}}'), userProperties: [] }, clock)) as MessageItem;
    const before = fromUtf8(first.payload);
    // 1,000 calls: several 64 KiB lift slabs (host/lift-slab.ts) are filled after the first output's.
    for (let i = 0; i < 1000; i++) instance.map(sourceItem({ topic: 'b', payload: utf8(`{"temperature":{"value":${i},"unit":"F"}}`), userProperties: [] }, clock));
    expect(fromUtf8(first.payload)).toBe(before);
    expect(fromUtf8(first.topic)).toBe('a');
  });

  it('is refused for glue with async functions, callbacks or an unknown shape', () => {
    const shape = [
      '  const dataView = mem => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);',
      '  const _jcoDebug = false;',
      'function createNewCurrentTask(', 'function getCurrentTask(', 'function _getGlobalCurrentTaskMeta(',
      'function _withGlobalCurrentTaskMeta(', 'function _lowerImportBackwardsCompat(', 'function _checkMayLeave(',
      'if (!getCoreModule) getCoreModule = x;',
    ].join('\n');
    expect(leanGlue(`${shape}\n  _debugLog('x', {});\n`)).toContain("_jcoDebug && _debugLog('x'");
    expect(leanGlue(`${shape}\n{ isAsync: true }`)).toBeUndefined();
    expect(leanGlue(`${shape}\n{ callbackFnName: 'cb' }`)).toBeUndefined();
    expect(leanGlue(`${shape}\nstreamNew(0)`)).toBeUndefined();
    expect(leanGlue(shape.replace('function createNewCurrentTask(', ''))).toBeUndefined();
  });
});
