import type { DeployPlan } from '@wgs/api-contract';

/** The plan's warnings (e.g. a stateful graph in a profile of several instances), shown before applying. */
export function PlanWarnings({ plan }: { plan: DeployPlan }) {
  if (!plan.warnings?.length) return null;
  return (
    <ul className="plan-warnings" data-testid="plan-warnings">
      {plan.warnings.map((w, i) => (
        <li key={i} className="diag diag-warning" data-rule={w.rule}>{w.message}</li>
      ))}
    </ul>
  );
}
