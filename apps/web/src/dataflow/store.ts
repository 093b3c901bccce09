/**
 * The data-flow editor's state. As in the definition editor, the manifest's
 * YAML text is the source of truth: the canvas and the diagnostics are
 * derived from it, and every canvas or form edit is a text edit (so undo,
 * the YAML view and the saved resource never disagree).
 */
import { create } from 'zustand';
import type { DataflowEndpointResource, DataflowGraphResource, Diagnostic, RegistryEndpointResource } from '@wgs/graph-model';
import { createTextHistory, type TextHistory } from '../store/history.ts';
import { analyseManifest, connect as connectText, copyNodes, disconnect, pasteNodes, removeNodes, writeLayout, readLayout, type Clipboard, type NodeType, addNode } from './manifest.ts';
import { changedNodes, dataflowToFlow, type DataflowEdge, type DataflowNode } from './flow.ts';
import { humanizeDiagnostics } from '../model/human-messages.ts';
import { builtinDiagnostics } from './builtins/diagnostics.ts';

export interface DataflowContext {
  endpoints: DataflowEndpointResource[];
  registryEndpoints: RegistryEndpointResource[];
}

export interface DataflowState {
  /** The name it is saved under; undefined for a graph not saved yet. */
  savedName?: string;
  /** resourceVersion of the saved copy, for optimistic concurrency. */
  resourceVersion?: string;
  yaml: string;
  /** The text as last opened or saved (dirty = differs). */
  baseline: string;
  value?: DataflowGraphResource;
  diagnostics: Diagnostic[];
  nodes: DataflowNode[];
  edges: DataflowEdge[];
  selected?: string;
  /** Index of the selected connection in spec.nodeConnections. */
  selectedConnection?: number;
  context: DataflowContext;
  editError?: string;
  canUndo: boolean;
  canRedo: boolean;
  /** Opens a text; `saved.baseline` (default: the text itself) is what the store holds, for a restored draft. */
  open(yaml: string, saved?: { name: string; resourceVersion?: string; baseline?: string }, context?: DataflowContext): void;
  close(): void;
  setContext(context: DataflowContext): void;
  setYaml(yaml: string): void;
  /** Applies a text edit; a failing edit is reported in editError and changes nothing. */
  edit(change: (yaml: string) => string): void;
  /** A side-panel edit as it is typed: bursts in one `field` within the coalescing window are one undo step. */
  editField(field: string, change: (yaml: string) => string): void;
  undo(): void;
  redo(): void;
  select(name?: string): void;
  selectConnection(index?: number): void;
  /** Moves nodes on the canvas only (no text change while dragging). */
  setNodes(nodes: DataflowNode[]): void;
  /** Writes the current positions into the layout annotation (after a drag). */
  commitLayout(): void;
  connect(from: string, to: string): void;
  deleteElements(nodeNames: string[], edgeIds: string[]): void;
  addNode(nodeType: NodeType, extra?: Record<string, unknown>): string | undefined;
  /** Records that `savedText` is what the store now holds (the current text may have moved on). */
  /** Copies the selected nodes (with the connections among them); returns how many. */
  copySelection(): number;
  /** Pastes the last copy under new names, offset from the originals, and selects it. */
  paste(): void;
  /** Copies and pastes these nodes in one go, leaving the clipboard as it was (the context menu's Duplicate). */
  duplicate(names: string[]): void;
  markSaved(savedText: string, saved: { name: string; resourceVersion?: string }): void;
  isDirty(): boolean;
}

const emptyContext: DataflowContext = { endpoints: [], registryEndpoints: [] };

type BaselineValue = (baseline: string) => DataflowGraphResource | undefined;

function derive(yaml: string, baseline: string, baselineValue: BaselineValue, context: DataflowContext, previous: DataflowNode[]) {
  const { value, diagnostics: raw } = analyseManifest(yaml, context);
  const diagnostics = humanizeDiagnostics([...raw, ...builtinDiagnostics(yaml, value)]);
  // A syntax error leaves no value: keep the last canvas, with the error listed.
  if (!value && previous.length) return { value: undefined, diagnostics, nodes: previous, edges: [] as DataflowEdge[] };
  const dirty = yaml === baseline ? new Set<string>() : changedNodes(baselineValue(baseline), value);
  return { value, diagnostics, ...dataflowToFlow(value, diagnostics, dirty) };
}

/** Where pasted nodes land relative to their originals. */
const PASTE_OFFSET = 40;

export function createDataflowStore() {
  let history: TextHistory = createTextHistory('');
  let clipboard: (Clipboard & { positions: Record<string, { x: number; y: number }> }) | undefined;
  // The saved text changes on open and save, not with each keystroke: parsed once, for the dirty markers.
  let parsedBaseline: { text: string; value?: DataflowGraphResource } = { text: '' };
  const baselineValue: BaselineValue = (text) => {
    if (text !== parsedBaseline.text) parsedBaseline = { text, value: analyseManifest(text).value };
    return parsedBaseline.value;
  };
  return create<DataflowState>((set, get) => {
    /** `history`: 'typing' coalesces bursts, 'step' is an undo step of its own, 'none' for undo/redo themselves. */
    const apply = (yaml: string, step: 'typing' | 'step' | 'none', field?: string) => {
      const s = get();
      if (yaml === s.yaml) return;
      if (step === 'typing') history.push(yaml, Date.now(), field);
      if (step === 'step') history.record(yaml);
      set({ yaml, ...derive(yaml, s.baseline, baselineValue, s.context, s.nodes), editError: undefined, canUndo: history.canUndo(), canRedo: history.canRedo() });
    };
    return {
      yaml: '',
      baseline: '',
      diagnostics: [],
      nodes: [],
      edges: [],
      context: emptyContext,
      canUndo: false,
      canRedo: false,
      open(yaml, saved, context = get().context) {
        history = createTextHistory(yaml);
        const baseline = saved ? saved.baseline ?? yaml : '';
        set({
          savedName: saved?.name,
          resourceVersion: saved?.resourceVersion,
          yaml,
          baseline,
          context,
          selected: undefined,
          selectedConnection: undefined,
          editError: undefined,
          canUndo: false,
          canRedo: false,
          ...derive(yaml, baseline, baselineValue, context, []),
        });
      },
      close() {
        history = createTextHistory('');
        set({ savedName: undefined, resourceVersion: undefined, yaml: '', baseline: '', value: undefined, diagnostics: [], nodes: [], edges: [], selected: undefined });
      },
      setContext(context) {
        const s = get();
        set({ context, ...derive(s.yaml, s.baseline, baselineValue, context, s.nodes) });
      },
      setYaml(yaml) {
        apply(yaml, 'typing');
      },
      edit(change) {
        try {
          apply(change(get().yaml), 'step');
        } catch (e) {
          set({ editError: (e as Error).message });
        }
      },
      editField(field, change) {
        try {
          apply(change(get().yaml), 'typing', `field:${field}`);
        } catch (e) {
          set({ editError: (e as Error).message });
        }
      },
      undo() {
        const text = history.undo();
        if (text !== undefined) apply(text, 'none');
      },
      redo() {
        const text = history.redo();
        if (text !== undefined) apply(text, 'none');
      },
      select(name) {
        set({ selected: name, selectedConnection: undefined });
      },
      selectConnection(index) {
        set({ selectedConnection: index, selected: undefined });
      },
      setNodes(nodes) {
        set({ nodes });
      },
      commitLayout() {
        const { nodes, value } = get();
        const positions = Object.fromEntries(nodes.map((n) => [n.id, [n.position.x, n.position.y] as [number, number]]));
        const before = readLayout(value);
        const same = Object.keys(positions).length === Object.keys(before).length
          && Object.entries(positions).every(([k, [x, y]]) => before[k]?.[0] === Math.round(x) && before[k]?.[1] === Math.round(y));
        if (!same && value) get().edit((y) => writeLayout(y, positions));
      },
      connect(from, to) {
        get().edit((y) => connectText(y, from, to));
      },
      deleteElements(nodeNames, edgeIds) {
        const indices = get().edges.filter((e) => edgeIds.includes(e.id) && e.data).map((e) => e.data!.index);
        if (!nodeNames.length && !indices.length) return;
        get().edit((y) => removeNodes(disconnect(y, indices), nodeNames));
        if (nodeNames.includes(get().selected ?? '')) set({ selected: undefined });
        if (indices.length) set({ selectedConnection: undefined });
      },
      addNode(nodeType, extra) {
        let name: string | undefined;
        get().edit((y) => {
          const added = addNode(y, nodeType, extra);
          name = added.name;
          return added.text;
        });
        if (name) set({ selected: name });
        return name;
      },
      copySelection() {
        const { nodes, selected, value } = get();
        const names = nodes.filter((n) => n.selected).map((n) => n.id);
        if (!names.length && selected) names.push(selected);
        if (!names.length) return 0;
        clipboard = { ...copyNodes(value, names), positions: Object.fromEntries(nodes.filter((n) => names.includes(n.id)).map((n) => [n.id, n.position])) };
        return clipboard.nodes.length;
      },
      paste() {
        const clip = clipboard;
        if (!clip?.nodes.length) return;
        let names: string[] = [];
        get().edit((y) => {
          const pasted = pasteNodes(y, clip);
          names = pasted.names;
          const layout = { ...Object.fromEntries(get().nodes.map((n) => [n.id, [n.position.x, n.position.y] as [number, number]])) };
          clip.nodes.forEach((n, i) => {
            const at = clip.positions[String(n.name)];
            if (at) layout[names[i]!] = [at.x + PASTE_OFFSET, at.y + PASTE_OFFSET];
          });
          return writeLayout(pasted.text, layout);
        });
        if (names.length) set({ selected: names[0], nodes: get().nodes.map((n) => ({ ...n, selected: names.includes(n.id) })) });
      },
      duplicate(names) {
        const { nodes, value } = get();
        const kept = clipboard;
        clipboard = { ...copyNodes(value, names), positions: Object.fromEntries(nodes.filter((n) => names.includes(n.id)).map((n) => [n.id, n.position])) };
        get().paste();
        clipboard = kept;
      },
      markSaved(savedText, saved) {
        // The baseline is what was sent; typing since then keeps the draft dirty.
        const s = get();
        set({ savedName: saved.name, resourceVersion: saved.resourceVersion, baseline: savedText, ...derive(s.yaml, savedText, baselineValue, s.context, s.nodes) });
      },
      isDirty() {
        const s = get();
        return !!s.yaml && s.yaml !== s.baseline;
      },
    };
  });
}

/** The designer's data-flow editor. */
export const useDataflow = createDataflowStore();
