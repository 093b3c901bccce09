/**
 * Side-panel edits are never lost: whatever was changed in a panel is applied
 * when focus leaves one of its fields (e.g. clicking another node) or when the
 * panel goes away (another node selected, the editor left), not only on Apply.
 * Each application is one undo step of the editor.
 */
import { useEffect, useRef, type FocusEvent, type MouseEvent } from 'react';

export function useApplyOnLeave(apply: () => void) {
  const touched = useRef(false);
  const latest = useRef(apply);
  latest.current = apply;
  const flush = () => {
    if (!touched.current) return;
    touched.current = false;
    latest.current();
  };
  useEffect(() => flush, []);
  return {
    /** On the panel's container: changes and button clicks (add or remove a row) bubble up to it. */
    onChange: () => {
      touched.current = true;
    },
    onClick: (e: MouseEvent) => {
      const button = (e.target as HTMLElement).closest('button');
      if (button && !button.dataset.testid?.startsWith('apply-')) touched.current = true;
    },
    onBlur: (e: FocusEvent) => {
      // Moving between fields of the same panel is not leaving it.
      if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
      // After the click that moved the focus has done its work (selecting a node): an edit
      // in the middle of it re-renders the canvas under the pointer and the click is lost.
      setTimeout(flush, 0);
    },
    /** The Apply button: apply now. */
    applyNow: () => {
      touched.current = false;
      latest.current();
    },
  };
}
