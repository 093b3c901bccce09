import { useState } from 'react';

interface Props {
  value: number | undefined;
  testId: string;
  label: string;
  placeholder?: string;
  invalid?: boolean;
  /** A number, or undefined when the field is emptied. */
  onChange(value: number | undefined): void;
}

/** A number typed as text: what is typed stays while focused ("0." on the way to "0.5"); a number is written as soon as it parses. */
export function NumberField({ value, testId, label, placeholder, invalid, onChange }: Props) {
  const [draft, setDraft] = useState<string>();
  return (
    <input
      data-testid={testId}
      aria-label={label}
      inputMode="decimal"
      value={draft ?? (value === undefined ? '' : String(value))}
      placeholder={placeholder}
      aria-invalid={invalid || (draft !== undefined && draft.trim() !== '' && !Number.isFinite(Number(draft)))}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        if (!text.trim()) onChange(undefined);
        else if (Number.isFinite(Number(text))) onChange(Number(text));
      }}
      onBlur={() => setDraft(undefined)}
    />
  );
}
