/**
 * Keyboard shortcuts of the graph-definition editor. They act only when the
 * focus is not in a text field or in Monaco (which has its own undo, copy
 * and select-all), so typing is never hijacked.
 */
import { useEffect } from 'react';
import { useDesigner } from '../store/designer.ts';

export type ShortcutAction = 'undo' | 'redo' | 'copy' | 'paste' | 'selectAll' | 'layout';

interface Keys {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function shortcutFor(e: Keys): ShortcutAction | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (e.altKey) return undefined;
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y' && !e.shiftKey) return 'redo';
  if (mod && !e.shiftKey && key === 'c') return 'copy';
  if (mod && !e.shiftKey && key === 'v') return 'paste';
  if (mod && !e.shiftKey && key === 'a') return 'selectAll';
  if (!mod && !e.shiftKey && key === 'l') return 'layout';
  return undefined;
}

/** Text fields and Monaco keep their own keys. */
export function isTextTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  if (el.isContentEditable) return true;
  return !!el.closest('input, textarea, select, [contenteditable="true"], .monaco-editor');
}

/** Runs the action; false when it did not apply (so the browser's default stays). */
export function runShortcut(action: ShortcutAction): boolean {
  const s = useDesigner.getState();
  switch (action) {
    case 'undo':
      s.undo();
      return true;
    case 'redo':
      s.redo();
      return true;
    case 'copy': {
      // Without selected operations Ctrl+C copies page text as usual.
      if (!s.nodes.some((n) => n.selected || n.id === s.selected)) return false;
      s.copy();
      return true;
    }
    case 'paste':
      if (!s.clipboard) return false;
      s.paste();
      return true;
    case 'selectAll':
      if (!s.nodes.length) return false;
      s.selectAll();
      return true;
    case 'layout':
      if (!s.nodes.length) return false;
      void s.relayout();
      return true;
  }
}

export function useEditorShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTextTarget(e.target)) return;
      const action = shortcutFor(e);
      if (action && runShortcut(action)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
