/**
 * The designer's state: the definition's YAML text is the source of truth;
 * the canvas (nodes, edges) and the diagnostics are derived from it on every
 * change, and canvas edits are applied to the text. Every change of the text
 * (canvas or YAML) goes through one text history, so undo/redo covers both.
 */
import { create } from 'zustand';
import { parseArtifactReference, parseGraphDefinition, type Arm, type ConfigParameter, type Diagnostic } from '@wgs/graph-model';
import { parseDocument } from 'yaml';
import { graphToFlow, readOperations, type ConnectionEdge, type OperationNode } from '../model/flow.ts';
import { diagnosticTarget } from '../model/diagnostics.ts';
import { layoutPositions } from '../model/layout.ts';
import {
  addConnection, addOperations, ensureFeature, lineOfPath, removeConnection, removeOperation, removeParameter,
  renameOperation, setMetadataVersion, setModule, setParameter,
} from '../model/yaml-text.ts';
import { changedOperations, operationSignatures } from '../model/dirty.ts';
import { copyOperations, renameForPaste, type Clip } from '../model/clipboard.ts';
import { defaultOperationName, isPlaceholderName } from '../model/naming.ts';
import { needsWasiNn, type ModuleInfo } from '../model/modules.ts';
import { createTextHistory } from './history.ts';
import { humanizeDiagnostics } from '../model/human-messages.ts';
import { freeSpotNear } from '../model/placement.ts';

/** Where the open definition came from (suggests the save target). */
export interface DefinitionOrigin {
  endpoint?: string;
  repository: string;
  tag?: string;
}

type Point = { x: number; y: number };

export interface DesignerState {
  /** Where the definition came from, e.g. the registry reference. */
  title: string;
  origin?: DefinitionOrigin;
  yaml: string;
  /** The text as opened or last saved: what "unsaved changes" and the dirty markers compare with. */
  baselineYaml: string;
  nodes: OperationNode[];
  edges: ConnectionEdge[];
  diagnostics: Diagnostic[];
  selected?: string;
  /** The YAML line to show (a new object each time, so the same line can be shown again). */
  revealLine?: { line: number };
  /** Counts layouts, so the canvas can fit the view after each. */
  layoutSeq: number;
  /** Set when a canvas edit could not be applied (e.g. the YAML has syntax errors). */
  editError?: string;
  canUndo: boolean;
  canRedo: boolean;
  /** What Ctrl+C took (kept in the page: it holds positions and parameters too). */
  clipboard?: Clip;
  /** The registry endpoint modules are picked from and saved to. */
  registryEndpoint: string;
  /** Opens a definition and lays it out; it becomes the baseline and the history starts over. */
  open(title: string, yaml: string, origin?: DefinitionOrigin): Promise<void>;
  /** A YAML edit (typing bursts coalesce into one undo step). */
  setYaml(yaml: string): void;
  relayout(): Promise<void>;
  setNodes(nodes: OperationNode[]): void;
  select(id?: string): void;
  selectAll(): void;
  goToLine(line: number): void;
  connect(from: string, arm: Arm | undefined, to: string): void;
  /** Removes the connections behind these edges (one edit). */
  disconnect(edgeIds: string[]): void;
  /** Removes operations (with their connections) and connections, as one edit. */
  deleteElements(nodeIds: string[], edgeIds: string[]): void;
  /** Deletes the selected operations and connections. */
  deleteSelection(): void;
  /**
   * Sets an operation's module. A placeholder name (`module-new/map`) then
   * follows the module (`module-temperature/map`); a module importing wasi:nn
   * adds the `wasi-nn` feature. One edit.
   */
  /** `typing`: a keystroke of the module field (coalesced per burst; the placeholder name waits for the settled value). */
  changeModule(nodeId: string, module: string, info?: ModuleInfo, typing?: { burst: string }): void;
  /** Adds an operation of `kind` with a unique conventional name at `position` (flow coordinates); returns its name. */
  addOperation(kind: string, position?: Point): string | undefined;
  /** `burst`: typed in the name field (one undo step per burst). */
  renameOperation(nodeId: string, name: string, burst?: string): void;
  /** `field` (a form field being typed into): bursts in the same field coalesce into one undo step. */
  setParameter(nodeId: string, previousKey: string | undefined, key: string, parameter: ConfigParameter, field?: string): void;
  removeParameter(nodeId: string, key: string): void;
  setVersion(version: string): void;
  undo(): void;
  redo(): void;
  /** Copies the selected operations (or `ids`). */
  copy(ids?: string[]): void;
  /** Pastes the clipboard: unique names, connections among the copies kept, offset positions. */
  paste(): void;
  /** Copies and pastes `ids` in one go, leaving the clipboard as it was (the context menu's Duplicate). */
  duplicate(ids: string[]): void;
  /** Whether the text differs from the baseline. */
  isDirty(): boolean;
  /** The current text was saved (as `origin`, when given): it becomes the baseline. */
  markSaved(origin?: DefinitionOrigin, title?: string): void;
  setRegistryEndpoint(name: string): void;
}

/** Parses the text leniently (a value even when invalid) and validates it. */
export function analyse(yaml: string): { value: unknown; diagnostics: Diagnostic[] } {
  const doc = parseDocument(yaml);
  let value: unknown;
  try {
    value = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch {
    value = undefined;
  }
  return { value, diagnostics: humanizeDiagnostics(parseGraphDefinition(yaml).diagnostics) };
}

/**
 * Nodes and edges of `yaml`, keeping the positions and selection `previous`
 * had, with diagnostics attached and, given a baseline, dirty markers.
 */
export function derive(yaml: string, previous: OperationNode[], baseline?: ReadonlyMap<string, string>, remembered: ReadonlyMap<string, Point> = new Map()): { nodes: OperationNode[]; edges: ConnectionEdge[]; diagnostics: Diagnostic[] } {
  const { value, diagnostics } = analyse(yaml);
  // A syntax error leaves no value: keep showing the last canvas, with the error listed.
  if (value === undefined && previous.length) return { nodes: previous, edges: [], diagnostics };
  const flow = graphToFlow(value, positionsFor(readOperations(value).map((o) => o.name), previous, remembered));
  const wasSelected = new Set(previous.filter((n) => n.selected).map((n) => n.id));
  const changed = baseline ? changedOperations(baseline, operationSignatures(value)) : new Set<string>();
  for (const n of flow.nodes) {
    if (wasSelected.has(n.id)) n.selected = true;
    if (changed.has(n.id)) n.data.dirty = true;
  }
  for (const d of diagnostics) {
    const t = diagnosticTarget(d, value);
    const node = t.nodeId ? flow.nodes.find((n) => n.id === t.nodeId) : undefined;
    if (node) (d.severity === 'error' ? node.data.errors : node.data.warnings).push(d.message);
    const edge = t.edgeId ? flow.edges.find((e) => e.id === t.edgeId) : undefined;
    if (edge && edge.data && d.severity === 'error') edge.data.error = d.message;
  }
  for (const e of flow.edges) if (e.data?.error) e.className = 'edge-error';
  return { ...flow, diagnostics };
}

/**
 * Positions follow the operation, not its name: a name the canvas had keeps
 * its place; a renamed operation (a new name where a name vanished at the
 * same index) keeps the old name's place; a name seen before (undo of a
 * rename or delete) gets its old place back; anything else a free spot.
 */
export function positionsFor(names: readonly string[], previous: readonly OperationNode[], remembered: ReadonlyMap<string, Point>): Map<string, Point> {
  const positions = new Map(previous.map((n) => [n.id, n.position]));
  const kept = new Set(names);
  const out = new Map<string, Point>();
  names.forEach((name, index) => {
    const vanished = previous.find((n) => n.data.index === index && !kept.has(n.id));
    const at = positions.get(name) ?? vanished?.position ?? remembered.get(name);
    if (at) out.set(name, at);
  });
  for (const name of names) {
    if (out.has(name)) continue;
    out.set(name, freeSpotNear({ x: 0, y: 0 }, [...out.values()]));
  }
  return out;
}

/** Repository and tag of a title like `repo/name:1.0.0` or `host:5000/repo/name:1.0.0`. */
export function originOfTitle(title: string): DefinitionOrigin | undefined {
  try {
    const ref = parseArtifactReference(title);
    return { repository: ref.repository, ...(ref.tag ? { tag: ref.tag } : {}) };
  } catch {
    return undefined;
  }
}

/** Typing closer together than this is one undo step. */
const COALESCE_MS = 800;

/** Where a node goes when no position is given: right of everything there is. */
function freeSpot(nodes: OperationNode[]): Point {
  if (!nodes.length) return { x: 0, y: 0 };
  return { x: Math.max(...nodes.map((n) => n.position.x)) + 300, y: Math.min(...nodes.map((n) => n.position.y)) };
}

export const useDesigner = create<DesignerState>((set, get) => {
  const history = createTextHistory('', { coalesceMs: COALESCE_MS });
  // The history coalesces by time only; a canvas edit must be a step of its
  // own, and so must the first keystroke after it. Moving this clock forward
  // by the coalescing window forces that without changing the history's API.
  let clockOffset = 0;
  let lastWasStep = false;
  let baseline = new Map<string, string>();
  // Every place an operation name had, so undo and redo put operations back where they were.
  const remembered = new Map<string, Point>();
  const record = (yaml: string, step: boolean, field?: string) => {
    if (step || lastWasStep) clockOffset += COALESCE_MS;
    history.push(yaml, Date.now() + clockOffset, field);
    lastWasStep = step;
  };
  /** Shows `yaml` (derived canvas) and, unless it came from the history, records it. */
  const show = (yaml: string, how: 'typing' | 'step' | 'history', field?: string) => {
    if (how !== 'history') record(yaml, how === 'step', field);
    for (const n of get().nodes) remembered.set(n.id, n.position);
    set({ yaml, ...derive(yaml, get().nodes, baseline, remembered), editError: undefined, canUndo: history.canUndo(), canRedo: history.canRedo() });
  };
  /** A canvas or form edit; with `field`, typed into that field (coalesced like typing, per field). */
  const applyEdit = (change: (yaml: string) => string, field?: string): boolean => {
    try {
      const next = change(get().yaml);
      if (next !== get().yaml) show(next, field ? 'typing' : 'step', field && `field:${field}`);
      return true;
    } catch (e) {
      set({ editError: (e as Error).message });
      return false;
    }
  };
  const names = () => new Set(readOperations(analyse(get().yaml).value).map((o) => o.name));
  const place = (where: Map<string, Point>) => {
    set({ nodes: get().nodes.map((n) => ({ ...n, selected: where.has(n.id), position: where.get(n.id) ?? n.position })) });
  };
  const nodeOf = (id: string) => get().nodes.find((n) => n.id === id);

  return {
    title: '',
    yaml: '',
    baselineYaml: '',
    nodes: [],
    edges: [],
    diagnostics: [],
    layoutSeq: 0,
    canUndo: false,
    canRedo: false,
    registryEndpoint: 'embedded',
    async open(title, yaml, origin) {
      // Laid out before it is shown, so the canvas never shows the nodes piled up.
      baseline = operationSignatures(analyse(yaml).value);
      const derived = derive(yaml, [], baseline);
      const positions = await layoutPositions(derived);
      const nodes = derived.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position }));
      history.reset(yaml);
      lastWasStep = false;
      remembered.clear();
      const from = origin ?? originOfTitle(title);
      set({
        title, yaml, baselineYaml: yaml, ...derived, nodes, selected: undefined, editError: undefined, layoutSeq: get().layoutSeq + 1,
        canUndo: false, canRedo: false, origin: from, ...(origin?.endpoint ? { registryEndpoint: origin.endpoint } : {}),
      });
    },
    setYaml(yaml) {
      if (yaml !== get().yaml) show(yaml, 'typing');
    },
    async relayout() {
      const { nodes, edges } = get();
      const positions = await layoutPositions({ nodes, edges });
      set({ nodes: get().nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })), layoutSeq: get().layoutSeq + 1 });
    },
    setNodes(nodes) {
      set({ nodes });
    },
    select(id) {
      const node = id ? nodeOf(id) : undefined;
      const line = node ? lineOfPath(get().yaml, ['operations', node.data.index]) : undefined;
      set({ selected: id, ...(line ? { revealLine: { line } } : {}) });
    },
    selectAll() {
      set({ nodes: get().nodes.map((n) => ({ ...n, selected: true })), edges: get().edges.map((e) => ({ ...e, selected: true })) });
    },
    goToLine(line) {
      set({ revealLine: { line } });
    },
    connect(from, arm, to) {
      applyEdit((y) => addConnection(y, { from, to, ...(arm ? { arm } : {}) }));
    },
    disconnect(edgeIds) {
      get().deleteElements([], edgeIds);
    },
    deleteElements(nodeIds, edgeIds) {
      // Highest index first, so the earlier indices stay valid; connections first (operation indices do not move).
      const conns = get().edges.filter((e) => edgeIds.includes(e.id) && e.data).map((e) => e.data!.index).sort((a, b) => b - a);
      const ops = get().nodes.filter((n) => nodeIds.includes(n.id)).map((n) => n.data.index).sort((a, b) => b - a);
      if (!conns.length && !ops.length) return;
      applyEdit((y) => ops.reduce((text, i) => removeOperation(text, i), conns.reduce((text, i) => removeConnection(text, i), y)));
      if (nodeIds.includes(get().selected ?? '')) set({ selected: undefined });
    },
    deleteSelection() {
      const { nodes, edges, selected } = get();
      const ids = nodes.filter((n) => n.selected || n.id === selected).map((n) => n.id);
      get().deleteElements(ids, edges.filter((e) => e.selected).map((e) => e.id));
    },
    changeModule(nodeId, module, info, typing) {
      const node = nodeOf(nodeId);
      if (!node) return;
      const kind = node.data.operationType;
      const taken = names();
      taken.delete(node.id);
      const rename = !typing && module && isPlaceholderName(node.id, kind) ? defaultOperationName(kind, taken, module) : undefined;
      const ok = applyEdit((y) => {
        let text = setModule(y, node.data.index, module);
        if (rename) text = renameOperation(text, node.data.index, rename);
        if (info && needsWasiNn(info)) text = ensureFeature(text, 'wasi-nn');
        return text;
      }, typing?.burst);
      if (ok && rename) {
        set({ nodes: get().nodes.map((n) => (n.id === rename ? { ...n, position: node.position, selected: node.selected } : n)) });
        if (get().selected === nodeId) set({ selected: rename });
      }
    },
    addOperation(kind, position) {
      const name = defaultOperationName(kind, names());
      // Never on top of another operation: the nearest free spot to where it was asked for.
      const at = freeSpotNear(position ?? freeSpot(get().nodes), get().nodes.map((n) => n.position));
      if (!applyEdit((y) => addOperations(y, [{ name, operationType: kind }], [], []))) return undefined;
      if (!get().title) set({ title: 'New graph (not saved yet)' });
      place(new Map([[name, at]]));
      get().select(name);
      return name;
    },
    renameOperation(nodeId, name, burst) {
      const node = nodeOf(nodeId);
      const wanted = name.trim();
      if (!node || wanted === nodeId) return;
      if (!wanted) return set({ editError: 'an operation needs a name' });
      if (names().has(wanted)) return set({ editError: `there is already an operation named "${wanted}"` });
      if (!applyEdit((y) => renameOperation(y, node.data.index, wanted), burst)) return;
      set({ nodes: get().nodes.map((n) => (n.id === wanted ? { ...n, position: node.position } : n)), ...(get().selected === nodeId ? { selected: wanted } : {}) });
    },
    setParameter(nodeId, previousKey, key, parameter, field) {
      if (!key.trim()) return set({ editError: 'a parameter needs a key' });
      applyEdit((y) => setParameter(y, nodeId, previousKey, key.trim(), parameter), field);
    },
    removeParameter(nodeId, key) {
      applyEdit((y) => removeParameter(y, nodeId, key));
    },
    setVersion(version) {
      applyEdit((y) => setMetadataVersion(y, version));
    },
    undo() {
      const text = history.undo();
      if (text !== undefined) show(text, 'history');
    },
    redo() {
      const text = history.redo();
      if (text !== undefined) show(text, 'history');
    },
    copy(ids) {
      const { nodes, selected, yaml } = get();
      const picked = ids ?? nodes.filter((n) => n.selected || n.id === selected).map((n) => n.id);
      if (!picked.length) return;
      set({ clipboard: copyOperations(analyse(yaml).value, picked, new Map(nodes.map((n) => [n.id, n.position]))) });
    },
    paste() {
      const clip = get().clipboard;
      if (!clip?.operations.length) return;
      const { clip: pasted } = renameForPaste(clip, names());
      if (!applyEdit((y) => addOperations(y, pasted.operations.map(({ position: _p, ...op }) => op), pasted.connections, pasted.configurations))) return;
      if (!get().title) set({ title: 'New graph (not saved yet)' });
      place(new Map(pasted.operations.map((o) => [o.name, o.position])));
      // The next paste lands one more step away, under fresh names.
      set({ clipboard: pasted, selected: undefined });
    },
    duplicate(ids) {
      const kept = get().clipboard;
      get().copy(ids);
      get().paste();
      set({ clipboard: kept });
    },
    isDirty() {
      return get().yaml !== get().baselineYaml;
    },
    markSaved(origin, title) {
      baseline = operationSignatures(analyse(get().yaml).value);
      set({
        baselineYaml: get().yaml, ...derive(get().yaml, get().nodes, baseline),
        ...(origin ? { origin } : {}), ...(title ? { title } : {}),
      });
    },
    setRegistryEndpoint(name) {
      set({ registryEndpoint: name });
    },
  };
});
