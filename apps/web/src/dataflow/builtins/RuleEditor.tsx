import type { ReactNode } from 'react';
import type { ExpressionMode, RuleProblem } from '@wgs/graph-model';
import type { Rule } from './config.ts';
import { ExpressionInput } from './ExpressionInput.tsx';

interface Props {
  rule: Rule;
  /** 0-based; shown 1-based as the components' messages count. */
  index: number;
  count: number;
  /** Map and accumulate rules write an output; filter and branch rules do not. */
  output: boolean;
  mode: ExpressionMode;
  problems: RuleProblem[];
  /** id of the datalist of field paths (inputs); `<id>-output` is the outputs' (no `$context`). */
  pathList: string;
  onChange(rule: Rule): void;
  /** Absent for the branch's single rule. */
  onRemove?(): void;
  onMove?(delta: -1 | 1): void;
  /** "Rule" unless given (window triggers: "Trigger"). */
  noun?: string;
  /** More fields after the description (a trigger's boundary message). */
  children?: ReactNode;
}

/** Sets a string field, leaving it out when blank (no expression: a copy rule; no description). */
function withField(rule: Rule, field: 'output' | 'expression' | 'description', value: string): Rule {
  const next = { ...rule, [field]: value };
  if (field !== 'output' && !value) delete next[field];
  return next;
}

/** One rule: inputs ($1, $2, … in order), output, expression, description; its problems under it. */
export function RuleEditor({ rule, index, count, output, mode, problems, pathList, onChange, onRemove, onMove, noun = 'Rule', children }: Props) {
  const lower = noun.toLowerCase();
  const inputs = Array.isArray(rule.inputs) ? rule.inputs : [];
  const setInput = (i: number, v: string) => onChange({ ...rule, inputs: inputs.map((x, j) => (j === i ? v : x)) });
  const bad = (field: RuleProblem['field']) => problems.some((p) => p.field === field);
  return (
    <fieldset className={`config-section rule${problems.length ? ' has-error' : ''}`} data-testid="rule" data-index={index}>
      <legend>
        {noun} {index + 1}
        {onMove && <button className="icon" title="move up" aria-label={`move ${lower} ${index + 1} up`} data-testid="rule-up" disabled={index === 0} onClick={() => onMove(-1)}>↑</button>}
        {onMove && <button className="icon" title="move down" aria-label={`move ${lower} ${index + 1} down`} data-testid="rule-down" disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>}
        {onRemove && <button className="icon danger" title={`remove this ${lower}`} aria-label={`remove ${lower} ${index + 1}`} data-testid="rule-remove" onClick={onRemove}>✕</button>}
      </legend>
      <div className="rule-field"><span>Inputs</span>
        <div className="rows">
          {inputs.map((v, i) => (
            <div className="row" key={i}>
              <code className="muted" title={`the expression reads this input as $${i + 1}`}>${i + 1}</code>
              <input data-testid="rule-input" aria-label={`${lower} ${index + 1} input ${i + 1}`} list={pathList} value={v} placeholder="temperature.value" aria-invalid={bad('inputs')}
                onChange={(e) => setInput(i, e.target.value)} />
              <button aria-label={`remove input ${i + 1}`} onClick={() => onChange({ ...rule, inputs: inputs.filter((_, j) => j !== i) })}>−</button>
            </div>
          ))}
          <button data-testid="add-input" onClick={() => onChange({ ...rule, inputs: [...inputs, ''] })}>+ Input</button>
        </div>
      </div>
      {output && (
        <label className="rule-field"><span>Output</span>
          <input data-testid="rule-output" list={mode === 'row' ? `${pathList}-output` : undefined} value={rule.output ?? ''} placeholder={mode === 'row' ? 'field path, $metadata.topic, or empty to remove' : 'field path'} aria-invalid={bad('output')}
            onChange={(e) => onChange(withField(rule, 'output', e.target.value))} />
        </label>
      )}
      <div className="rule-field"><span>{mode === 'trigger' ? 'Trigger' : 'Expression'}</span>
        <ExpressionInput value={rule.expression ?? ''} mode={mode} invalid={bad('expression')} testId="rule-expression" onChange={(v) => onChange(withField(rule, 'expression', v))} />
      </div>
      <label className="rule-field"><span>Description</span>
        <input data-testid="rule-description" value={rule.description ?? ''} placeholder="shown in error messages" onChange={(e) => onChange(withField(rule, 'description', e.target.value))} />
      </label>
      {children}
      {problems.map((p, i) => (
        <small key={i} className="diag-error" data-testid="rule-problem">
          {p.message}{p.start !== undefined && p.field === 'expression' ? ` (column ${p.start + 1})` : ''}
        </small>
      ))}
    </fieldset>
  );
}
