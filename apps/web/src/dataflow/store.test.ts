import { describe, expect, it } from 'vitest';
import { createDataflowStore } from './store.ts';
import { newDataflowGraphYaml, setNodeValue, setValue } from './manifest.ts';

describe('data-flow editor state', () => {
  it('derives the canvas from the text; canvas edits are text edits that undo and redo', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'), { name: 'g', resourceVersion: '1' });
    expect(store.getState().nodes).toHaveLength(2);
    expect(store.getState().isDirty()).toBe(false);
    store.getState().addNode('Graph', { artifact: 'graph-simple:1.0.0' });
    expect(store.getState().selected).toBe('transform');
    expect(store.getState().edges.map((e) => `${e.source}>${e.target}`)).toEqual(['source>transform', 'transform>destination']);
    expect(store.getState().isDirty()).toBe(true);
    expect(store.getState().nodes.find((n) => n.id === 'transform')!.data.dirty).toBe(true);
    expect(store.getState().nodes.find((n) => n.id === 'source')!.data.dirty).toBe(false);
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(2);
    expect(store.getState().isDirty()).toBe(false);
    store.getState().redo();
    expect(store.getState().nodes).toHaveLength(3);
  });

  it('reports an edit it cannot make and changes nothing', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'));
    const before = store.getState().yaml;
    store.getState().connect('destination', 'source');
    expect(store.getState().editError).toMatch(/cannot connect/);
    expect(store.getState().yaml).toBe(before);
  });

  it('deleting a node removes its connections in one undoable step; saving clears the dirty state', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'), { name: 'g' });
    store.getState().addNode('Graph', { artifact: 'a:1' });
    store.getState().deleteElements(['transform'], []);
    expect(store.getState().edges).toEqual([]);
    store.getState().markSaved(store.getState().yaml, { name: 'g', resourceVersion: '2' });
    expect(store.getState().isDirty()).toBe(false);
    expect(store.getState().resourceVersion).toBe('2');
    store.getState().undo();
    expect(store.getState().edges).toHaveLength(2);
  });

  it('keeps the last canvas while the YAML has a syntax error, with the error listed', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'));
    store.getState().setYaml('spec: [');
    expect(store.getState().nodes).toHaveLength(2);
    expect(store.getState().diagnostics[0]!.severity).toBe('error');
  });

  it('copies the selected nodes and pastes them offset, in one undoable step', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'));
    store.getState().addNode('Graph', { artifact: 'a:1' });
    store.getState().setNodes(store.getState().nodes.map((n) => ({ ...n, selected: n.id !== 'destination' })));
    expect(store.getState().copySelection()).toBe(2);
    store.getState().paste();
    const s = store.getState();
    expect(s.nodes.map((n) => n.id)).toEqual(['source', 'transform', 'destination', 'source-copy', 'transform-copy']);
    const original = s.nodes.find((n) => n.id === 'transform')!.position;
    expect(s.nodes.find((n) => n.id === 'transform-copy')!.position).toEqual({ x: original.x + 40, y: original.y + 40 });
    expect(s.edges.map((e) => `${e.source}>${e.target}`)).toContain('source-copy>transform-copy');
    expect(s.selected).toBe('source-copy');
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(3);
  });

  it('a side-panel field applies at each keystroke; a burst in one field is one undo step, per field', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'));
    const opened = store.getState().yaml;
    const destination = (v: string) => (t: string) => setNodeValue(t, 'destination', ['destinationSettings', 'dataDestination'], v);
    for (const v of ['p', 'pl', 'plant']) store.getState().editField('destination:topic', destination(v));
    expect(store.getState().yaml).toContain('dataDestination: plant');
    const afterTopic = store.getState().yaml;
    store.getState().editField('properties:profile', (t) => setValue(t, ['spec', 'profileRef'], 'fast'));
    store.getState().undo();
    expect(store.getState().yaml).toBe(afterTopic);
    store.getState().undo();
    expect(store.getState().yaml).toBe(opened);
    expect(store.getState().canUndo).toBe(false);
  });

  it('duplicates nodes in one undoable step without touching what Ctrl+C copied', () => {
    const store = createDataflowStore();
    store.getState().open(newDataflowGraphYaml('g'));
    store.getState().setNodes(store.getState().nodes.map((n) => ({ ...n, selected: n.id === 'destination' })));
    store.getState().copySelection();
    store.getState().duplicate(['source']);
    expect(store.getState().nodes.map((n) => n.id)).toEqual(['source', 'destination', 'source-copy']);
    store.getState().paste();
    expect(store.getState().nodes.map((n) => n.id)).toContain('destination-copy');
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(2);
  });
});
