import type { RuleProblem } from '@wgs/graph-model';
import type { TriggerRule } from './config.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { BoundarySelect } from './BoundarySelect.tsx';
import { moved, removed, replaced } from './lists.ts';
import { BLANK_TRIGGER, ruleAsTrigger, triggerAsRule } from './window.ts';

interface Props {
  rules: TriggerRule[];
  /** The `triggers` value's problems (`rule` is the trigger's index). */
  problems: RuleProblem[];
  pathList: string;
  onChange(rules: TriggerRule[]): void;
}

/**
 * Window 1.1.0 trigger rules, in order (the first true one closes the
 * window): inputs, a boolean trigger expression (running functions offered),
 * and where the closing message goes.
 */
export function TriggerList({ rules, problems, pathList, onChange }: Props) {
  return (
    <div className="rule-list" data-testid="trigger-list">
      {rules.length === 0 && <div className="muted">No triggers.</div>}
      {rules.map((t, i) => {
        const mine = problems.filter((p) => p.rule === i);
        return (
          <RuleEditor key={i} noun="Trigger" rule={triggerAsRule(t)} index={i} count={rules.length} output={false} mode="trigger" pathList={pathList} problems={mine}
            onChange={(rule) => onChange(replaced(rules, i, ruleAsTrigger(t, rule)))}
            onRemove={() => onChange(removed(rules, i))}
            onMove={(d) => onChange(moved(rules, i, d))}>
            <BoundarySelect value={t.boundaryMessage} testId="trigger-boundary" label={`trigger ${i + 1} boundary message`} invalid={mine.some((p) => p.field === 'boundaryMessage')}
              onChange={(boundaryMessage) => onChange(replaced(rules, i, { ...t, boundaryMessage }))} />
          </RuleEditor>
        );
      })}
      <button data-testid="add-trigger" onClick={() => onChange([...rules, BLANK_TRIGGER])}>+ Trigger</button>
    </div>
  );
}
