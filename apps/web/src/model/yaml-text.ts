/**
 * YAML text of a graph definition, and edits made on the canvas applied to
 * the text through yaml's Document API, so comments, flow style and the
 * order of everything else survive an edit.
 */
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Arm, GraphDefinition } from '@wgs/graph-model';

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
  if (seq && isSeq(seq)) seq.items.push(node);
  else doc.set(key, doc.createNode([value]));
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

export function addOperation(text: string, op: { name: string; operationType: string; module?: string }): string {
  return edit(text, (doc) => appendLike(doc, 'operations', { operationType: op.operationType, name: op.name, ...(op.module ? { module: op.module } : {}) }));
}

/** Removes an operation and every connection that touches it. */
export function removeOperation(text: string, operationIndex: number): string {
  return edit(text, (doc) => {
    const name = doc.getIn(['operations', operationIndex, 'name']);
    doc.deleteIn(['operations', operationIndex]);
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
