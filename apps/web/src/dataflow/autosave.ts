/**
 * Unsaved work survives a closed tab or a crash: the data-flow draft is kept
 * in localStorage while it differs from the saved copy, and offered back on
 * the next visit (peers' users lose work to exactly this).
 */
import type { StoreApi } from 'zustand';
import type { DataflowState } from './store.ts';

export const AUTOSAVE_KEY = 'wgs.dataflow.draft';

export interface KeptDraft {
  yaml: string;
  baseline: string;
  savedName?: string;
  resourceVersion?: string;
  /** Epoch milliseconds of the last keystroke kept. */
  at: number;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Keeps the draft while it is dirty (at most every `delayMs`); returns the unsubscribe. */
export function keepDrafts(store: StoreApi<DataflowState>, storage: Storage, delayMs = 500, now = () => Date.now()): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    timer = undefined;
    const s = store.getState();
    if (!s.isDirty()) return storage.removeItem(AUTOSAVE_KEY);
    const kept: KeptDraft = { yaml: s.yaml, baseline: s.baseline, savedName: s.savedName, resourceVersion: s.resourceVersion, at: now() };
    storage.setItem(AUTOSAVE_KEY, JSON.stringify(kept));
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.yaml === prev.yaml && s.baseline === prev.baseline) return;
    if (!timer) timer = setTimeout(write, delayMs);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

export function readKeptDraft(storage: Storage): KeptDraft | undefined {
  try {
    const raw = storage.getItem(AUTOSAVE_KEY);
    const kept = raw ? (JSON.parse(raw) as KeptDraft) : undefined;
    return kept && typeof kept.yaml === 'string' && typeof kept.baseline === 'string' ? kept : undefined;
  } catch {
    return undefined;
  }
}

export function restoreDraft(store: StoreApi<DataflowState>, kept: KeptDraft): void {
  store.getState().open(kept.yaml, kept.savedName ? { name: kept.savedName, resourceVersion: kept.resourceVersion, baseline: kept.baseline } : undefined);
}
