import { describe, expect, it } from 'vitest';
import { autoLayout, type LayoutNode } from './auto-layout.ts';

const spacing = { column: 100, row: 10 };
const src = (name: string): LayoutNode => ({ name, nodeType: 'Source' });
const graph = (name: string): LayoutNode => ({ name, nodeType: 'Graph' });
const dest = (name: string): LayoutNode => ({ name, nodeType: 'Destination' });
const chain = (...names: string[]) => names.slice(1).map((to, i) => ({ from: names[i]!, to }));

describe('autoLayout', () => {
  it('puts a chain of built-ins one column after another, the destination last', () => {
    const at = autoLayout([dest('out'), graph('window'), graph('filter'), graph('map'), src('in')], chain('in', 'map', 'filter', 'window', 'out'), spacing);
    expect(['in', 'map', 'filter', 'window', 'out'].map((n) => at.get(n)!.x)).toEqual([0, 100, 200, 300, 400]);
    expect(new Set([...at.values()].map((p) => p.y))).toEqual(new Set([0]));
  });

  it('keeps the three columns of source, transform and destination for unconnected nodes', () => {
    const at = autoLayout([src('s'), graph('g'), dest('d')], [], spacing);
    expect([at.get('s')!.x, at.get('g')!.x, at.get('d')!.x]).toEqual([0, 100, 200]);
  });

  it('lines every destination up in the last column, even one fed straight by a source', () => {
    const at = autoLayout([src('s'), graph('a'), graph('b'), dest('d1'), dest('d2')], [...chain('s', 'a', 'b', 'd1'), { from: 's', to: 'd2' }], spacing);
    expect(at.get('d1')!.x).toBe(300);
    expect(at.get('d2')!.x).toBe(300);
  });

  it("puts a branch's true arm above its false arm whatever their order in the manifest, and merges at a concatenate", () => {
    const nodes = [src('s'), graph('branch'), graph('onFalse'), graph('onTrue'), graph('concat'), dest('d')];
    const links = [
      { from: 's', to: 'branch' },
      { from: 'branch.output.false', to: 'onFalse' },
      { from: 'branch.output.true', to: 'onTrue' },
      { from: 'onTrue', to: 'concat' },
      { from: 'onFalse', to: 'concat' },
      { from: 'concat', to: 'd' },
    ];
    const at = autoLayout(nodes, links, spacing);
    expect(at.get('onTrue')!.x).toBe(200);
    expect(at.get('onFalse')!.x).toBe(200);
    expect(at.get('onTrue')!.y).toBeLessThan(at.get('onFalse')!.y);
    expect(at.get('concat')!.x).toBe(300);
    // Single nodes are centred on the two arms, so the edges fan out evenly.
    expect(at.get('branch')!.y).toBe((at.get('onTrue')!.y + at.get('onFalse')!.y) / 2);
  });

  it('orders a column by what feeds it, so edges do not cross', () => {
    const at = autoLayout([src('s1'), src('s2'), graph('fromS2'), graph('fromS1'), dest('d')], [{ from: 's2', to: 'fromS2' }, { from: 's1', to: 'fromS1' }], spacing);
    expect(at.get('s1')!.y).toBeLessThan(at.get('s2')!.y);
    expect(at.get('fromS1')!.y).toBeLessThan(at.get('fromS2')!.y);
  });

  it('survives a cycle and links to unknown or own nodes (a graph half typed)', () => {
    const at = autoLayout([src('s'), graph('a'), graph('b'), dest('d')], [...chain('s', 'a', 'b', 'a'), { from: 'ghost', to: 'b' }, { from: 'd', to: 'd' }], spacing);
    expect(at.size).toBe(4);
    for (const p of at.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    expect(at.get('d')!.x).toBeGreaterThan(Math.max(at.get('a')!.x, at.get('b')!.x));
  });
});
