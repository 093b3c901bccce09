import { describe, expect, it } from 'vitest';
import { selectionFor } from './selection.ts';

describe('context-menu selection', () => {
  const nodes = [{ id: 'a', selected: true }, { id: 'b', selected: true }, { id: 'c' }];
  const edges = [{ id: 'e1', selected: true }, { id: 'e2' }];
  it('acts on the whole selection when the node is in it', () => {
    expect(selectionFor('b', nodes, edges)).toEqual({ nodeIds: ['a', 'b'], edgeIds: ['e1'] });
  });
  it('acts on the node alone when it is not selected', () => {
    expect(selectionFor('c', nodes, edges)).toEqual({ nodeIds: ['c'], edgeIds: [] });
  });
});
