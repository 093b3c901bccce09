import { describe, expect, it, vi } from 'vitest';
import { createDataflowStore } from './store.ts';
import { newDataflowGraphYaml, setNodeValue } from './manifest.ts';
import { AUTOSAVE_KEY, keepDrafts, readKeptDraft, restoreDraft } from './autosave.ts';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};

describe('keeping unsaved drafts', () => {
  it('keeps a dirty draft, restores it still dirty against the saved copy, and forgets it once saved', () => {
    vi.useFakeTimers();
    try {
      const storage = memory();
      const store = createDataflowStore();
      const stop = keepDrafts(store, storage, 100, () => 42);
      const saved = newDataflowGraphYaml('g');
      store.getState().open(saved, { name: 'g', resourceVersion: '3' });
      store.getState().edit((y) => setNodeValue(y, 'destination', ['destinationSettings', 'dataDestination'], 'elsewhere'));
      vi.advanceTimersByTime(150);
      const kept = readKeptDraft(storage)!;
      expect(kept).toMatchObject({ savedName: 'g', resourceVersion: '3', baseline: saved, at: 42 });
      expect(kept.yaml).toContain('elsewhere');

      const next = createDataflowStore();
      restoreDraft(next, kept);
      expect(next.getState().isDirty()).toBe(true);
      expect(next.getState().nodes.find((n) => n.id === 'destination')!.data.dirty).toBe(true);

      store.getState().markSaved(store.getState().yaml, { name: 'g', resourceVersion: '4' });
      vi.advanceTimersByTime(150);
      expect(storage.getItem(AUTOSAVE_KEY)).toBeNull();
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores what it cannot read', () => {
    const storage = memory();
    storage.setItem(AUTOSAVE_KEY, '{not json');
    expect(readKeptDraft(storage)).toBeUndefined();
  });
});
