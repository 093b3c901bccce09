import type { ExpressionMode, RuleProblem } from '@wgs/graph-model';
import type { Rule } from './config.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { moved, removed, replaced } from './lists.ts';

interface Props {
  rules: Rule[];
  output: boolean;
  mode: ExpressionMode;
  problems: RuleProblem[];
  pathList: string;
  /** What "+ Rule" adds. */
  blank: Rule;
  onChange(rules: Rule[]): void;
}

/** Ordered rules: add, remove, move up and down (order matters: later map writes win, the first filter match drops). */
export function RuleList({ rules, output, mode, problems, pathList, blank, onChange }: Props) {
  return (
    <div className="rule-list" data-testid="rule-list">
      {rules.length === 0 && <div className="muted">No rules yet.</div>}
      {rules.map((r, i) => (
        <RuleEditor key={i} rule={r} index={i} count={rules.length} output={output} mode={mode} pathList={pathList}
          problems={problems.filter((p) => p.rule === i)}
          onChange={(rule) => onChange(replaced(rules, i, rule))}
          onRemove={() => onChange(removed(rules, i))}
          onMove={(d) => onChange(moved(rules, i, d))} />
      ))}
      <button data-testid="add-rule" onClick={() => onChange([...rules, blank])}>+ Rule</button>
    </div>
  );
}
