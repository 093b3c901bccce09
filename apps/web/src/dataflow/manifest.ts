/**
 * The DataflowGraph manifest as text: analysis (lenient value + located
 * diagnostics) and the edits the data-flow editor makes. Edits go through
 * the YAML document model, so comments and formatting the user wrote stay.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { parseManifests, RESOURCE_GROUP, type DataflowGraphNode, type DataflowGraphResource, type Diagnostic, type ResourceContext } from '@wgs/graph-model';

export type NodeType = DataflowGraphNode['nodeType'];

export interface ManifestAnalysis {
  /** The parsed resource, even when invalid (undefined only for YAML syntax errors or a non-object). */
  value?: DataflowGraphResource;
  diagnostics: Diagnostic[];
}

export function analyseManifest(text: string, ctx?: ResourceContext): ManifestAnalysis {
  const [first] = parseManifests(text, ctx);
  const diagnostics = first?.diagnostics ?? [{ path: '', message: 'the document is empty', rule: 'schema', severity: 'error' } as Diagnostic];
  const doc = parseDocument(text);
  if (doc.errors.length) return { diagnostics };
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { diagnostics };
  return { value: value as DataflowGraphResource, diagnostics };
}

/** A new graph as the operations experience creates one: a source on the default endpoint and a destination. */
export function newDataflowGraphYaml(name: string, profile = 'default', namespace = 'azure-iot-operations'): string {
  return [
    `apiVersion: ${RESOURCE_GROUP}/v1`,
    'kind: DataflowGraph',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    `  profileRef: ${profile}`,
    '  mode: Enabled',
    '  requestDiskPersistence: Disabled',
    '  nodes:',
    '    - nodeType: Source',
    '      name: source',
    '      sourceSettings:',
    '        endpointRef: default',
    '        dataSources:',
    '          - sensor/temperature/raw',
    '    - nodeType: Destination',
    '      name: destination',
    '      destinationSettings:',
    '        endpointRef: default',
    '        dataDestination: sensor/temperature/processed',
    '  nodeConnections:',
    '    - from:',
    '        name: source',
    '      to:',
    '        name: destination',
    '',
  ].join('\n');
}

/** Applies `change` to the document of `text`; throws when the text does not parse (edits need a valid tree). */
export function editManifest(text: string, change: (doc: Document) => void): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`fix the YAML first: ${doc.errors[0]!.message.split('\n')[0]}`);
  change(doc);
  return doc.toString({ lineWidth: 0 });
}

const nodesOf = (doc: Document) => (doc.getIn(['spec', 'nodes']) as { items?: unknown[] } | undefined)?.items ?? [];

/** Index of the node called `name` in spec.nodes (-1 when absent). */
export function nodeIndex(doc: Document, name: string): number {
  return nodesOf(doc).findIndex((n) => isMap(n) && n.get('name') === name);
}

function requireNode(doc: Document, name: string): number {
  const i = nodeIndex(doc, name);
  if (i < 0) throw new Error(`no node named "${name}"`);
  return i;
}

/** Sets (or, with undefined or '', removes) a value under the node's settings or anywhere in the document. */
export function setValue(text: string, path: (string | number)[], value: unknown): string {
  return editManifest(text, (doc) => {
    if (value === undefined || value === '') doc.deleteIn(path);
    else doc.setIn(path, value);
  });
}

export function setNodeValue(text: string, node: string, path: (string | number)[], value: unknown): string {
  return editManifest(text, (doc) => {
    const at = ['spec', 'nodes', requireNode(doc, node), ...path];
    if (value === undefined || value === '') doc.deleteIn(at);
    else doc.setIn(at, value);
  });
}

/** A node name not yet used: `base`, `base-2`, `base-3`, … */
export function uniqueNodeName(doc: Document, base: string): string {
  if (nodeIndex(doc, base) < 0) return base;
  for (let i = 2; ; i++) if (nodeIndex(doc, `${base}-${i}`) < 0) return `${base}-${i}`;
}

const SETTINGS: Record<NodeType, (extra: Record<string, unknown>) => Record<string, unknown>> = {
  Source: () => ({ sourceSettings: { endpointRef: 'default', dataSources: ['sensor/#'] } }),
  Graph: (extra) => ({ graphSettings: { registryEndpointRef: extra.registryEndpointRef ?? 'embedded', artifact: extra.artifact ?? '' } }),
  Destination: () => ({ destinationSettings: { endpointRef: 'default', dataDestination: 'processed' } }),
};

/**
 * Adds a node. A graph transform added while the graph is a plain
 * source → destination is put between them (the reference UI connects nodes itself).
 */
export function addNode(text: string, nodeType: NodeType, extra: Record<string, unknown> = {}): { text: string; name: string } {
  let name = '';
  const out = editManifest(text, (doc) => {
    name = uniqueNodeName(doc, String(extra.name ?? (nodeType === 'Graph' ? 'transform' : nodeType.toLowerCase())));
    const { name: _n, ...settings } = extra;
    const node = doc.createNode({ nodeType, name, ...SETTINGS[nodeType](settings) });
    if (!isSeq(doc.getIn(['spec', 'nodes']))) doc.setIn(['spec', 'nodes'], doc.createNode([]));
    // Listed in flow order: a transform goes before the first destination, like the canvas shows it.
    const seq = doc.getIn(['spec', 'nodes']) as { items: unknown[] };
    const firstDestination = seq.items.findIndex((n) => isMap(n) && n.get('nodeType') === 'Destination');
    if (nodeType === 'Graph' && firstDestination >= 0) seq.items.splice(firstDestination, 0, node);
    else seq.items.push(node);
    if (nodeType !== 'Graph') return;
    const conns = connectionsOf(doc);
    const direct = conns.findIndex((c) => typeOf(doc, c.from) === 'Source' && typeOf(doc, c.to) === 'Destination');
    if (direct < 0) return;
    const { from, to } = conns[direct]!;
    doc.deleteIn(['spec', 'nodeConnections', direct]);
    addConnectionIn(doc, from, name);
    addConnectionIn(doc, name, to);
  });
  return { text: out, name };
}

function typeOf(doc: Document, name: string): NodeType | undefined {
  const n = nodesOf(doc).find((x) => isMap(x) && x.get('name') === name);
  return isMap(n) ? (n.get('nodeType') as NodeType) : undefined;
}

/** from/to names of spec.nodeConnections, in order. */
export function connectionsOf(doc: Document): { from: string; to: string }[] {
  const items = (doc.getIn(['spec', 'nodeConnections']) as { items?: unknown[] } | undefined)?.items ?? [];
  return items.map((c) => ({
    from: String((isMap(c) && (c.getIn(['from', 'name']) as string)) ?? ''),
    to: String((isMap(c) && (c.getIn(['to', 'name']) as string)) ?? ''),
  }));
}

function addConnectionIn(doc: Document, from: string, to: string): void {
  if (!isSeq(doc.getIn(['spec', 'nodeConnections']))) doc.setIn(['spec', 'nodeConnections'], doc.createNode([]));
  (doc.getIn(['spec', 'nodeConnections']) as { add(v: unknown): void }).add(doc.createNode({ from: { name: from }, to: { name: to } }));
}

/** The reference allows Source→Graph, Source→Destination, Graph→Graph and Graph→Destination. */
export function connectionAllowed(fromType: NodeType | undefined, toType: NodeType | undefined): boolean {
  return !!fromType && !!toType && fromType !== 'Destination' && toType !== 'Source';
}

export function connect(text: string, from: string, to: string): string {
  return editManifest(text, (doc) => {
    if (from.split('.')[0] === to) throw new Error('a node cannot connect to itself');
    const fromType = typeOf(doc, from.split('.')[0]!); // a branch output, node.output.true, is its node's
    if (!connectionAllowed(fromType, typeOf(doc, to))) throw new Error(`a ${fromType} cannot connect to a ${typeOf(doc, to)}`);
    if (connectionsOf(doc).some((c) => c.from === from && c.to === to)) return;
    addConnectionIn(doc, from, to);
  });
}

/** Removes connections by index (highest first, so indices stay valid). */
export function disconnect(text: string, indices: number[]): string {
  return editManifest(text, (doc) => {
    for (const i of [...indices].sort((a, b) => b - a)) doc.deleteIn(['spec', 'nodeConnections', i]);
  });
}

/** Removes nodes and every connection touching them. */
export function removeNodes(text: string, names: string[]): string {
  return editManifest(text, (doc) => {
    const conns = connectionsOf(doc);
    for (let i = conns.length - 1; i >= 0; i--) if (names.includes(conns[i]!.from) || names.includes(conns[i]!.to)) doc.deleteIn(['spec', 'nodeConnections', i]);
    for (const name of names) {
      const i = nodeIndex(doc, name);
      if (i >= 0) doc.deleteIn(['spec', 'nodes', i]);
    }
  });
}

/** Renames a node and the connections naming it (branch outputs like `node.output.true` included). */
export function renameNode(text: string, from: string, to: string): string {
  return editManifest(text, (doc) => {
    if (!to.trim()) throw new Error('a node needs a name');
    if (from === to) return;
    if (nodeIndex(doc, to) >= 0) throw new Error(`a node named "${to}" exists already`);
    doc.setIn(['spec', 'nodes', requireNode(doc, from), 'name'], to);
    connectionsOf(doc).forEach((c, i) => {
      for (const end of ['from', 'to'] as const) {
        const n = c[end];
        if (n === from || n.startsWith(`${from}.`)) doc.setIn(['spec', 'nodeConnections', i, end, 'name'], to + n.slice(from.length));
      }
    });
  });
}

/** Replaces a graph node's configuration list with `values` (blank values left out; none: the key is removed). */
export function setConfiguration(text: string, node: string, values: Record<string, string>): string {
  const entries = Object.entries(values).filter(([, v]) => v.trim() !== '');
  return editManifest(text, (doc) => {
    const at = ['spec', 'nodes', requireNode(doc, node), 'graphSettings', 'configuration'];
    if (!entries.length) doc.deleteIn(at);
    else doc.setIn(at, doc.createNode(entries.map(([key, value]) => ({ key, value }))));
  });
}

/** Node positions kept in the `wgs.dev/layout` annotation (ignored by deploy diffs). */
export const LAYOUT_ANNOTATION = 'wgs.dev/layout';

export function readLayout(value: DataflowGraphResource | undefined): Record<string, [number, number]> {
  const raw = value?.metadata?.annotations?.[LAYOUT_ANNOTATION];
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter(([, p]) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number'))) as Record<string, [number, number]>;
  } catch {
    return {};
  }
}

export function writeLayout(text: string, positions: Record<string, [number, number]>): string {
  const rounded = Object.fromEntries(Object.entries(positions).map(([k, [x, y]]) => [k, [Math.round(x), Math.round(y)]]));
  return setValue(text, ['metadata', 'annotations', LAYOUT_ANNOTATION], JSON.stringify(rounded));
}

/** Fields the API server sets: never sent back, never exported. */
const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

/** The resource to send to the API or hand to kubectl (server-managed fields and status dropped). */
export function toResource<T extends { metadata: object; status?: unknown }>(value: T): Omit<T, 'status'> {
  const metadata = Object.fromEntries(Object.entries(value.metadata).filter(([k]) => !SERVER_FIELDS.includes(k))) as T['metadata'];
  const { status: _s, ...rest } = value;
  return { ...rest, metadata };
}

/** What a copy holds: nodes and the connections among them. */
export interface Clipboard {
  nodes: Record<string, unknown>[];
  connections: { from: string; to: string }[];
}

/** Nodes `names` of the manifest, with the connections that stay among them. */
export function copyNodes(value: DataflowGraphResource | undefined, names: string[]): Clipboard {
  const nodes = (value?.spec?.nodes ?? []).filter((n) => n && names.includes(n.name)).map((n) => structuredClone(n) as unknown as Record<string, unknown>);
  const connections = (value?.spec?.nodeConnections ?? [])
    .map((c) => ({ from: c?.from?.name, to: c?.to?.name }))
    .filter((c): c is { from: string; to: string } => !!c.from && !!c.to && names.includes(c.from.split('.')[0]!) && names.includes(c.to));
  return { nodes, connections };
}

/** Pastes copied nodes under unique names (connections among them follow); returns the new names. */
export function pasteNodes(text: string, clip: Clipboard): { text: string; names: string[] } {
  const names: string[] = [];
  const out = editManifest(text, (doc) => {
    if (!isSeq(doc.getIn(['spec', 'nodes']))) doc.setIn(['spec', 'nodes'], doc.createNode([]));
    const renamed = new Map<string, string>();
    for (const n of clip.nodes) {
      const name = uniqueNodeName(doc, `${String(n.name)}-copy`);
      renamed.set(String(n.name), name);
      names.push(name);
      (doc.getIn(['spec', 'nodes']) as { add(v: unknown): void }).add(doc.createNode({ ...n, name }));
    }
    for (const c of clip.connections) {
      const [base, ...output] = c.from.split('.');
      addConnectionIn(doc, [renamed.get(base!) ?? base, ...output].join('.'), renamed.get(c.to) ?? c.to);
    }
  });
  return { text: out, names };
}
