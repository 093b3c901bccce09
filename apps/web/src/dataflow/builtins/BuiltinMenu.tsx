import { useEffect, useRef, useState } from 'react';
import { BUILTIN_KINDS, type BuiltinKind } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { BUILTIN_INFO, WINDOW_1_1_INFO } from './kinds.ts';
import { addBuiltinAt } from './add.ts';

function add(kind: BuiltinKind, version?: string) {
  const s = useDataflow.getState();
  let name: string | undefined;
  s.edit((text) => {
    const added = addBuiltinAt(text, s.value, kind, s.nodes.map((n) => n.position), version);
    name = added.name;
    return added.text;
  });
  if (name) useDataflow.getState().select(name);
}

/** The menu's entries: the six built-ins at 1.0.0, and window 1.1.0 (count, memory, triggers) after window. */
const ENTRIES: { kind: BuiltinKind; version?: string; testId: string; label: string; hint: string }[] = BUILTIN_KINDS.flatMap((kind) => {
  const entry = { kind, testId: `add-builtin-${kind}`, ...BUILTIN_INFO[kind] };
  return kind === 'window' ? [entry, { kind, version: '1.1.0', testId: 'add-builtin-window-1.1.0', ...WINDOW_1_1_INFO }] : [entry];
});

/** The reference's "Add transform" menu: the six built-ins, each ready to run with its defaults. */
export function BuiltinMenu() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="builtin-menu" ref={root}>
      <button data-testid="add-builtin" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>+ Built-in transform ▾</button>
      {open && (
        <ul role="menu" data-testid="builtin-menu">
          {ENTRIES.map((e) => (
            <li key={e.testId} role="none">
              <button role="menuitem" data-testid={e.testId} onClick={() => {
                setOpen(false);
                add(e.kind, e.version);
              }}>
                <strong>{e.label}</strong>
                <small>{e.hint}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
