import { useCallback, useEffect, useRef, useState } from 'react';
import { parse } from 'yaml';
import type { GraphOverview, GraphOverviewItem, Resource } from '@wgs/api-contract';
import type { ApiClient } from '../api/client.ts';
import { HealthBadge } from '../deploy/HealthBadge.tsx';
import { countersText } from '../deploy/live.ts';
import { newDataflowGraphYaml } from '../dataflow/manifest.ts';
import { copyName, exportYaml, nameProblem, readImport } from './import.ts';
import { filterByQuery } from '../ui/search.ts';

interface Props {
  api: ApiClient;
  /** Opens a graph in the data-flow editor; `saved` when it is the store's copy. */
  onOpen(yaml: string, saved?: { name: string; resourceVersion?: string }): void;
}

/** The resource behind a list row: the saved copy, else what the cluster holds. */
export async function loadGraph(api: ApiClient, item: GraphOverviewItem): Promise<Resource> {
  if (item.saved) return api.get('dataflowgraphs', item.name);
  const d = await api.deployment(item.name);
  if (!d.resource) throw new Error(`"${item.name}" is no longer in the cluster`);
  return d.resource;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

function statusText(i: GraphOverviewItem, o: GraphOverview): string {
  if (!o.cluster) return 'saved (no cluster configured)';
  if (!i.deployed) return 'not deployed';
  const health = i.health ?? 'deployed';
  if (!i.saved) return `${health} (in the cluster only)`;
  return i.differsFromCluster ? `${health} · draft differs` : health;
}

const LIVE_REFRESH_MS = 3000;

/** Every DataflowGraph the backend knows, with its status; create, open, duplicate, delete, import and export. */
export function GraphList({ api, onOpen }: Props) {
  const [overview, setOverview] = useState<GraphOverview>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [profile, setProfile] = useState('default');
  const [importText, setImportText] = useState<string>();
  const [query, setQuery] = useState('');
  const file = useRef<HTMLInputElement>(null);

  // Its own message: an action's error must survive the refresh that follows it.
  const [listProblem, setListProblem] = useState<string>();
  const refresh = useCallback(() => {
    api.graphOverview().then((o) => {
      setOverview(o);
      setListProblem(undefined);
    }, (e: Error) => setListProblem(`could not list the graphs: ${e.message}`));
  }, [api]);
  useEffect(refresh, [refresh]);
  // Deployed graphs' health and counters change on their own: read them again while the list is shown.
  const hasCluster = !!overview?.cluster;
  useEffect(() => {
    if (!hasCluster) return;
    const timer = setInterval(() => api.graphOverview().then(setOverview, () => undefined), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [api, hasCluster]);

  const guard = (work: () => Promise<void>) => {
    setError(undefined);
    setNotice(undefined);
    work().catch((e: Error) => setError(e.message)).finally(refresh);
  };
  const names = new Set(overview?.items.map((i) => i.name));
  const shown = filterByQuery(overview?.items ?? [], (i) => [i.name, i.profile, ...i.artifacts], query);
  const problem = nameProblem(newName) ?? (names.has(newName) ? `"${newName}" exists already` : undefined);

  const open = (item: GraphOverviewItem) => guard(async () => {
    const r = await loadGraph(api, item);
    onOpen(exportYaml(r), item.saved ? { name: item.name, resourceVersion: r.metadata.resourceVersion } : undefined);
  });
  const duplicate = (item: GraphOverviewItem) => guard(async () => {
    const r = await loadGraph(api, item);
    const name = copyName(item.name, names);
    const copy = { ...r, metadata: { ...r.metadata, name } };
    // Not saved yet: the copy opens as a draft to adjust, then Save.
    onOpen(exportYaml(copy));
  });
  const remove = (item: GraphOverviewItem) => {
    const where = overview?.storeIsCluster ? 'from the cluster (it stops running)' : 'from the saved graphs (the cluster copy, if any, stays)';
    if (!window.confirm(`Delete "${item.name}" ${where}?`)) return;
    guard(async () => {
      await api.remove('dataflowgraphs', item.name);
      setNotice(`deleted ${item.name}`);
    });
  };
  const exportOne = (item: GraphOverviewItem) => guard(async () => download(`${item.name}.yaml`, exportYaml(await loadGraph(api, item))));
  const importNow = (text: string) => guard(async () => {
    const { graphs, problems } = readImport(text);
    const saved: string[] = [];
    for (const g of graphs) {
      if (names.has(g.name)) {
        problems.push(`${g.name}: exists already (open it and paste the YAML, or rename it in the file)`);
        continue;
      }
      try {
        const value = parse(g.yaml) as Resource;
        await api.create('dataflowgraphs', value);
        saved.push(g.name);
      } catch (e) {
        problems.push(`${g.name}: ${(e as Error).message}`);
      }
    }
    setImportText(undefined);
    if (saved.length) setNotice(`imported ${saved.join(', ')}`);
    if (problems.length) throw new Error(problems.join('\n'));
  });

  return (
    <div className="graph-list" data-testid="graph-list">
      <div className="list-toolbar">
        <h2>Data flow graphs</h2>
        <button className="primary" data-testid="new-graph" onClick={() => setCreating(true)}>+ Create data flow graph</button>
        <button data-testid="import-graphs" onClick={() => setImportText('')}>Import YAML…</button>
        <button onClick={() => file.current?.click()}>Import file…</button>
        <input ref={file} type="file" accept=".yaml,.yml,.json" hidden data-testid="import-file"
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then(importNow); e.target.value = ''; }} />
        <button onClick={refresh}>Refresh</button>
        <input type="search" className="search-box" data-testid="graph-search" placeholder="Search name, profile, artifact" aria-label="Search graphs"
          value={query} onChange={(e) => setQuery(e.target.value)} />
        {overview && <span className="muted" data-testid="store-where">{overview.storeIsCluster ? `kept in the cluster ${overview.cluster}` : `saved in ${overview.store}${overview.cluster ? `; deploys to ${overview.cluster}` : ''}`}</span>}
      </div>
      {listProblem && <div className="diag diag-error" data-testid="list-problem">{listProblem}</div>}
      {error && <pre className="diag diag-error" data-testid="list-error">{error}</pre>}
      {notice && <div className="notice" data-testid="list-notice">{notice}</div>}
      {overview?.clusterProblem && <div className="diag diag-warning">{overview.clusterProblem}</div>}
      {creating && (
        <form className="inline-form" data-testid="new-graph-form" onSubmit={(e) => { e.preventDefault(); if (!problem) { setCreating(false); onOpen(newDataflowGraphYaml(newName, profile)); } }}>
          <label>Name <input autoFocus data-testid="new-graph-name" value={newName} onChange={(e) => setNewName(e.target.value)} /></label>
          <label>Data flow profile <input data-testid="new-graph-profile" value={profile} onChange={(e) => setProfile(e.target.value)} /></label>
          <button className="primary" type="submit" disabled={!!problem} data-testid="create-graph">Create</button>
          <button type="button" onClick={() => setCreating(false)}>Cancel</button>
          {newName && problem && <span className="diag-error">{problem}</span>}
        </form>
      )}
      {importText !== undefined && (
        <div className="inline-form column" data-testid="import-form">
          <textarea rows={10} data-testid="import-text" placeholder="Paste one or more DataflowGraph manifests (YAML, --- between documents)" value={importText} onChange={(e) => setImportText(e.target.value)} />
          <div><button className="primary" data-testid="import-now" onClick={() => importNow(importText)}>Import</button> <button onClick={() => setImportText(undefined)}>Cancel</button></div>
        </div>
      )}
      {overview && overview.items.length === 0 && (
        <div className="empty-state static" data-testid="graphs-empty">
          No data flow graphs yet. <b>Create one</b> (a source, a graph transform from the registry, a destination), import a manifest, or
          apply one with kubectl: graphs in the cluster show up here.
        </div>
      )}
      {overview && overview.items.length > 0 && (
        <table className="list graphs" data-testid="graphs-table">
          <thead><tr><th>name</th><th>graph artifacts</th><th>mode</th><th>status</th><th>engine</th><th /></tr></thead>
          <tbody>
            {shown.map((i) => (
              <tr key={i.name} data-name={i.name} data-testid="graph-row">
                <td><button className="link" data-testid="open-graph-row" onClick={() => open(i)}>{i.name}</button></td>
                <td>{i.artifacts.map((a) => <code key={a}>{a} </code>)}</td>
                <td>{i.mode}</td>
                <td data-testid="graph-status">{statusText(i, overview)}</td>
                <td data-testid="graph-live">
                  {i.deployed && <HealthBadge live={i.live} testId="graph-health" />}
                  {i.live?.counters && <span className="muted" data-testid="graph-counters"> {countersText(i.live.counters)}</span>}
                </td>
                <td className="actions">
                  <button onClick={() => duplicate(i)} data-testid="duplicate-graph">Duplicate</button>
                  <button onClick={() => exportOne(i)}>Export</button>
                  {i.saved && <button className="danger" onClick={() => remove(i)} data-testid="delete-graph">Delete</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {overview && overview.items.length > 0 && shown.length === 0 && (
        <div className="empty-state static" data-testid="graphs-no-match">
          No graph matches "{query}". <button className="link" onClick={() => setQuery('')}>Clear the search</button>
        </div>
      )}
    </div>
  );
}
