import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useDesigner } from './designer.ts';

const complexYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-complex.yaml', import.meta.url), 'utf8');

describe('designer store', () => {
  beforeEach(async () => {
    await useDesigner.getState().open('graph-complex:1.0.0', complexYaml);
  });

  it('opens a definition laid out, without errors', () => {
    const s = useDesigner.getState();
    expect(s.nodes).toHaveLength(15);
    expect(s.edges).toHaveLength(16);
    expect(new Set(s.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(15);
    expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a YAML edit puts the error on the node and keeps the positions', () => {
    const before = useDesigner.getState().nodes.find((n) => n.id === 'module-temperature/filter')!.position;
    useDesigner.getState().setYaml(complexYaml.replace('operationType: filter,', 'operationType: filtr,'));
    const s = useDesigner.getState();
    const node = s.nodes.find((n) => n.id === 'module-temperature/filter')!;
    expect(node.data.errors.length).toBeGreaterThan(0);
    expect(node.position).toEqual(before);
    expect(s.nodes.filter((n) => n.data.errors.length).map((n) => n.id)).toEqual(['module-temperature/filter']);
  });

  it('a syntax error keeps the last canvas and lists the error', () => {
    useDesigner.getState().setYaml(`${complexYaml}\n  - [unclosed`);
    const s = useDesigner.getState();
    expect(s.nodes).toHaveLength(15);
    expect(s.diagnostics.some((d) => d.rule === 'yaml-syntax')).toBe(true);
  });

  it('canvas edits change the YAML: connect, disconnect, module', () => {
    useDesigner.getState().connect('module-temperature/branch', 'True', 'sink');
    expect(parse(useDesigner.getState().yaml).connections).toHaveLength(17);
    expect(useDesigner.getState().edges.at(-1)).toMatchObject({ source: 'module-temperature/branch', sourceHandle: 'True', target: 'sink' });
    useDesigner.getState().disconnect(['c16', 'c0']);
    const conns = parse(useDesigner.getState().yaml).connections as unknown[];
    expect(conns).toHaveLength(15);
    expect(conns[0]).toEqual({ from: { name: 'module-window/delay' }, to: { name: 'module-snapshot/branch' } });
    useDesigner.getState().changeModule('module-format/map', 'azure-samples/explore-iot-operations/format:2.0.0');
    expect(useDesigner.getState().nodes.find((n) => n.id === 'module-format/map')!.data.module).toBe('azure-samples/explore-iot-operations/format:2.0.0');
  });

  it('deleting an operation with its edges on the canvas is one consistent edit', () => {
    const s = useDesigner.getState();
    const touching = s.edges.filter((e) => e.source === 'module-temperature/filter' || e.target === 'module-temperature/filter').map((e) => e.id);
    s.deleteElements(['module-temperature/filter'], [...touching, 'c0']);
    const after = useDesigner.getState();
    expect(after.nodes.map((n) => n.id)).not.toContain('module-temperature/filter');
    expect(after.edges).toHaveLength(13);
    const conns = parse(after.yaml).connections as { from: { name: string }; to: { name: string } }[];
    expect(conns.some((c) => c.from.name === 'source')).toBe(false);
    expect(conns.some((c) => c.from.name === 'module-temperature/map' && c.to.name === 'module-temperature/accumulate')).toBe(false);
    expect(after.yaml).toContain('# Temperature readings (True)');
  });

  it('a canvas edit on unparseable YAML is refused with a message', () => {
    useDesigner.getState().setYaml('operations: [');
    useDesigner.getState().connect('source', undefined, 'sink');
    expect(useDesigner.getState().editError).toMatch(/syntax/);
    expect(useDesigner.getState().yaml).toBe('operations: [');
  });
});
