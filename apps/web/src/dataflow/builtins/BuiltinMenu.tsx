import { useEffect, useRef, useState } from 'react';
import { BUILTIN_KINDS, type BuiltinKind } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { BUILTIN_INFO } from './kinds.ts';
import { addBuiltinAt } from './add.ts';

function add(kind: BuiltinKind) {
  const s = useDataflow.getState();
  let name: string | undefined;
  s.edit((text) => {
    const added = addBuiltinAt(text, s.value, kind, s.nodes.map((n) => n.position));
    name = added.name;
    return added.text;
  });
  if (name) useDataflow.getState().select(name);
}

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
          {BUILTIN_KINDS.map((kind) => (
            <li key={kind} role="none">
              <button role="menuitem" data-testid={`add-builtin-${kind}`} onClick={() => {
                setOpen(false);
                add(kind);
              }}>
                <strong>{BUILTIN_INFO[kind].label}</strong>
                <small>{BUILTIN_INFO[kind].hint}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
