import { describe, expect, it } from 'vitest';
import { statefulReason } from './stateful.ts';
import type { GraphDefinition, Operation } from './types.ts';

// Only the operations matter here; the rest is what any graph definition carries.
const graph = (...operations: Operation[]): GraphDefinition => ({
  metadata: { $schema: 'https://example.test/graph.json', name: 'g', description: 'd', version: '1.0.0' },
  moduleRequirements: { apiVersion: '1.1.0', runtimeVersion: '1.1.0' },
  operations: [{ operationType: 'source', name: 'source' }, ...operations, { operationType: 'sink', name: 'sink' }],
  connections: [],
});

describe('statefulReason', () => {
  it('names the accumulate and delay operations', () => {
    const g = graph(
      { operationType: 'map', name: 'm', module: 'a/m:1.0.0' },
      { operationType: 'accumulate', name: 'window', module: 'a/w:1.0.0' },
      { operationType: 'delay', name: 'later', module: 'a/d:1.0.0' },
    );
    expect(statefulReason(g)).toBe('accumulate "window", delay "later"');
  });

  it('is undefined for a graph of maps and filters', () => {
    expect(statefulReason(graph({ operationType: 'map', name: 'm', module: 'a/m:1.0.0' }), 'samples/graph-simple:1.0.0')).toBeUndefined();
  });

  it('knows the stateful built-ins by their artifact, with or without a registry host', () => {
    const g = graph({ operationType: 'filter', name: 'f', module: 'a/f:1.0.0' });
    expect(statefulReason(g, 'azureiotoperations/graph-dataflow-window:1.0.0')).toBe('built-in graph-dataflow-window');
    expect(statefulReason(g, 'mcr.microsoft.com/azureiotoperations/graph-dataflow-throttle:1.0.0')).toBe('built-in graph-dataflow-throttle');
    expect(statefulReason(g, 'azureiotoperations/graph-dataflow-map:1.0.0')).toBeUndefined();
  });
});

describe('statefulReason on a long graph', () => {
  it('names three operations and counts the rest', () => {
    const ops = [1, 2, 3, 4, 5].map((i): Operation => ({ operationType: 'accumulate', name: `a${i}`, module: 'a/w:1.0.0' }));
    expect(statefulReason(graph(...ops))).toBe('accumulate "a1", accumulate "a2", accumulate "a3" and 2 more');
  });
});
