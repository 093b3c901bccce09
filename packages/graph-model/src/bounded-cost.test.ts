import { describe, expect, it } from 'vitest';
import { parseGraphDefinition } from './graph-definition.ts';
import { LIMITS } from './limits.ts';
import { parseManifests, validateResource } from './manifests.ts';
import { MAX_DIAGNOSTICS, capDiagnostics, diagnostic } from './diagnostics.ts';
import type { DataflowEndpointResource } from './resources.ts';
import { manyKeysGraphYaml, manyNodesGraph, manyTopicsGraph } from './testing/large-documents.ts';

const ENDPOINTS: DataflowEndpointResource[] = [
  { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'default' }, spec: { endpointType: 'Mqtt' } },
];

/** Milliseconds `run` takes. */
function timed<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

// Time bounds are several times the measured cost (about 0.5 s for 20,000 keys on
// 2 loaded cores) and well below the quadratic one (7–9 s before).
describe('bounded cost of validation', () => {
  it('parses and validates a 20,000-key YAML map in linear time, refusing it as too many parameters', () => {
    const { ms, result } = timed(() => parseGraphDefinition(manyKeysGraphYaml(20_000)));
    expect(result.graph).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ path: 'moduleConfigurations[0].parameters', message: `too many entries: at most ${LIMITS.parametersPerOperation} allowed`, line: 12, column: 5 }),
    ]);
    expect(ms).toBeLessThan(2_500);
  });

  it('finds a duplicate key at the end of 20,000 keys, at its line', () => {
    const text = manyKeysGraphYaml(20_000) + '      p7: { name: again }\n';
    const { ms, result } = timed(() => parseGraphDefinition(text));
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: 'yaml-syntax', message: 'YAML: Map keys must be unique', line: 20_013, column: 7 })]);
    expect(ms).toBeLessThan(2_500);
  });

  it('locates 20,000 unknown keys without a quadratic search, reporting the first 200 and a count', () => {
    const text = manyKeysGraphYaml(1) + Array.from({ length: 20_000 }, (_, i) => `extra${i}: ${i}`).join('\n');
    const { ms, result } = timed(() => parseGraphDefinition(text));
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(result.diagnostics[199]).toMatchObject({ message: 'unknown property "extra199"', line: 213, column: 11 });
    expect(result.diagnostics.at(-1)).toMatchObject({ rule: 'too-many-problems', message: `${20_000 - MAX_DIAGNOSTICS} more problems not shown`, severity: 'error' });
    expect(ms).toBeLessThan(2_500);
  });

  it('splits a 20,000-key manifest into documents in linear time', () => {
    const text = `apiVersion: connectivity.iotoperations.azure.com/v1\nkind: DataflowEndpoint\nmetadata: { name: e }\nspec:\n  endpointType: Mqtt\n${
      Array.from({ length: 20_000 }, (_, i) => `  x${i}: ${i}`).join('\n')}\n  x5: again\n`;
    const { ms, result } = timed(() => parseManifests(text));
    expect(result[0]!.diagnostics).toEqual([expect.objectContaining({ message: 'YAML: Map keys must be unique', line: 20_006, column: 3 })]);
    expect(ms).toBeLessThan(2_500);
  });

  it('refuses a 5,000-node DataflowGraph at spec.nodes, before any rule runs over it', () => {
    const graph = manyNodesGraph(2_500);
    const { ms, result } = timed(() => validateResource(graph, { endpoints: ENDPOINTS }));
    expect(result).toEqual([expect.objectContaining({ path: 'spec.nodes', message: `too many items: at most ${LIMITS.nodes} allowed` })]);
    expect(ms).toBeLessThan(1_000);
  });

  it('accepts the largest graph within the limits', () => {
    expect(validateResource(manyNodesGraph(LIMITS.nodes / 2), { endpoints: ENDPOINTS })).toEqual([]);
  });

  it('checks 40,000 source topics against 900 destinations without comparing every pair', () => {
    const graph = manyTopicsGraph(40, 1_000, 900);
    const { ms, result } = timed(() => validateResource(graph, { endpoints: ENDPOINTS }));
    expect(result).toEqual([]);
    expect(ms).toBeLessThan(2_500);
  });

  it('reports at most 10 overlapping source topics per destination, and how many more', () => {
    const graph = manyTopicsGraph(2, 900, 1);
    const [, second, destination] = graph.spec.nodes;
    if (second?.nodeType !== 'Source' || destination?.nodeType !== 'Destination') throw new Error('unexpected graph shape');
    second.sourceSettings.dataSources.push(...Array<string>(30).fill('p/#'));
    destination.destinationSettings.dataDestination = 'p/1/c0/l0';
    const loops = validateResource(graph, { endpoints: ENDPOINTS }).filter((d) => d.rule === 'topic-loop');
    expect(loops.map((d) => d.message)).toEqual([
      'destination topic "p/1/c0/l0" overlaps source topic "p/1/+/l0" on endpoint "default" (messages would loop)',
      ...Array(9).fill('destination topic "p/1/c0/l0" overlaps source topic "p/#" on endpoint "default" (messages would loop)'),
      'destination topic "p/1/c0/l0" overlaps 21 more source topics on endpoint "default"',
    ]);
  });

  it('refuses a topic longer than MQTT allows', () => {
    const graph = manyNodesGraph(1);
    const destination = graph.spec.nodes[1];
    if (destination?.nodeType !== 'Destination') throw new Error('unexpected graph shape');
    destination.destinationSettings.dataDestination = 'a/'.repeat(40_000);
    expect(validateResource(graph)).toEqual([
      expect.objectContaining({ path: 'spec.nodes[1].destinationSettings.dataDestination', message: `too long: at most ${LIMITS.topicLength} characters allowed` }),
    ]);
  });
});

describe('capDiagnostics', () => {
  it('leaves a short list alone', () => {
    const list = [diagnostic(['a'], 'm', 'r')];
    expect(capDiagnostics(list, 1)).toBe(list);
  });

  it('counts the rest as warnings when only warnings were cut', () => {
    const list = [diagnostic(['a'], 'm', 'r'), diagnostic(['b'], 'w', 'r', 'warning'), diagnostic(['c'], 'w', 'r', 'warning')];
    expect(capDiagnostics(list, 1)).toEqual([list[0], expect.objectContaining({ message: '2 more problems not shown', severity: 'warning' })]);
  });
});
