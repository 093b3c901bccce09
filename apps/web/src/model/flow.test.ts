import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraphDefinition, type GraphDefinition } from '@wgs/graph-model';
import { parse } from 'yaml';
import { flowToGraph, graphToFlow } from './flow.ts';
import { layoutPositions } from './layout.ts';
import { addConnection, addOperation, graphToYaml, removeConnection, removeOperation, setModule } from './yaml-text.ts';
import { diagnosticTarget } from './diagnostics.ts';

const complexYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-complex.yaml', import.meta.url), 'utf8');
const simpleYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-simple.yaml', import.meta.url), 'utf8');

const parsed = (text: string): GraphDefinition => {
  const r = parseGraphDefinition(text);
  if (!r.graph) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.graph;
};

describe('canvas mapping', () => {
  it('maps the complex graph to 15 nodes and 16 edges, branch arms on True/False handles', () => {
    const flow = graphToFlow(parsed(complexYaml));
    expect(flow.nodes).toHaveLength(15);
    expect(flow.edges).toHaveLength(16);
    const branchEdges = flow.edges.filter((e) => e.source === 'module-snapshot/branch' || e.source === 'module-temperature/branch');
    expect(branchEdges.map((e) => [e.source, e.sourceHandle, e.label, e.target])).toEqual([
      ['module-snapshot/branch', 'True', 'True', 'module-format/map'],
      ['module-snapshot/branch', 'False', 'False', 'module-temperature/branch'],
      ['module-temperature/branch', 'True', 'True', 'module-temperature/map'],
      ['module-temperature/branch', 'False', 'False', 'module-humidity/accumulate'],
    ]);
    expect(flow.edges.filter((e) => !branchEdges.includes(e)).every((e) => e.sourceHandle === 'out' && e.targetHandle === 'in')).toBe(true);
    const filter = flow.nodes.find((n) => n.id === 'module-temperature/filter')!;
    expect(filter.data).toMatchObject({ operationType: 'filter', module: 'azure-samples/explore-iot-operations/temperature:1.0.0', index: 8 });
    expect(filter.data.parameters).toEqual(['temperature_lower_bound', 'temperature_upper_bound']);
    expect(new Set(flow.nodes.map((n) => n.data.operationType))).toEqual(new Set(['source', 'delay', 'branch', 'map', 'accumulate', 'filter', 'concatenate', 'sink']));
  });

  it('still shows the operations of an invalid document', () => {
    const value = parse(complexYaml.replace('operationType: filter,', 'operationType: filtr,'));
    const flow = graphToFlow(value);
    expect(flow.nodes).toHaveLength(15);
    expect(flow.nodes.find((n) => n.id === 'module-temperature/filter')!.data.operationType).toBe('filtr');
  });

  it('lays the complex graph out top to bottom with distinct positions, True arm left of False', async () => {
    const flow = graphToFlow(parsed(complexYaml));
    const pos = await layoutPositions(flow);
    expect(pos.size).toBe(15);
    expect(new Set([...pos.values()].map((p) => `${p.x},${p.y}`)).size).toBe(15);
    expect(pos.get('source')!.y).toBeLessThan(pos.get('module-window/delay')!.y);
    expect(pos.get('module-enrichment/map')!.y).toBeLessThan(pos.get('sink')!.y);
    expect(pos.get('module-format/map')!.x).toBeLessThan(pos.get('module-temperature/branch')!.x);
    expect(pos.get('module-temperature/map')!.x).toBeLessThan(pos.get('module-humidity/accumulate')!.x);
  });
});

describe('YAML ↔ canvas round-trip', () => {
  for (const [name, text] of [['complex', complexYaml], ['simple', simpleYaml]] as const) {
    it(`${name}: YAML → canvas → YAML is semantically identical, and a second round-trip is byte-identical`, () => {
      const graph = parsed(text);
      const once = graphToYaml(flowToGraph(graphToFlow(graph), graph));
      expect(parse(once)).toEqual(parse(text));
      const again = graphToYaml(flowToGraph(graphToFlow(parsed(once)), parsed(once)));
      expect(again).toBe(once);
    });
  }
});

describe('canvas edits update the YAML', () => {
  it('adds a connection in the style of its siblings, keeping comments', () => {
    const out = addConnection(complexYaml, { from: 'module-snapshot/map', to: 'sink' });
    expect(out).toContain('# Camera frames (True) go to labelling');
    expect(out.trimEnd().split('\n').at(-1)).toBe('  - { from: { name: module-snapshot/map }, to: { name: sink } }');
    const flow = graphToFlow(parse(out));
    expect(flow.edges).toHaveLength(17);
    expect(flow.edges.at(-1)).toMatchObject({ id: 'c16', source: 'module-snapshot/map', target: 'sink', sourceHandle: 'out' });
  });

  it('adds a branch arm connection', () => {
    const out = addConnection(simpleYaml, { from: 'source', to: 'sink' });
    const armed = addConnection(complexYaml, { from: 'module-temperature/branch', arm: 'True', to: 'sink' });
    expect(parse(out).connections.at(-1)).toEqual({ from: { name: 'source' }, to: { name: 'sink' } });
    expect(parse(armed).connections.at(-1)).toEqual({ from: { name: 'module-temperature/branch', arm: 'True' }, to: { name: 'sink' } });
  });

  it('removes a connection, and the rest of the text is unchanged', () => {
    const out = removeConnection(complexYaml, 15);
    expect(graphToFlow(parse(out)).edges).toHaveLength(15);
    expect(out).not.toContain('to: { name: sink }');
    expect(out.split('\n').filter((l) => !complexYaml.includes(l))).toEqual([]);
  });

  it('changes a module', () => {
    const out = setModule(complexYaml, 8, 'azure-samples/explore-iot-operations/temperature:2.0.0');
    const node = graphToFlow(parse(out)).nodes.find((n) => n.id === 'module-temperature/filter')!;
    expect(node.data.module).toBe('azure-samples/explore-iot-operations/temperature:2.0.0');
    expect(out).toContain('{ operationType: filter, name: module-temperature/filter, module: azure-samples/explore-iot-operations/temperature:2.0.0 }');
    expect(parseGraphDefinition(out).graph).toBeDefined();
  });

  it('adds and removes an operation with its connections', () => {
    const added = addOperation(complexYaml, { name: 'extra', operationType: 'map', module: 'm:1' });
    expect(graphToFlow(parse(added)).nodes).toHaveLength(16);
    const removed = removeOperation(complexYaml, 8);
    const flow = graphToFlow(parse(removed));
    expect(flow.nodes.map((n) => n.id)).not.toContain('module-temperature/filter');
    expect(flow.edges).toHaveLength(14);
  });
});

describe('diagnostics on nodes', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('a broken operationType maps to its node and its YAML line', () => {
    const broken = complexYaml.replace('operationType: filter,', 'operationType: filtr,');
    const { graph, diagnostics } = parseGraphDefinition(broken);
    expect(graph).toBeUndefined();
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const d of errors) {
      expect(diagnosticTarget(d, parse(broken)).nodeId).toBe('module-temperature/filter');
      expect(d.line).toBe(lineOf(broken, 'filtr'));
    }
  });

  it('a broken connection name maps to the end that exists, and the line of the connection', () => {
    const broken = complexYaml.replace('to: { name: module-temperature/filter } }', 'to: { name: module-temperature/filterx } }');
    const value = parse(broken);
    const errors = parseGraphDefinition(broken).diagnostics.filter((d) => d.severity === 'error' && d.rule === 'references');
    expect(errors).toHaveLength(1);
    expect(diagnosticTarget(errors[0]!, value)).toEqual({ nodeId: 'module-temperature/map' });
    expect(errors[0]!.line).toBe(lineOf(broken, 'filterx'));
  });

  it('maps paths without segments too', () => {
    const value = parse(complexYaml);
    expect(diagnosticTarget({ path: 'operations[2].module', message: '', rule: 'x', severity: 'error' }, value)).toEqual({ nodeId: 'module-snapshot/branch' });
    expect(diagnosticTarget({ path: 'connections[2].from', message: '', rule: 'x', severity: 'error' }, value)).toEqual({ nodeId: 'module-snapshot/branch', edgeId: 'c2' });
    expect(diagnosticTarget({ path: 'moduleConfigurations[1].name', message: '', rule: 'x', severity: 'error' }, value)).toEqual({ nodeId: 'module-snapshot/branch' });
    expect(diagnosticTarget({ path: 'metadata.name', message: '', rule: 'x', severity: 'error' }, value)).toEqual({});
  });
});
