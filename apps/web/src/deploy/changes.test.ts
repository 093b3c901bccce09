import { describe, expect, it } from 'vitest';
import { describeChange, showValue, sideBySide } from './changes.ts';

describe('deploy diff display', () => {
  it('summarises each kind of change', () => {
    expect(describeChange({ path: '', kind: 'added' })).toBe('+ (the whole graph)');
    expect(describeChange({ path: 'spec.nodes[name=t].graphSettings.artifact', kind: 'changed', before: 'a:1', after: 'a:2' })).toBe('~ spec.nodes[name=t].graphSettings.artifact: a:1 → a:2');
    expect(describeChange({ path: 'spec.nodes[name=x]', kind: 'removed', before: { name: 'x' } })).toBe('- spec.nodes[name=x]');
    expect(describeChange({ path: 'spec.nodes[name=x].graphSettings', kind: 'changed', before: { a: 1 }, after: { a: 2 } })).toBe('~ spec.nodes[name=x].graphSettings');
  });

  it('shows objects as YAML and lines side by side with differences marked', () => {
    expect(showValue({ key: 'k', value: 'v' })).toBe('key: k\nvalue: v');
    expect(sideBySide('a\nb', 'a\nc\nd').map((r) => r.differs)).toEqual([false, true, true]);
  });
});
