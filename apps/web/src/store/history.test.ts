import { describe, expect, it } from 'vitest';
import { createTextHistory } from './history.ts';

describe('text history', () => {
  it('undoes and redoes distinct edits in order', () => {
    const h = createTextHistory('a', { coalesceMs: 10 });
    h.push('ab', 0);
    h.push('abc', 100);
    expect(h.undo()).toBe('ab');
    expect(h.undo()).toBe('a');
    expect(h.undo()).toBeUndefined();
    expect(h.redo()).toBe('ab');
    expect(h.redo()).toBe('abc');
    expect(h.canRedo()).toBe(false);
  });

  it('coalesces a burst of typing into one step', () => {
    const h = createTextHistory('', { coalesceMs: 500 });
    h.push('h', 0);
    h.push('he', 100);
    h.push('hel', 200);
    expect(h.undo()).toBe('');
    expect(h.canUndo()).toBe(false);
  });

  it('records discrete edits as their own steps, even right after typing', () => {
    const h = createTextHistory('', { coalesceMs: 10_000 });
    h.push('typed');
    h.record('typed + node');
    h.push('typed + node + more');
    expect(h.undo()).toBe('typed + node');
    expect(h.undo()).toBe('typed');
    expect(h.undo()).toBe('');
  });

  it('a new edit after undo drops the redo branch', () => {
    const h = createTextHistory('x', { coalesceMs: 0 });
    h.push('y', 1);
    h.undo();
    h.push('z', 2);
    expect(h.canRedo()).toBe(false);
    expect(h.undo()).toBe('x');
  });

  it('keeps at most `limit` steps and ignores unchanged text', () => {
    const h = createTextHistory('0', { coalesceMs: 0, limit: 3 });
    for (let i = 1; i <= 10; i++) h.push(String(i), i * 10);
    h.push('10', 200);
    let steps = 0;
    while (h.undo() !== undefined) steps++;
    expect(steps).toBe(3);
  });

  it('coalesces typing per field: a burst in one field is one step, another field starts a new one', () => {
    const h = createTextHistory('', { coalesceMs: 800 });
    h.push('t', 0, 'topic');
    h.push('to', 100, 'topic');
    h.push('top', 200, 'topic');
    h.push('top+a', 300, 'asset');
    h.push('top+ab', 400, 'asset');
    h.push('top+ab ', 2000, 'asset');
    expect(h.undo()).toBe('top+ab');
    expect(h.undo()).toBe('top');
    expect(h.undo()).toBe('');
    expect(h.canUndo()).toBe(false);
  });
});
