import type { Resource } from '@wgs/api-contract';
import { ApiError, type ApiClient } from '../api/client.ts';
import { useDataflow } from './store.ts';
import { toResource } from './manifest.ts';
import { builtinBlocker } from './builtins/diagnostics.ts';

export type SaveOutcome =
  | { kind: 'saved'; name: string }
  | { kind: 'conflict'; current?: Resource; mine: Resource; message: string }
  | { kind: 'invalid'; error: ApiError }
  | { kind: 'failed'; message: string };

/** The editor's draft as the resource to send, with the version it was based on (optimistic concurrency). */
export function draftResource(): Resource | undefined {
  const s = useDataflow.getState();
  if (!s.value) return undefined;
  const r = toResource(s.value) as unknown as Resource;
  return s.savedName && s.resourceVersion ? { ...r, metadata: { ...r.metadata, resourceVersion: s.resourceVersion } } : r;
}

/** Saves the draft to the store: create when new, replace when saved before; `overwrite` takes the version of a conflicting copy. */
export async function saveDraft(api: ApiClient, overwrite?: Resource): Promise<SaveOutcome> {
  const s = useDataflow.getState();
  const draft = draftResource();
  if (!draft) return { kind: 'failed', message: 'the YAML does not parse: fix it first' };
  // A built-in's rules that its component would refuse at start are not saved.
  const blocker = builtinBlocker(s.diagnostics, s.value);
  if (blocker) return { kind: 'failed', message: blocker };
  const text = s.yaml;
  const body = overwrite ? { ...draft, metadata: { ...draft.metadata, resourceVersion: overwrite.metadata.resourceVersion } } : draft;
  try {
    const saved = s.savedName || overwrite ? await api.replace('dataflowgraphs', body) : await api.create('dataflowgraphs', body);
    // Typing since the request left keeps the draft dirty: the baseline is what was sent.
    useDataflow.getState().markSaved(text, { name: saved.metadata.name, resourceVersion: saved.metadata.resourceVersion });
    return { kind: 'saved', name: saved.metadata.name };
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) return { kind: 'conflict', current: e.current, mine: draft, message: e.message };
    if (e instanceof ApiError && e.status === 422) return { kind: 'invalid', error: e };
    return { kind: 'failed', message: (e as Error).message };
  }
}
