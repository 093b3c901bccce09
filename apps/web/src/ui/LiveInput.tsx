import { useEffect, useRef, useState } from 'react';

interface Props {
  value: string;
  testId: string;
  /** Why `text` cannot be applied (empty, taken…): shown under the field, nothing is written. */
  problem?(text: string): string | undefined;
  /** Writes `text`; `burst` names this typing burst (the field and what it edits at focus), for undo coalescing. */
  onApply(text: string, burst: string): void;
  /** Left or Enter with a valid value (e.g. a follow-up rename once the whole module reference is typed). */
  onSettle?(text: string): void;
  placeholder?: string;
  ariaLabel?: string;
}

/**
 * A field that applies as it is typed (like the other side-panel fields), for
 * values that name things — an operation, a node, a parameter key, a module.
 * A half-typed value that cannot be applied (empty, a name already taken) is
 * kept in the field, marked and explained, and written once it becomes valid;
 * leaving the field or Escape drops it and shows the applied value again.
 */
export function LiveInput({ value, testId, problem, onApply, onSettle, placeholder, ariaLabel }: Props) {
  const [draft, setDraft] = useState(value);
  // The value at focus: the burst's identity while its own edits change `value`.
  const burst = useRef<string | undefined>(undefined);
  useEffect(() => setDraft(value), [value]);
  const issue = draft !== value ? problem?.(draft) : undefined;
  const settle = () => {
    if (draft === value && onSettle) onSettle(value);
    setDraft(value);
    burst.current = undefined;
  };
  return (
    <span className="live-input">
      <input
        data-testid={testId}
        value={draft}
        placeholder={placeholder}
        aria-label={ariaLabel}
        aria-invalid={issue ? true : undefined}
        spellCheck={false}
        onFocus={() => (burst.current = value)}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          burst.current ??= value;
          if (text !== value && !problem?.(text)) onApply(text, `${testId}:${burst.current}`);
        }}
        onBlur={settle}
        onKeyDown={(e) => {
          if (e.key === 'Enter') settle();
          if (e.key === 'Escape' && draft !== value) {
            e.stopPropagation();
            setDraft(value);
          }
        }}
      />
      {issue && <span className="field-problem" role="alert" data-testid={`${testId}-problem`}>{issue}</span>}
    </span>
  );
}
