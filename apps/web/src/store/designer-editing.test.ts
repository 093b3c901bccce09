import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useDesigner } from './designer.ts';

const simpleYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-simple.yaml', import.meta.url), 'utf8');
const TEMPERATURE = 'azure-samples/explore-iot-operations/temperature:1.0.0';
const s = () => useDesigner.getState();
const names = () => s().nodes.map((n) => n.id);

describe('editing the graph definition through the store', () => {
  beforeEach(async () => {
    await s().open(`azure-samples/explore-iot-operations/graph-simple:1.0.0`, simpleYaml);
  });

  it('opens clean, with the origin read from the title', () => {
    expect(s().isDirty()).toBe(false);
    expect(s().canUndo).toBe(false);
    expect(s().origin).toEqual({ repository: 'azure-samples/explore-iot-operations/graph-simple', tag: '1.0.0' });
    expect(s().nodes.some((n) => n.data.dirty)).toBe(false);
  });

  it('adds an operation from the palette at the drop point, selected, and marks it dirty', () => {
    const name = s().addOperation('filter', { x: 123, y: 456 });
    expect(name).toBe('module-new/filter');
    const node = s().nodes.find((n) => n.id === name)!;
    expect(node.position).toEqual({ x: 123, y: 456 });
    expect(node.selected).toBe(true);
    expect(node.data.dirty).toBe(true);
    expect(s().selected).toBe(name);
    expect(parse(s().yaml).operations.at(-1)).toEqual({ operationType: 'filter', name: 'module-new/filter' });
    expect(s().addOperation('filter')).toBe('module-new/filter-2');
    expect(s().isDirty()).toBe(true);
    // Only the new operations are dirty.
    expect(s().nodes.filter((n) => n.data.dirty).map((n) => n.id)).toEqual(['module-new/filter', 'module-new/filter-2']);
  });

  it('positions follow the operation through a YAML rename, undo and redo; a new one never lands on another', () => {
    const where = () => new Map(s().nodes.map((n) => [n.id, n.position]));
    const before = where();
    const map = before.get('module-temperature/map')!;
    s().setYaml(s().yaml.replaceAll('module-temperature/map', 'converter'));
    expect(where().get('converter')).toEqual(map);
    s().undo();
    expect(where()).toEqual(before);
    s().redo();
    expect(where().get('converter')).toEqual(map);
    const overlapping = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.abs(a.x - b.x) < 240 && Math.abs(a.y - b.y) < 72;
    for (let i = 0; i < 4; i++) s().addOperation('map', map);
    const all = [...where().values()];
    expect(all.every((a, i) => all.every((b, j) => i === j || !overlapping(a, b)))).toBe(true);
  });

  it('picking a module renames a placeholder name after the module and keeps its place', () => {
    const name = s().addOperation('filter', { x: 5, y: 6 })!;
    const placed = s().nodes.find((n) => n.id === name)!.position;
    s().connect('source', undefined, name);
    s().changeModule(name, TEMPERATURE, { reference: TEMPERATURE, exportedKinds: ['map', 'filter'], imports: [] });
    expect(names()).toContain('module-temperature/filter');
    expect(names()).not.toContain(name);
    expect(s().nodes.find((n) => n.id === 'module-temperature/filter')!.position).toEqual(placed);
    expect(s().selected).toBe('module-temperature/filter');
    expect(parse(s().yaml).connections.at(-1)).toEqual({ from: { name: 'source' }, to: { name: 'module-temperature/filter' } });
    // A module importing wasi:nn brings the feature along.
    s().changeModule('module-temperature/map', 'x/snapshot:1.0.0', { reference: 'x/snapshot:1.0.0', exportedKinds: ['map'], imports: ['wasi:nn/graph'] });
    expect(parse(s().yaml).moduleRequirements.features).toEqual([{ name: 'wasi-nn' }]);
    expect(names()).toContain('module-temperature/map');
  });

  it('undo and redo walk canvas and YAML edits alike, one step each', () => {
    s().addOperation('map');
    s().setYaml(s().yaml.replace('version: 1.0.0', 'version: 1.0.1'));
    s().setYaml(s().yaml.replace('version: 1.0.1', 'version: 1.0.12'));
    s().connect('source', undefined, 'module-new/map');
    expect(parse(s().yaml).connections).toHaveLength(3);
    s().undo();
    expect(parse(s().yaml).connections).toHaveLength(2);
    expect(parse(s().yaml).metadata.version).toBe('1.0.12');
    s().undo(); // the typing burst goes as one
    expect(parse(s().yaml).metadata.version).toBe('1.0.0');
    expect(names()).toContain('module-new/map');
    s().undo();
    expect(s().yaml).toBe(simpleYaml);
    expect(s().canUndo).toBe(false);
    expect(s().isDirty()).toBe(false);
    s().redo();
    s().redo();
    expect(parse(s().yaml).metadata.version).toBe('1.0.12');
    expect(s().canRedo).toBe(true);
    s().redo();
    expect(parse(s().yaml).connections).toHaveLength(3);
    expect(s().canRedo).toBe(false);
  });

  it('copies and pastes selected operations with unique names, their connection and parameters', () => {
    s().setNodes(s().nodes.map((n) => ({ ...n, selected: n.id !== 'sink' })));
    s().copy();
    s().paste();
    expect(names()).toEqual(['source', 'module-temperature/map', 'sink', 'source-2', 'module-temperature/map-2']);
    const value = parse(s().yaml);
    expect(value.connections.at(-1)).toEqual({ from: { name: 'source-2' }, to: { name: 'module-temperature/map-2' } });
    expect(value.moduleConfigurations.at(-1)).toEqual({ name: 'module-temperature/map-2', parameters: { key1: { name: 'key2', description: 'key2' } } });
    const original = s().nodes.find((n) => n.id === 'source')!.position;
    expect(s().nodes.find((n) => n.id === 'source-2')!.position).toEqual({ x: original.x + 40, y: original.y + 40 });
    // The pasted copies are the selection now; one undo removes the whole paste.
    expect(s().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['source-2', 'module-temperature/map-2']);
    s().undo();
    expect(s().yaml).toBe(simpleYaml);
  });

  it('select all, then delete the selection, is one edit', () => {
    s().selectAll();
    s().deleteSelection();
    expect(s().nodes).toEqual([]);
    s().undo();
    expect(names()).toEqual(['source', 'module-temperature/map', 'sink']);
  });

  it('edits parameters and renames operations', () => {
    s().setParameter('sink', undefined, 'topic', { name: 'topic', default: 'out', required: true });
    expect(s().nodes.find((n) => n.id === 'sink')!.data.parameters).toEqual(['topic']);
    s().renameOperation('sink', 'module-temperature/map');
    expect(s().editError).toMatch(/already/);
    s().renameOperation('sink', 'out');
    expect(parse(s().yaml).moduleConfigurations.at(-1).name).toBe('out');
    s().removeParameter('out', 'topic');
    expect(parse(s().yaml).moduleConfigurations).toHaveLength(1);
  });

  it('saving makes the current text the baseline: no dirty markers, not dirty', () => {
    s().addOperation('map');
    s().setVersion('1.1.0');
    s().markSaved({ endpoint: 'embedded', repository: 'x/graph', tag: '1.1.0' }, 'x/graph:1.1.0');
    expect(s().isDirty()).toBe(false);
    expect(s().nodes.some((n) => n.data.dirty)).toBe(false);
    expect(s().title).toBe('x/graph:1.1.0');
    // Undo still works after a save, and makes it dirty again.
    s().undo();
    expect(s().isDirty()).toBe(true);
  });

  it('starts a new definition when the palette is used with nothing open', async () => {
    await s().open('', '');
    expect(s().nodes).toEqual([]);
    s().addOperation('source');
    s().addOperation('sink');
    s().connect('source', undefined, 'sink');
    expect(s().diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(s().title).toMatch(/New graph/);
  });

  it('duplicates operations in one undo step and leaves the clipboard alone', () => {
    s().copy(['sink']);
    const clip = s().clipboard;
    s().duplicate(['module-temperature/map']);
    expect(names()).toHaveLength(4);
    expect(s().clipboard).toBe(clip);
    s().undo();
    expect(names()).toHaveLength(3);
  });

  it('a parameter field typed in bursts is one undo step per field', () => {
    const base = { name: 'p' };
    s().setParameter('module-temperature/map', undefined, 'p', base);
    for (const d of ['c', 'cu', 'cut']) s().setParameter('module-temperature/map', 'p', 'p', { ...base, description: d }, 'map:p:description');
    for (const d of ['1', '10']) s().setParameter('module-temperature/map', 'p', 'p', { ...base, description: 'cut', default: d }, 'map:p:default');
    s().undo();
    expect(s().yaml).toContain('description: cut');
    expect(s().yaml).not.toMatch(/default: "?10/);
    s().undo();
    expect(s().yaml).not.toContain('description: cut');
    expect(s().yaml).toContain('p:');
  });
});
