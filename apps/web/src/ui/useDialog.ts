/**
 * What every dialog does: Escape closes it (only the topmost one, when a
 * dialog opened another), focus moves into it when it opens, and goes back to
 * what had it (e.g. the button that opened it) when it closes.
 */
import { useEffect, useRef } from 'react';

/** Open dialogs, innermost last. */
const open: symbol[] = [];

export function useDialog<T extends HTMLElement>(onClose: () => void) {
  const ref = useRef<T>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const id = Symbol('dialog');
    open.push(id);
    const before = document.activeElement as HTMLElement | null;
    // Focus inside, unless something in the dialog took it already (autoFocus).
    if (ref.current && !ref.current.contains(document.activeElement)) ref.current.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || open[open.length - 1] !== id) return;
      // Monaco's suggestion widget and the like close on their own first.
      if (e.defaultPrevented) return;
      e.preventDefault();
      close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      open.splice(open.indexOf(id), 1);
      if (before?.isConnected) before.focus();
    };
  }, []);
  return ref;
}
