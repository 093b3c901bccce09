import { describe, expect, it } from 'vitest';
import { alignLines, describeChange, showValue } from './changes.ts';

describe('deploy diff display', () => {
  it('summarises each kind of change', () => {
    expect(describeChange({ path: '', kind: 'added' })).toBe('+ (the whole graph)');
    expect(describeChange({ path: 'spec.nodes[name=t].graphSettings.artifact', kind: 'changed', before: 'a:1', after: 'a:2' })).toBe('~ spec.nodes[name=t].graphSettings.artifact: a:1 → a:2');
    expect(describeChange({ path: 'spec.nodes[name=x]', kind: 'removed', before: { name: 'x' } })).toBe('- spec.nodes[name=x]');
    expect(describeChange({ path: 'spec.nodes[name=x].graphSettings', kind: 'changed', before: { a: 1 }, after: { a: 2 } })).toBe('~ spec.nodes[name=x].graphSettings');
  });

  it('shows objects as YAML', () => {
    expect(showValue({ key: 'k', value: 'v' })).toBe('key: k\nvalue: v');
  });

  it('aligns two manifests on their common lines: one inserted line is one row', () => {
    const rows = alignLines('a\nb\nc\nd', 'a\nx\nb\nc');
    expect(rows).toEqual([
      { left: 'a', right: 'a', kind: 'same' },
      { right: 'x', kind: 'right-only' },
      { left: 'b', right: 'b', kind: 'same' },
      { left: 'c', right: 'c', kind: 'same' },
      { left: 'd', kind: 'left-only' },
    ]);
    expect(alignLines('', '').map((r) => r.kind)).toEqual(['same']);
  });
});
