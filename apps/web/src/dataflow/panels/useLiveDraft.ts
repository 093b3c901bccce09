/**
 * Side-panel fields apply as they are typed (as in n8n): each change is
 * written to the manifest at once, so the YAML and the canvas follow live.
 * A burst of typing in one field is one undo step (the store coalesces by
 * field). The panel shows its own draft, not the text read back, so what is
 * half typed (a trailing space, an empty new row) stays in the field; an
 * outside change (undo, YAML typing) replaces the draft.
 */
import { useEffect, useRef, useState } from 'react';
import { useDataflow } from '../store.ts';

export function useLiveDraft<T>(current: T, scope: string, write: (text: string, draft: T) => string) {
  const [draft, setDraft] = useState(current);
  // The text our last edit produced (for this scope): while the manifest is still that, a change of `current` is our own echo.
  const own = useRef<{ scope: string; yaml: string } | undefined>(undefined);
  const signature = JSON.stringify([scope, current]);
  useEffect(() => {
    const echo = own.current?.scope === scope && own.current.yaml === useDataflow.getState().yaml;
    if (!echo) setDraft(current);
  }, [signature]); // compared by value: `current` is a new object on every render
  const update = (field: string, next: T) => {
    setDraft(next);
    useDataflow.getState().editField(`${scope}:${field}`, (text) => write(text, next));
    own.current = { scope, yaml: useDataflow.getState().yaml };
  };
  return [draft, update] as const;
}
