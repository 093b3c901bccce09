import type { RuleProblem } from '@wgs/graph-model';
import type { Throttle } from './config.ts';
import { NumberField } from './NumberField.tsx';
import { moved, removed, replaced } from './lists.ts';

/** Throttle rules in order (first match wins, so most specific first): topic filter and messages per second. */
export function ThrottleRows({ rows, problems, onChange }: { rows: Throttle[]; problems: RuleProblem[]; onChange(rows: Throttle[]): void }) {
  return (
    <div className="rows" data-testid="throttle-rows">
      <div className="row muted"><span className="grow">Topic filter</span><span className="rate">Max messages/s</span></div>
      {rows.map((r, i) => {
        const mine = problems.filter((p) => p.rule === i);
        return (
          <div key={i}>
            <div className="row" data-testid="throttle-row">
              <input className="grow" data-testid="throttle-topic" aria-label={`rule ${i + 1} topic`} value={r.topic ?? ''} placeholder="sensors/#" aria-invalid={mine.some((p) => p.field === 'topic')}
                onChange={(e) => onChange(replaced(rows, i, { ...r, topic: e.target.value }))} />
              <span className="rate">
                <NumberField testId="throttle-rate" label={`rule ${i + 1} max messages per second`} value={r.maxMessagesPerSecond} placeholder="10" invalid={mine.some((p) => p.field === 'maxMessagesPerSecond')}
                  onChange={(v) => onChange(replaced(rows, i, { ...r, maxMessagesPerSecond: v ?? 0 }))} />
              </span>
              <button className="icon" aria-label={`move rule ${i + 1} up`} disabled={i === 0} onClick={() => onChange(moved(rows, i, -1))}>↑</button>
              <button className="icon" aria-label={`move rule ${i + 1} down`} disabled={i === rows.length - 1} onClick={() => onChange(moved(rows, i, 1))}>↓</button>
              <button className="icon" aria-label={`remove rule ${i + 1}`} onClick={() => onChange(removed(rows, i))}>−</button>
            </div>
            {mine.map((p, j) => <small key={j} className="diag-error" data-testid="rule-problem">{p.message}</small>)}
          </div>
        );
      })}
      <button data-testid="add-throttle" onClick={() => onChange([...rows, { topic: '', maxMessagesPerSecond: 1 }])}>+ Add row</button>
    </div>
  );
}
