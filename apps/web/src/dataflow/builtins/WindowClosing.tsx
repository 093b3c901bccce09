import type { RuleProblem } from '@wgs/graph-model';
import type { Limit } from './config.ts';
import { NumberField } from './NumberField.tsx';
import { BoundarySelect } from './BoundarySelect.tsx';
import { limitOf, withLimit } from './window.ts';

const FIELD = { count: ['maxMessageCount', 'Message count', 'messages'], memory: ['maxBufferBytes', 'Buffer size', 'payload bytes'] } as const;

/** Window 1.1.0 `count` or `memory`: the limit (empty = no such condition) and where the closing message goes. */
export function LimitRow({ which, value, problems, onChange }: { which: 'count' | 'memory'; value: Limit | undefined; problems: RuleProblem[]; onChange(value: Limit | undefined): void }) {
  const [field, label, unit] = FIELD[which];
  return (
    <div data-testid={`window-${which}-row`}>
      <label className="rule-field"><span>{label}</span>
        <NumberField testId={`window-${which}`} label={`close after this many ${unit}`} value={limitOf(which, value)} placeholder={`none (close after N ${unit})`}
          invalid={problems.some((p) => p.field === field)} onChange={(v) => onChange(withLimit(which, value, v))} />
      </label>
      <BoundarySelect value={value?.boundaryMessage} testId={`window-${which}-boundary`} label={`${which} boundary message`} disabled={!value}
        invalid={problems.some((p) => p.field === 'boundaryMessage')} onChange={(boundaryMessage) => value && onChange({ ...value, boundaryMessage })} />
      {problems.map((p, i) => <small key={i} className="diag-error" data-testid="rule-problem">{p.message}</small>)}
    </div>
  );
}
