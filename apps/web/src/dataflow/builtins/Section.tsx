import type { ReactNode } from 'react';
import type { RuleProblem } from '@wgs/graph-model';

/** A titled part of a built-in's panel, with the problems of the whole value (not of a rule or field) above it. */
export function Section({ title, problems, children }: { title: string; problems: RuleProblem[]; children: ReactNode }) {
  return (
    <div className="builtin-section">
      <div className="field-label">{title}</div>
      {problems.filter((p) => p.rule === undefined && !p.field).map((p, i) => (
        <div key={i} className={`diag diag-${p.severity ?? 'error'}`} data-testid={p.severity ? 'config-warning' : 'config-problem'}>{p.message}</div>
      ))}
      {children}
    </div>
  );
}

/** A configuration value that is not JSON: left to the YAML editor. */
export function Unreadable({ configKey, error }: { configKey: string; error: string }) {
  return <div className="diag diag-error" data-testid="config-problem">{configKey} is not valid JSON ({error}): fix it in the YAML.</div>;
}
