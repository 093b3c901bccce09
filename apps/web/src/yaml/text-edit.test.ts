import { describe, expect, it } from 'vitest';
import { minimalEdit, type TextEdit } from './text-edit.ts';

const apply = (text: string, e: TextEdit | undefined) => (e ? text.slice(0, e.start) + e.text + text.slice(e.end) : text);

describe('minimalEdit', () => {
  it('replaces only the changed middle', () => {
    const before = 'operations:\n  - { name: m, module: format:1.0.0 }\n';
    const after = 'operations:\n  - { name: m, module: format:2.0.0 }\n';
    const e = minimalEdit(before, after);
    expect(e).toEqual({ start: before.indexOf('1.0.0'), end: before.indexOf('1.0.0') + 1, text: '2' });
    expect(apply(before, e)).toBe(after);
  });

  it('handles insertions, deletions, repeated text and equality', () => {
    expect(minimalEdit('aaa', 'aaa')).toBeUndefined();
    for (const [a, b] of [['aaa', 'aaaa'], ['abcabc', 'abc'], ['', 'x: 1\n'], ['x: 1\n', ''], ['a\nb\n', 'a\nc\nb\n']]) {
      expect(apply(a!, minimalEdit(a!, b!))).toBe(b);
    }
  });

  it('does not split a surrogate pair or a CRLF', () => {
    const e = minimalEdit('x\r\ny', 'x\ny');
    expect(e).toEqual({ start: 1, end: 3, text: '\n' });
    const emoji = minimalEdit('a\u{1F600}', 'a\u{1F601}')!;
    expect(emoji.start).toBe(1);
    expect(apply('a\u{1F600}', emoji)).toBe('a\u{1F601}');
  });
});
