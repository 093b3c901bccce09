import { useState } from 'react';
import type { DeployPlan } from '@wgs/api-contract';

interface Props {
  plan: DeployPlan;
  busy: boolean;
  onCopy(registryEndpoint: string): void;
}

/** The Graph nodes a cluster cannot pull (embedded registry) and the offer to copy them to a RegistryEndpoint first. */
export function CopyChoice({ plan, busy, onCopy }: Props) {
  const targets = plan.copyTargets ?? [];
  const [target, setTarget] = useState(targets[0] ?? '');
  if (!plan.unpullable?.length) return null;
  return (
    <div className="copy-choice diag diag-warning" data-testid="unpullable">
      <div><strong>The cluster cannot pull this graph.</strong></div>
      <ul>
        {plan.unpullable.map((u) => <li key={u.node} data-node={u.node}><code>{u.node}</code> ({u.artifact}): {u.reason}</li>)}
      </ul>
      {targets.length ? (
        <div className="copy-row">
          <label>Copy the graph and its modules to{' '}
            <select data-testid="copy-target" value={target} onChange={(e) => setTarget(e.target.value)} disabled={busy}>
              {targets.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>{' '}
          <button className="primary" data-testid="copy-and-deploy" disabled={busy || !target} onClick={() => onCopy(target)}>Copy to {target} and deploy</button>
        </div>
      ) : (
        <div data-testid="no-copy-targets">No registry endpoint to copy to: add a RegistryEndpoint the cluster can pull from.</div>
      )}
    </div>
  );
}
