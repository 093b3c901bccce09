import { BOUNDARY_MESSAGES } from '@wgs/graph-model';

const LABEL: Record<(typeof BOUNDARY_MESSAGES)[number], string> = {
  messageInCurrent: 'in the window it closes',
  messageInNext: 'in the next window',
};

/** Where the message that closes a window goes; absent reads as messageInCurrent, the components' default. */
export function BoundarySelect({ value, testId, label, disabled, invalid, onChange }: {
  value: unknown; testId: string; label: string; disabled?: boolean; invalid?: boolean; onChange(value: string): void;
}) {
  const current = typeof value === 'string' ? value : 'messageInCurrent';
  return (
    <label className="rule-field" title="boundaryMessage: messageInCurrent (the default) or messageInNext"><span>Closing message</span>
      <select data-testid={testId} aria-label={label} value={current} disabled={disabled} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)}>
        {!(BOUNDARY_MESSAGES as readonly string[]).includes(current) && <option value={current}>{current}</option>}
        {BOUNDARY_MESSAGES.map((b) => <option key={b} value={b}>{LABEL[b]}</option>)}
      </select>
    </label>
  );
}
