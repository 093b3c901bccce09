import { useEffect, useMemo, useState } from 'react';
import type { Diagnostic } from '@wgs/graph-model';
import { analyse, useDesigner } from '../store/designer.ts';
import { setMetadataVersion } from '../model/yaml-text.ts';
import { nextVersion } from '../model/versions.ts';
import { DefinitionApiError, type DefinitionApi, type ListedTag } from './api.ts';
import { useDialog } from '../ui/useDialog.ts';
import { humanMessage } from '../model/human-messages.ts';

interface Props {
  api: DefinitionApi;
  onClose(): void;
}

/** `graphs/<name>` for a definition that came from nowhere. */
const defaultRepository = (name: unknown) =>
  `graphs/${String(name ?? 'graph').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'graph'}`;

/**
 * Pushes the definition to a registry as a new version: endpoint, repository
 * and tag (the next version suggested), optionally writing the tag into
 * metadata.version first. An existing tag is overwritten only when confirmed.
 */
export function SaveVersionDialog({ api, onClose }: Props) {
  const dialog = useDialog<HTMLDivElement>(onClose);
  const origin = useDesigner((s) => s.origin);
  const currentEndpoint = useDesigner((s) => s.registryEndpoint);
  const yaml = useDesigner((s) => s.yaml);
  const metadata = useMemo(() => (analyse(yaml).value as { metadata?: { name?: string; version?: string } } | undefined)?.metadata, [yaml]);
  const [endpoints, setEndpoints] = useState<string[]>([]);
  const [endpoint, setEndpoint] = useState(origin?.endpoint ?? currentEndpoint);
  const [repository, setRepository] = useState(origin?.repository ?? defaultRepository(metadata?.name));
  const [tags, setTags] = useState<ListedTag[]>();
  const [tag, setTag] = useState('');
  const [tagTouched, setTagTouched] = useState(false);
  const [writeVersion, setWriteVersion] = useState(true);
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [where, setWhere] = useState<Partial<Diagnostic>[]>([]);

  useEffect(() => {
    api.registryEndpoints().then(setEndpoints, (e: Error) => setError(e.message));
  }, [api]);

  // The repository's tags: to suggest the next version and to warn before overwriting.
  useEffect(() => {
    setTags(undefined);
    if (!repository.trim()) return;
    const timer = setTimeout(() => {
      api.tags(endpoint, repository.trim()).then(setTags, () => setTags([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [api, endpoint, repository]);

  const suggested = nextVersion(metadata?.version, tags?.map((t) => t.tag) ?? (origin?.tag ? [origin.tag] : []));
  useEffect(() => {
    if (!tagTouched) setTag(suggested);
  }, [suggested, tagTouched]);

  const exists = !!tags?.some((t) => t.tag === tag.trim());
  const canSave = !busy && !!repository.trim() && !!tag.trim() && (!exists || overwrite);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    setWhere([]);
    const t = tag.trim();
    const repo = repository.trim();
    const text = writeVersion && metadata?.version !== t ? setMetadataVersion(yaml, t) : yaml;
    try {
      const pushed = await api.pushGraph(endpoint, { repository: repo, tag: t, yaml: text, overwrite: exists && overwrite });
      const s = useDesigner.getState();
      // The version written into the text is an ordinary (undoable) edit.
      if (text !== yaml) s.setVersion(t);
      s.setRegistryEndpoint(endpoint);
      s.markSaved({ endpoint, repository: repo, tag: t }, pushed.reference);
      onClose();
    } catch (e) {
      setError((e as Error).message);
      if (e instanceof DefinitionApiError) {
        setWhere(e.where ?? []);
        if (e.status === 409) setTags((old) => [...(old ?? []), { tag: t, kind: 'graph' }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog save-version" ref={dialog} tabIndex={-1} role="dialog" aria-modal="true" aria-label="Save as a new version" data-testid="save-dialog">
        <header>
          <h2>Save as a new version</h2>
          <button onClick={onClose} aria-label="Close">✕</button>
        </header>
        <div className="save-form">
          <label>
            <span>registry endpoint</span>
            <select data-testid="save-endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
              {[...new Set([endpoint, ...endpoints])].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <label>
            <span>repository</span>
            <input data-testid="save-repository" value={repository} onChange={(e) => setRepository(e.target.value)} spellCheck={false} />
          </label>
          <label>
            <span>tag</span>
            <input data-testid="save-tag" value={tag} onChange={(e) => { setTag(e.target.value); setTagTouched(true); setOverwrite(false); }} spellCheck={false} />
          </label>
          <div className="muted" data-testid="existing-tags">
            {tags === undefined ? 'reading the tags…' : tags.length ? `existing tags: ${tags.map((x) => x.tag).join(', ')}` : 'a new repository'}
          </div>
          <label className="check">
            <input type="checkbox" data-testid="save-write-version" checked={writeVersion} onChange={(e) => setWriteVersion(e.target.checked)} />
            set <code>metadata.version</code> to the tag (now <code>{metadata?.version ?? '—'}</code>)
          </label>
          {exists && (
            <label className="check diag-warning" data-testid="overwrite-warning">
              <input type="checkbox" data-testid="save-overwrite" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
              {`${repository}:${tag} exists. Overwrite it? Graphs running from this tag pick the new content up.`}
            </label>
          )}
          {error && <div className="diag diag-error" data-testid="save-error">{error}</div>}
          {where.length > 0 && (
            <ul className="save-diagnostics">
              {where.map((d, i) => <li key={i} className="diag-error">{d.line ? `line ${d.line}: ` : ''}{humanMessage(d.path ?? '', d.message ?? '')} {d.path ? <code>({d.path})</code> : null}</li>)}
            </ul>
          )}
        </div>
        <footer>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" data-testid="save-confirm" disabled={!canSave} onClick={() => void save()}>
            {busy ? 'Pushing…' : exists ? 'Overwrite and push' : 'Push new version'}
          </button>
        </footer>
      </div>
    </div>
  );
}
