import { useRef, useState } from 'react';
import type { ExpressionMode } from '@wgs/graph-model';
import { functionSuggestions, insertFunction } from './completion.ts';

interface Props {
  value: string;
  mode: ExpressionMode;
  invalid: boolean;
  testId: string;
  onChange(value: string): void;
}

/** An expression field that offers function names for the word being typed (↑ ↓ choose, Enter or Tab insert, Escape close). */
export function ExpressionInput({ value, mode, invalid, testId, onChange }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState<number>();
  const [active, setActive] = useState(0);
  const { start, items } = cursor === undefined ? { start: 0, items: [] } : functionSuggestions(value, cursor, mode);
  const track = () => setCursor(input.current?.selectionStart ?? undefined);
  const pick = (name: string) => {
    const next = insertFunction(value, start, cursor ?? value.length, name);
    onChange(next.text);
    setCursor(undefined);
    // After React wrote the new value.
    requestAnimationFrame(() => input.current?.setSelectionRange(next.cursor, next.cursor));
  };
  return (
    <div className="expr-input">
      <input
        ref={input}
        data-testid={testId}
        value={value}
        placeholder={mode === 'accumulate' ? 'average($1)' : mode === 'trigger' ? 'e.g. running_sum($1) + $1 > 100' : 'e.g. cToF($1)'}
        aria-invalid={invalid}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          onChange(e.target.value);
          setCursor(e.target.selectionStart ?? undefined);
          setActive(0);
        }}
        onClick={track}
        onBlur={() => setCursor(undefined)}
        onKeyDown={(e) => {
          if (!items.length) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
          } else if (e.key === 'Enter' || e.key === 'Tab') {
            e.preventDefault();
            pick(items[Math.min(active, items.length - 1)]!.name);
          } else if (e.key === 'Escape') setCursor(undefined);
        }}
      />
      {items.length > 0 && (
        <ul className="expr-suggestions" role="listbox" data-testid="expression-suggestions">
          {items.map((f, i) => (
            <li key={f.name} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the focus in the field
                pick(f.name);
              }}>
              <code>{f.name}</code> <span className="muted">({f.signature})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
