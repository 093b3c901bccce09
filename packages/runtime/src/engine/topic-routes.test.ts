import type { GraphDefinition } from '@wgs/graph-model';
import { describe, expect, it } from 'vitest';
import { utf8, type Item } from '../data-model.ts';
import { GraphEngine, type EngineEvent } from './graph-engine.ts';
import { TopicRoutes } from './topic-routes.ts';

const message = (topic: string): Item => ({ kind: 'message', timestamp: { secs: 1n, nanos: 0, counter: 0n, nodeId: 't' }, topic: utf8(topic), payload: utf8('{}'), userProperties: [] });

describe('TopicRoutes', () => {
  it('gives each target whose filters match the topic once; connections without filters take everything', () => {
    const routes = new TopicRoutes([
      { from: { name: 's' }, to: { name: 'a' }, topics: ['t/+', 't/#'] },
      { from: { name: 's' }, to: { name: 'b' }, topics: ['u/x'] },
      { from: { name: 's' }, to: { name: 'c' } },
    ]);
    expect(routes.targets('t/1')).toEqual(['a', 'c']);
    expect(routes.targets('u/x')).toEqual(['b', 'c']);
    expect(routes.targets('u/y')).toEqual(['c']);
  });
});

describe('a routing source in the engine (module-less: source -> pass-throughs -> sinks)', () => {
  const graph = {
    metadata: { $schema: '', name: 'routed', version: '1.0.0' },
    moduleRequirements: { apiVersion: '1.1.0', runtimeVersion: '1.1.0' },
    operations: [
      { name: 'temps+humid', operationType: 'source' }, { name: 'a/source', operationType: 'concatenate' }, { name: 'b/source', operationType: 'concatenate' },
      { name: 'out-a', operationType: 'sink' }, { name: 'out-b', operationType: 'sink' },
    ],
    connections: [
      { from: { name: 'temps+humid' }, to: { name: 'a/source' }, topics: ['sensor/temperature/#', 'sensor/+/all'] },
      { from: { name: 'temps+humid' }, to: { name: 'b/source' }, topics: ['sensor/humidity/#', 'sensor/+/all'] },
      { from: { name: 'a/source' }, to: { name: 'out-a' } },
      { from: { name: 'b/source' }, to: { name: 'out-b' } },
    ],
  } satisfies GraphDefinition;

  it('sends a message into each node whose Source node reads its topic, once, and drops (and counts) one nobody reads', () => {
    const sunk: string[] = [];
    const drops: string[] = [];
    const engine = new GraphEngine(graph, new Map(), {
      onSink: (sink, item) => sunk.push(`${sink} ${new TextDecoder().decode((item as { topic: Uint8Array }).topic)}`),
      observe: (e: EngineEvent) => void (e.type === 'drop' && drops.push(`${e.operation}: ${e.reason}`)),
    });
    for (const t of ['sensor/temperature/1', 'sensor/humidity/1', 'sensor/both/all', 'sensor/pressure/1']) engine.ingest(message(t));
    expect(sunk).toEqual(['out-a sensor/temperature/1', 'out-b sensor/humidity/1', 'out-a sensor/both/all', 'out-b sensor/both/all']);
    expect(drops).toEqual(['temps+humid: no Source node reads topic "sensor/pressure/1"']);
    expect(engine.counters.get('temps+humid')).toEqual({ in: 4, out: 3, dropped: 1, errors: 0 });
    expect(engine.counters.get('a/source')?.in).toBe(2);
  });
});
