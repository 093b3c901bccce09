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

/** The faster of two runs in milliseconds (the less disturbed by other work), and the first run's result. */
function fastest<T>(run: () => T): { ms: number; result: T } {
  let best = Infinity;
  let first: { result: T } | undefined;
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    const result = run();
    best = Math.min(best, performance.now() - start);
    first ??= { result };
  }
  return { ms: best, result: first!.result };
}

/**
 * `run(make(n))`'s result, and how its cost grows from n/4 to n: about 4 when
 * linear, 16 when quadratic (the search these tests guard against took 7–9 s
 * at 20,000). A ratio, not a time bound, so a loaded machine does not fail it;
 * speed itself is measured in `pnpm bench`.
 */
function growth<I, T>(make: (n: number) => I, run: (input: I) => T, n: number): { ratio: number; result: T } {
  const [small, large] = [make(n / 4), make(n)];
  const big = fastest(() => run(large));
  return { ratio: big.ms / Math.max(fastest(() => run(small)).ms, 0.5), result: big.result };
}

// Linear stays under 10 (4 plus noise); quadratic would be 16.
const LINEAR = 10;

describe('bounded cost of validation', () => {
  it('parses and validates a 20,000-key YAML map in linear time, refusing it as too many parameters', () => {
    const { ratio, result } = growth(manyKeysGraphYaml, parseGraphDefinition, 20_000);
    expect(result.graph).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ path: 'moduleConfigurations[0].parameters', message: `too many entries: at most ${LIMITS.parametersPerOperation} allowed`, line: 12, column: 5 }),
    ]);
    expect(ratio).toBeLessThan(LINEAR);
  });

  it('finds a duplicate key at the end of 20,000 keys, at its line', () => {
    const { ratio, result } = growth((n) => manyKeysGraphYaml(n) + '      p7: { name: again }\n', parseGraphDefinition, 20_000);
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: 'yaml-syntax', message: 'YAML: Map keys must be unique', line: 20_013, column: 7 })]);
    expect(ratio).toBeLessThan(LINEAR);
  });

  it('locates 20,000 unknown keys without a quadratic search, reporting the first 200 and a count', () => {
    const { ratio, result } = growth((n) => manyKeysGraphYaml(1) + Array.from({ length: n }, (_, i) => `extra${i}: ${i}`).join('\n'), parseGraphDefinition, 20_000);
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(result.diagnostics[199]).toMatchObject({ message: 'unknown property "extra199"', line: 213, column: 11 });
    expect(result.diagnostics.at(-1)).toMatchObject({ rule: 'too-many-problems', message: `${20_000 - MAX_DIAGNOSTICS} more problems not shown`, severity: 'error' });
    expect(ratio).toBeLessThan(LINEAR);
  });

  it('splits a 20,000-key manifest into documents in linear time', () => {
    const manifest = (n: number) => `apiVersion: connectivity.iotoperations.azure.com/v1\nkind: DataflowEndpoint\nmetadata: { name: e }\nspec:\n  endpointType: Mqtt\n${
      Array.from({ length: n }, (_, i) => `  x${i}: ${i}`).join('\n')}\n  x5: again\n`;
    const { ratio, result } = growth(manifest, parseManifests, 20_000);
    expect(result[0]!.diagnostics).toEqual([expect.objectContaining({ message: 'YAML: Map keys must be unique', line: 20_006, column: 3 })]);
    expect(ratio).toBeLessThan(LINEAR);
  });

  it('refuses a 5,000-node DataflowGraph at spec.nodes, before any rule runs over it', () => {
    // One error, at spec.nodes: the size is checked before the rules walk the nodes.
    const result = validateResource(manyNodesGraph(2_500), { endpoints: ENDPOINTS });
    expect(result).toEqual([expect.objectContaining({ path: 'spec.nodes', message: `too many items: at most ${LIMITS.nodes} allowed` })]);
  });

  it('accepts the largest graph within the limits', () => {
    expect(validateResource(manyNodesGraph(LIMITS.nodes / 2), { endpoints: ENDPOINTS })).toEqual([]);
  });

  it('checks 40,000 source topics against 900 destinations without comparing every pair', () => {
    const { ratio, result } = growth((n) => manyTopicsGraph(n, 1_000, 900), (graph) => validateResource(graph, { endpoints: ENDPOINTS }), 40);
    expect(result).toEqual([]);
    expect(ratio).toBeLessThan(LINEAR);
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
