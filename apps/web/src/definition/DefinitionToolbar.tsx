import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useDesigner } from '../store/designer.ts';
import { defaultDefinitionApi, type DefinitionApi } from './api.ts';
import { SaveVersionDialog } from './SaveVersionDialog.tsx';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

/** Undo/redo, copy/paste, delete, layout and "Save version…", with the unsaved-changes marker. */
export function DefinitionToolbar({ api }: { api?: DefinitionApi }) {
  const s = useDesigner();
  const [saving, setSaving] = useState(false);
  const hasSelection = s.nodes.some((n) => n.selected || n.id === s.selected) || s.edges.some((e) => e.selected);
  const open = s.nodes.length > 0 || !!s.yaml.trim();
  const dirty = s.yaml !== s.baselineYaml;
  return (
    <div className="definition-toolbar" data-testid="definition-toolbar">
      <button data-testid="undo" onClick={s.undo} disabled={!s.canUndo} title={`Undo (${mod}Z)`}>↶ Undo</button>
      <button data-testid="redo" onClick={s.redo} disabled={!s.canRedo} title={`Redo (${mod}Shift+Z or ${mod}Y)`}>↷ Redo</button>
      <button data-testid="copy" onClick={() => s.copy()} disabled={!hasSelection} title={`Copy the selected operations (${mod}C)`}>Copy</button>
      <button data-testid="paste" onClick={s.paste} disabled={!s.clipboard} title={`Paste (${mod}V)`}>Paste</button>
      <button data-testid="delete" onClick={s.deleteSelection} disabled={!hasSelection} title="Delete the selection (Delete)">Delete</button>
      <button data-testid="layout" onClick={() => void s.relayout()} disabled={!s.nodes.length} title="Lay the graph out again (L)">Auto-layout</button>
      <button className="primary" data-testid="save-version" onClick={() => setSaving(true)} disabled={!open} title="Push the definition to a registry as a new version">Save version…</button>
      {dirty && <span className="unsaved" data-testid="unsaved" title="Changed since it was opened or saved">● unsaved</span>}
      {saving && createPortal(<SaveVersionDialog api={api ?? defaultDefinitionApi()} onClose={() => setSaving(false)} />, document.body)}
    </div>
  );
}
