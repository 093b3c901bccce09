/**
 * YAML text of a graph definition, and edits made on the canvas applied to
 * the text through yaml's Document API, so comments, flow style and the
 * order of everything else survive an edit.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Arm, ConfigParameter, GraphDefinition } from '@wgs/graph-model';

/** What a new, empty definition starts from (the schema's required parts, as the samples write them). */
export function newDefinitionYaml(name = 'New graph'): string {
  return [
    'metadata:',
    '  $schema: https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json',
    `  name: ${name}`,
    '  version: 1.0.0',
    'moduleRequirements:',
    '  apiVersion: "1.1.0"',
    '  runtimeVersion: "1.1.0"',
    'operations: []',
    'connections: []',
    '',
  ].join('\n');
}

/** Canonical text of a graph definition (what "Format" produces). */
export function graphToYaml(graph: GraphDefinition): string {
  return stringify(graph, { lineWidth: 0 });
}

export interface NewConnection {
  from: string;
  arm?: Arm;
  to: string;
}

function edit(text: string, change: (doc: Document) => void): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the YAML has syntax errors: ${doc.errors[0]!.message.split('\n')[0]}`);
  change(doc);
  return doc.toString({ lineWidth: 0 });
}

/** A new sequence item in the style of its siblings (flow items stay flow). */
function appendLike(doc: Document, key: string, value: unknown): void {
  const seq = doc.get(key, true) as YAMLSeq | undefined;
  const node = doc.createNode(value);
  const last = seq && isSeq(seq) ? seq.items[seq.items.length - 1] : undefined;
  if (isMap(last) && last.flow && isMap(node)) {
    node.flow = true;
    for (const pair of node.items) if (isMap(pair.value)) (pair.value as YAMLMap).flow = true;
  }
  if (seq && isSeq(seq) && seq.flow && seq.items.length === 0) {
    // `operations: []` of a new definition: the first item makes it a block list.
    seq.flow = false;
    seq.items.push(node);
  } else if (seq && isSeq(seq)) seq.items.push(node);
  else doc.set(key, doc.createNode([value]));
}

/** Index of the `moduleConfigurations` entry for an operation, or -1. */
function configurationIndex(doc: Document, operation: string): number {
  const mcs = doc.get('moduleConfigurations', true);
  if (!isSeq(mcs)) return -1;
  return mcs.items.findIndex((item) => isMap(item) && item.get('name') === operation);
}

export function addConnection(text: string, c: NewConnection): string {
  return edit(text, (doc) => appendLike(doc, 'connections', { from: { name: c.from, ...(c.arm ? { arm: c.arm } : {}) }, to: { name: c.to } }));
}

export function removeConnection(text: string, index: number): string {
  return edit(text, (doc) => {
    doc.deleteIn(['connections', index]);
  });
}

/** Sets (or, with an empty value, removes) an operation's module. */
export function setModule(text: string, operationIndex: number, module: string): string {
  return edit(text, (doc) => {
    if (module) doc.setIn(['operations', operationIndex, 'module'], module);
    else doc.deleteIn(['operations', operationIndex, 'module']);
  });
}

export interface NewOperation {
  name: string;
  operationType: string;
  module?: string;
}

export function addOperation(text: string, op: NewOperation): string {
  return addOperations(text, [op], [], []);
}

/**
 * Appends operations with the connections among them and their
 * `moduleConfigurations` entries, as one edit (a paste). An empty text
 * becomes a new definition first; a missing `moduleRequirements` is added,
 * since a definition without it is invalid.
 */
export function addOperations(text: string, ops: NewOperation[], connections: NewConnection[], configurations: { name: string; parameters: Record<string, ConfigParameter> }[]): string {
  return edit(text.trim() ? text : newDefinitionYaml(), (doc) => {
    if (!doc.has('moduleRequirements')) doc.set('moduleRequirements', doc.createNode({ apiVersion: '1.1.0', runtimeVersion: '1.1.0' }));
    for (const op of ops) appendLike(doc, 'operations', { operationType: op.operationType, name: op.name, ...(op.module ? { module: op.module } : {}) });
    for (const c of connections) appendLike(doc, 'connections', { from: { name: c.from, ...(c.arm ? { arm: c.arm } : {}) }, to: { name: c.to } });
    for (const mc of configurations) appendLike(doc, 'moduleConfigurations', mc);
  });
}

/** Renames an operation everywhere it is named: connections and its `moduleConfigurations` entry. */
export function renameOperation(text: string, operationIndex: number, newName: string): string {
  return edit(text, (doc) => {
    const old = doc.getIn(['operations', operationIndex, 'name']);
    doc.setIn(['operations', operationIndex, 'name'], newName);
    const conns = doc.get('connections', true);
    if (isSeq(conns)) {
      conns.items.forEach((_, i) => {
        for (const end of ['from', 'to']) if (doc.getIn(['connections', i, end, 'name']) === old) doc.setIn(['connections', i, end, 'name'], newName);
      });
    }
    const mc = typeof old === 'string' ? configurationIndex(doc, old) : -1;
    if (mc >= 0) doc.setIn(['moduleConfigurations', mc, 'name'], newName);
  });
}

/**
 * Adds or changes one parameter of an operation's `moduleConfigurations`
 * entry (creating the entry when needed). `previousKey` renames the key in
 * place; empty description/default and `required: false` are left out.
 */
export function setParameter(text: string, operation: string, previousKey: string | undefined, key: string, p: ConfigParameter): string {
  return edit(text, (doc) => {
    let mc = configurationIndex(doc, operation);
    if (mc < 0) {
      appendLike(doc, 'moduleConfigurations', { name: operation, parameters: {} });
      mc = configurationIndex(doc, operation);
    }
    const params = doc.getIn(['moduleConfigurations', mc, 'parameters'], true);
    if (!isMap(params)) doc.setIn(['moduleConfigurations', mc, 'parameters'], doc.createNode({}));
    const map = doc.getIn(['moduleConfigurations', mc, 'parameters'], true) as YAMLMap;
    const pair = previousKey !== undefined ? map.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === previousKey) : undefined;
    if (pair && previousKey !== key) pair.key = doc.createNode(key);
    const base = ['moduleConfigurations', mc, 'parameters', key];
    if (!isMap(doc.getIn(base, true))) doc.setIn(base, doc.createNode({ name: p.name }));
    const field = (name: keyof ConfigParameter, value: unknown, keep: boolean) => {
      if (keep) doc.setIn([...base, name], value);
      else doc.deleteIn([...base, name]);
    };
    field('name', p.name, true);
    field('description', p.description, !!p.description);
    field('default', p.default, p.default !== undefined && p.default !== null && p.default !== '');
    field('required', true, !!p.required);
  });
}

/** Removes a parameter; an entry left without parameters goes too. */
export function removeParameter(text: string, operation: string, key: string): string {
  return edit(text, (doc) => {
    const mc = configurationIndex(doc, operation);
    if (mc < 0) return;
    doc.deleteIn(['moduleConfigurations', mc, 'parameters', key]);
    const params = doc.getIn(['moduleConfigurations', mc, 'parameters'], true);
    if (!isMap(params) || params.items.length === 0) doc.deleteIn(['moduleConfigurations', mc]);
  });
}

export function setMetadataVersion(text: string, version: string): string {
  return edit(text, (doc) => {
    doc.setIn(['metadata', 'version'], version);
  });
}

/** Adds `moduleRequirements.features[{name}]` unless it is there (e.g. wasi-nn for a module importing wasi:nn). */
export function ensureFeature(text: string, name: string): string {
  return edit(text, (doc) => {
    const features = doc.getIn(['moduleRequirements', 'features'], true);
    if (isSeq(features) && features.items.some((f) => isMap(f) && f.get('name') === name)) return;
    if (isSeq(features)) features.items.push(doc.createNode({ name }));
    else doc.setIn(['moduleRequirements', 'features'], doc.createNode([{ name }]));
  });
}

/** Removes an operation, every connection that touches it and its `moduleConfigurations` entry. */
export function removeOperation(text: string, operationIndex: number): string {
  return edit(text, (doc) => {
    const name = doc.getIn(['operations', operationIndex, 'name']);
    doc.deleteIn(['operations', operationIndex]);
    // A configuration naming no operation is an error; it goes with its operation.
    const mc = typeof name === 'string' ? configurationIndex(doc, name) : -1;
    if (mc >= 0) doc.deleteIn(['moduleConfigurations', mc]);
    const conns = doc.get('connections', true);
    if (!isSeq(conns)) return;
    for (let i = conns.items.length - 1; i >= 0; i--) {
      const from = doc.getIn(['connections', i, 'from', 'name']);
      const to = doc.getIn(['connections', i, 'to', 'name']);
      if (from === name || to === name) conns.items.splice(i, 1);
    }
  });
}

/** The 1-based line where the node at `path` starts, if the text parses that far. */
export function lineOfPath(text: string, path: (string | number)[]): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
