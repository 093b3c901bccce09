import { useEffect, useState } from 'react';
import type { ApiClient, GraphPreview, ListedArtifact } from '../api/client.ts';
import { GraphPreviewCanvas } from './GraphPreviewCanvas.tsx';
import { useDialog } from '../ui/useDialog.ts';
import { filterByQuery } from '../ui/search.ts';

/** What was picked: the registry endpoint and the artifact as a DataflowGraph's graphSettings name it. */
export interface PickedGraph {
  endpoint: string;
  artifact: string;
  preview: GraphPreview;
}

interface Props {
  api: ApiClient;
  onOpen(title: string, yaml: string, picked: PickedGraph): void;
  onClose(): void;
  /** The dialog's title and the pick button's label (default: open the definition). */
  heading?: string;
  action?: string;
}

const shortDigest = (d?: string) => (d ? `${d.slice(0, 19)}…` : '');

/** 1234567 → "1.2 MB" (registries count in bytes; people in KB and MB). */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Registry endpoints → repositories → tags (kind, digest) → graph preview → open. */
export function RegistryBrowser({ api, onOpen, onClose, heading = 'Open a graph from a registry', action = 'Open' }: Props) {
  const dialog = useDialog<HTMLDivElement>(onClose);
  const [error, setError] = useState<string>();
  const [endpoints, setEndpoints] = useState<string[]>([]);
  const [endpoint, setEndpoint] = useState<string>();
  const [repositories, setRepositories] = useState<string[]>();
  const [repository, setRepository] = useState<string>();
  const [artifacts, setArtifacts] = useState<ListedArtifact[]>();
  const [preview, setPreview] = useState<GraphPreview>();
  const [artifact, setArtifact] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [repoQuery, setRepoQuery] = useState('');
  const [tagQuery, setTagQuery] = useState('');
  const shownRepositories = filterByQuery(repositories ?? [], (r) => [r], repoQuery);
  const shownArtifacts = filterByQuery(artifacts ?? [], (a) => [a.tag, a.kind], tagQuery);

  const guard = async (work: () => Promise<void>) => {
    setError(undefined);
    setLoading(true);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void guard(async () => {
      const names = await api.registryEndpoints();
      setEndpoints(names);
      setEndpoint(names.includes('embedded') ? 'embedded' : names[0]);
    });
  }, [api]);

  useEffect(() => {
    if (!endpoint) return;
    setRepositories(undefined);
    setRepository(undefined);
    setArtifacts(undefined);
    setPreview(undefined);
    void guard(async () => setRepositories((await api.repositories(endpoint)).repositories));
  }, [api, endpoint]);

  const pickRepository = (r: string) => {
    setRepository(r);
    setArtifacts(undefined);
    setPreview(undefined);
    void guard(async () => setArtifacts(await api.artifacts(endpoint!, r)));
  };
  const pickTag = (a: ListedArtifact) => {
    if (a.kind !== 'graph') return;
    setPreview(undefined);
    const picked = `${repository}:${a.tag}`;
    setArtifact(picked);
    void guard(async () => setPreview(await api.graph(endpoint!, picked)));
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog registry" ref={dialog} tabIndex={-1} role="dialog" aria-modal="true" aria-label="Registry browser" data-testid="registry-browser">
        <header>
          <h2>{heading}</h2>
          <label>
            endpoint{' '}
            <select data-testid="endpoint-select" value={endpoint ?? ''} onChange={(e) => setEndpoint(e.target.value)}>
              {endpoints.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <button onClick={onClose} aria-label="Close">✕</button>
        </header>
        {error && <div className="diag diag-error">{error}</div>}
        <div className="registry-columns">
          <div className="registry-column">
            <input type="search" className="search-box" data-testid="repository-search" placeholder="Filter repositories" aria-label="Filter repositories"
              value={repoQuery} onChange={(e) => setRepoQuery(e.target.value)} />
            <ul className="list" data-testid="repositories">
              {shownRepositories.map((r) => (
                <li key={r}><button className={r === repository ? 'active' : ''} onClick={() => pickRepository(r)}>{r}</button></li>
              ))}
              {repositories?.length === 0 && <li className="muted">no repositories</li>}
              {!!repositories?.length && !shownRepositories.length && <li className="muted" data-testid="repositories-no-match">No repository matches "{repoQuery}".</li>}
            </ul>
          </div>
          <div className="registry-column">
          <input type="search" className="search-box" data-testid="tag-search" placeholder="Filter tags" aria-label="Filter tags"
            value={tagQuery} onChange={(e) => setTagQuery(e.target.value)} />
          <table className="list" data-testid="artifacts">
            <thead><tr><th>tag</th><th>kind</th><th>digest</th><th>size</th></tr></thead>
            <tbody>
              {shownArtifacts.map((a) => (
                <tr key={a.tag} className={a.kind === 'graph' ? 'pickable' : 'muted'} onClick={() => pickTag(a)} data-tag={a.tag} data-kind={a.kind}>
                  <td>{a.tag}</td><td><span className={`kind kind-${a.kind}`}>{a.kind}</span></td><td title={a.digest}><code>{shortDigest(a.digest)}</code></td><td data-testid="artifact-size">{formatSize(a.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!!artifacts?.length && !shownArtifacts.length && <div className="muted" data-testid="tags-no-match">No tag matches "{tagQuery}".</div>}
          </div>
          <div className="preview" data-testid="graph-preview">
            {loading && <div className="muted">loading…</div>}
            {preview && (
              <>
                <h3>{preview.graph?.name ?? preview.reference}</h3>
                <div className="muted"><code>{preview.reference}</code> · <code title={preview.digest}>{shortDigest(preview.digest)}</code></div>
                {preview.graph?.description && <p>{preview.graph.description}</p>}
                <div>{preview.graph ? `${preview.graph.operations.length} operations` : 'invalid graph definition'}
                  {(['error', 'warning'] as const).map((sev) => {
                    const n = preview.diagnostics.filter((d) => d.severity === sev).length;
                    return n ? <span key={sev} className={`diag-${sev}`}>{` · ${n} ${sev}${n > 1 ? 's' : ''}`}</span> : null;
                  })}</div>
                <GraphPreviewCanvas yaml={preview.yaml} />
                {preview.graph && preview.graph.parameters.length > 0 && (
                  <table className="list params" data-testid="preview-parameters">
                    <thead><tr><th>operation</th><th>parameter</th><th>default</th></tr></thead>
                    <tbody>
                      {preview.graph.parameters.map((p) => (
                        <tr key={`${p.operation}/${p.key}`} title={p.description}>
                          <td>{p.operation}</td><td><code>{p.key}</code>{p.required ? ' (required)' : ''}</td><td><code>{p.default ?? ''}</code></td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <button className="primary" data-testid="open-graph" onClick={() => onOpen(preview.reference, preview.yaml, { endpoint: endpoint!, artifact: artifact!, preview })}>{action}</button>
              </>
            )}
            {!preview && !loading && <div className="muted">Pick a graph tag to preview it.</div>}
          </div>
        </div>
      </div>
    </div>
  );
}
