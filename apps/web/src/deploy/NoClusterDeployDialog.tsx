import type { Resource } from '@wgs/api-contract';
import { useDialog } from '../ui/useDialog.ts';
import { bundleResources, bundleYaml, dryRunLines, type BundleResource } from './bundle.ts';

interface Props {
  draft: Resource;
  /** Endpoints the designer knows (the bundle carries the ones the graph names). */
  known: readonly BundleResource[];
  namespace: string;
  onClose(): void;
}

/** Saves text as a file, as a download link does. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * Deploy when the server has no cluster: how to get one (WGS_KUBECONFIG), or
 * the manifests to apply with kubectl, and what applying them would do to an
 * empty cluster.
 */
export function NoClusterDeployDialog({ draft, known, namespace, onClose }: Props) {
  const dialog = useDialog<HTMLDivElement>(onClose);
  const { resources, missing } = bundleResources(draft, known, namespace);
  const text = bundleYaml(resources);
  const file = `${draft.metadata.name || 'dataflow'}.yaml`;
  return (
    <div className="dialog-backdrop">
      <div className="dialog deploy" ref={dialog} tabIndex={-1} role="dialog" aria-modal="true" aria-label="Deploy" data-testid="deploy-dialog" data-phase="no-cluster">
        <header>
          <h2>Deploy {draft.metadata.name}</h2>
          <button onClick={onClose} aria-label="Close">✕</button>
        </header>
        <div className="dialog-body">
          <p data-testid="no-cluster-explained">This designer is not connected to a cluster. Two ways to deploy:</p>
          <ol className="deploy-ways">
            <li>
              <strong>Connect the designer:</strong> start the server with <code>WGS_KUBECONFIG=/path/to/kubeconfig</code> (or <code>in-cluster</code>)
              and open it again; Deploy then shows the changes against the cluster and applies them.
            </li>
            <li>
              <strong>Apply it yourself:</strong> download the manifests and run <code>kubectl apply -f {file}</code>.{' '}
              <button className="primary" data-testid="download-bundle" onClick={() => download(file, text)}>Download {file}</button>
            </li>
          </ol>
          <h3>Dry run against an empty cluster</h3>
          <ul className="changes" data-testid="dry-run">
            {dryRunLines(resources).map((line) => <li key={line} className="change-added"><div>{line}</div></li>)}
          </ul>
          {missing.length > 0 && (
            <div className="diag diag-warning" data-testid="bundle-missing">
              Not in the bundle (the designer does not know them; the cluster must have them): {missing.join(', ')}
            </div>
          )}
          <details>
            <summary>The manifests</summary>
            <pre className="bundle-text" data-testid="bundle-text">{text}</pre>
          </details>
        </div>
        <footer>
          <button onClick={onClose}>Close</button>
        </footer>
      </div>
    </div>
  );
}
