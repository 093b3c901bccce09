import { useEffect, useState } from 'react';
import type { CopyArtifactsResult, DeployPlan, Resource } from '@wgs/api-contract';
import { ApiError, type ApiClient } from '../api/client.ts';
import { describeChange, showValue } from './changes.ts';
import { PlanWarnings } from './PlanWarnings.tsx';
import { CopyChoice } from './CopyChoice.tsx';
import { LiveStatusPanel } from './LiveStatusPanel.tsx';
import { useDeployment } from './useDeployment.ts';
import { VersionCompare } from './VersionCompare.tsx';
import { useDialog } from '../ui/useDialog.ts';

interface Props {
  api: ApiClient;
  draft: Resource;
  onClose(): void;
  /** After a successful apply, with what the cluster now holds. */
  onApplied(resource: Resource | undefined): void;
  /** After artifacts were copied to another registry: the draft now points there. */
  onCopied(result: CopyArtifactsResult): void;
}

type Phase =
  | { kind: 'planning' }
  | { kind: 'plan'; plan: DeployPlan }
  | { kind: 'copying'; plan: DeployPlan; registryEndpoint: string }
  | { kind: 'applying'; plan: DeployPlan }
  | { kind: 'applied'; plan: DeployPlan }
  | { kind: 'conflict'; current?: Resource; message: string }
  | { kind: 'failed'; error: ApiError | Error };

const STATUS_POLL_MS = 2000;

/**
 * Deploy: the semantic diff against the cluster, apply on confirm, then the
 * engine's live status; a conflict shows both versions. Graph nodes in the
 * embedded registry are offered a copy to a registry the cluster can pull
 * from, then deployed pointing there.
 */
export function DeployDialog({ api, draft: initial, onClose, onApplied, onCopied }: Props) {
  const dialog = useDialog<HTMLDivElement>(onClose);
  const name = initial.metadata.name;
  const [draft, setDraft] = useState(initial);
  const [phase, setPhase] = useState<Phase>({ kind: 'planning' });
  const status = useDeployment(api, name, phase.kind === 'applied', STATUS_POLL_MS);
  // The cluster's copy when the plan was made: a conflict then says what changed there.
  const [base, setBase] = useState<Resource>();

  const plan = (current = draft) => {
    setPhase({ kind: 'planning' });
    api.deploy(name, { apply: false, draft: current }).then(
      (p) => {
        setPhase({ kind: 'plan', plan: p });
        if (p.clusterResourceVersion) api.deployment(name).then((d) => setBase(d.resource), () => setBase(undefined));
        else setBase(undefined);
      },
      (e: Error) => setPhase({ kind: 'failed', error: e }),
    );
  };
  // Planned once, when the dialog opens (and again on request after a conflict).
  useEffect(() => plan(), []);

  const apply = (p: DeployPlan, current = draft) => {
    setPhase({ kind: 'applying', plan: p });
    api.deploy(name, { apply: true, draft: current, expectedClusterResourceVersion: p.clusterResourceVersion }).then(
      (done) => {
        setPhase({ kind: 'applied', plan: done });
        onApplied(done.resource);
      },
      (e: Error) => setPhase(e instanceof ApiError && e.status === 409 ? { kind: 'conflict', current: e.current, message: e.message } : { kind: 'failed', error: e }),
    );
  };

  // Copy out of the embedded registry, point the draft there, plan against the cluster again and apply.
  const copyAndDeploy = (p: DeployPlan, registryEndpoint: string) => {
    setPhase({ kind: 'copying', plan: p, registryEndpoint });
    (async () => {
      const result = await api.copyArtifacts(name, { registryEndpoint, draft });
      setDraft(result.draft);
      onCopied(result);
      const fresh = await api.deploy(name, { apply: false, draft: result.draft });
      if (fresh.unpullable?.length) throw new Error(`still not pullable after the copy: ${fresh.unpullable.map((u) => u.node).join(', ')}`);
      apply(fresh, result.draft);
    })().catch((e: Error) => setPhase({ kind: 'failed', error: e }));
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog deploy" ref={dialog} tabIndex={-1} role="dialog" aria-modal="true" aria-label="Deploy" data-testid="deploy-dialog" data-phase={phase.kind}>
        <header>
          <h2>Deploy {name}</h2>
          <button onClick={onClose} aria-label="Close">✕</button>
        </header>
        <div className="dialog-body">
          {phase.kind === 'planning' && <div className="muted">Comparing with the cluster…</div>}
          {(phase.kind === 'plan' || phase.kind === 'copying' || phase.kind === 'applying' || phase.kind === 'applied') && (
            <>
              <div>Target: <code>{phase.plan.target}</code>{phase.plan.clusterResourceVersion ? ` (resourceVersion ${phase.plan.clusterResourceVersion})` : ' (not deployed yet)'}</div>
              {phase.plan.changes.length === 0 ? (
                <div className="muted" data-testid="no-changes">The cluster already runs this graph: nothing to change.</div>
              ) : (
                <ul className="changes" data-testid="deploy-changes">
                  {phase.plan.changes.map((c, i) => (
                    <li key={i} className={`change change-${c.kind}`} data-path={c.path}>
                      <div>{describeChange(c)}</div>
                      {(typeof c.before === 'object' && c.before !== null) && <pre className="before">{showValue(c.before)}</pre>}
                      {(typeof c.after === 'object' && c.after !== null) && <pre className="after">{showValue(c.after)}</pre>}
                    </li>
                  ))}
                </ul>
              )}
              {(phase.kind === 'plan' || phase.kind === 'copying') && <PlanWarnings plan={phase.plan} />}
              {(phase.kind === 'plan' || phase.kind === 'copying') && <CopyChoice plan={phase.plan} busy={phase.kind === 'copying'} onCopy={(t) => copyAndDeploy(phase.plan, t)} />}
              {phase.kind === 'copying' && <div className="muted" data-testid="copying">Copying the graph and its modules to {phase.registryEndpoint}…</div>}
            </>
          )}
          {phase.kind === 'applied' && (
            <div className="deploy-status" data-testid="deploy-status">
              <strong>{phase.plan.applied ? 'Applied.' : 'Nothing to apply.'}</strong>{' '}
              {status ? (
                <>
                  <span>In the cluster: {status.deployed ? `resourceVersion ${status.resourceVersion}` : 'absent'}</span>
                  <LiveStatusPanel live={status.live} />
                </>
              ) : 'reading the status…'}
            </div>
          )}
          {phase.kind === 'conflict' && (
            <div data-testid="deploy-conflict">
              <div className="diag diag-error">{phase.message}</div>
              <VersionCompare theirs={phase.current} mine={draft} base={base} theirsLabel="the cluster" />
            </div>
          )}
          {phase.kind === 'failed' && <FailedView error={phase.error} />}
        </div>
        <footer>
          {phase.kind === 'plan' && phase.plan.changes.length > 0 && (
            <button className={phase.plan.unpullable?.length ? '' : 'primary'} data-testid="confirm-deploy" onClick={() => apply(phase.plan)}>
              {phase.plan.unpullable?.length ? `Apply as is to ${phase.plan.target}` : `Apply to ${phase.plan.target}`}
            </button>
          )}
          {phase.kind === 'applying' && <span className="muted">Applying…</span>}
          {(phase.kind === 'conflict' || phase.kind === 'failed') && <button className="primary" data-testid="replan" onClick={() => plan()}>Compare again with the cluster's version</button>}
          <button onClick={onClose}>{phase.kind === 'applied' ? 'Done' : 'Cancel'}</button>
        </footer>
      </div>
    </div>
  );
}

function FailedView({ error }: { error: Error }) {
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div data-testid="deploy-error">
      <div className="diag diag-error">{api?.status === 503 ? `Cannot deploy: ${error.message}` : error.message}</div>
      {api?.where && (
        <ul className="diagnostics">
          {api.where.map((d, i) => <li key={i} className={`diag-${d.severity}`}>{d.path}: {d.message}</li>)}
        </ul>
      )}
    </div>
  );
}
