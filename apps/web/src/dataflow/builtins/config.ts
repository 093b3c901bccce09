/**
 * A built-in transform's configuration in the manifest: the `{key, value}`
 * entries whose values are JSON strings (reference §1.3). Reads give the
 * parsed value or why it does not parse; writes change one entry's string,
 * keeping its YAML style (a `|` block stays a block) and, through writeJson,
 * the text of every rule not edited.
 */
import { isMap, isScalar, isSeq, Scalar, type Document } from 'yaml';
import { builtinArtifact, type BuiltinKind, type GraphNode } from '@wgs/graph-model';
import { addNode, editManifest, nodeIndex } from '../manifest.ts';
import { writeJson } from './json-edit.ts';

/** The configuration entries of a graph node, by key (the first of a repeated key). */
export function configOf(node: GraphNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of node?.graphSettings?.configuration ?? []) if (c && typeof c.key === 'string' && !(c.key in out)) out[c.key] = String(c.value ?? '');
  return out;
}

export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

/** A configuration value as JSON (an absent key gives `fallback`). */
export function readJson<T>(text: string | undefined, fallback: T): Parsed<T> {
  if (text === undefined) return { value: fallback };
  try {
    return { value: JSON.parse(text) as T };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The reference's rule shapes, as the editors handle them. */
export interface Rule {
  inputs: string[];
  output?: string;
  expression?: string;
  description?: string;
}
/** A window 1.1.0 trigger rule (reference §1.3): the expression is under `trigger`. */
export interface TriggerRule {
  inputs: string[];
  trigger: string;
  boundaryMessage?: string;
  description?: string;
}
export interface Triggers {
  type: string;
  datasets?: unknown[];
  rules: TriggerRule[];
}
/** Window 1.1.0 `count` / `memory` closing conditions. */
export interface Limit {
  type: string;
  maxMessageCount?: number;
  maxBufferBytes?: number;
  boundaryMessage?: string;
}
export interface Throttle {
  topic: string;
  maxMessagesPerSecond: number;
}

/** What a new built-in starts with: a passthrough map, a 10 s window, … (JSON as the reference writes it). */
export const DEFAULT_CONFIG: Record<BuiltinKind, Record<string, unknown>> = {
  map: { rules: { map: [{ inputs: ['*'], output: '*' }] } },
  filter: { rules: { filter: [] } },
  branch: { rules: { branch: { inputs: [], expression: 'true' } } },
  concatenate: {},
  window: { delay: { type: 'duration', delaySeconds: 10 }, rules: { accumulate: [] } },
  throttle: { throttle: { perTopicThrottles: [{ topic: '#', maxMessagesPerSecond: 10 }] } },
};

function entriesOf(doc: Document, node: string) {
  return ['spec', 'nodes', nodeIndex(doc, node), 'graphSettings', 'configuration'];
}

/** A `|` block holding the JSON, as the reference's examples write it. */
function block(doc: Document, text: string) {
  const s = doc.createNode(text.endsWith('\n') ? text : `${text}\n`) as Scalar;
  s.type = Scalar.BLOCK_LITERAL;
  return s;
}

/**
 * Sets configuration `key` of `node` to `value` (a JSON value, written over the
 * current text) or removes it (undefined). The entry keeps its place and style.
 */
export function setConfigJson(text: string, node: string, key: string, value: unknown): string {
  return setConfigText(text, node, key, value === undefined ? undefined : (old) => writeJson(old, value));
}

/** Sets a configuration value that is a plain string, not JSON (filter's `schemaRef`); blank removes it. */
export function setConfigString(text: string, node: string, key: string, value: string): string {
  return setConfigText(text, node, key, value.trim() ? () => value : undefined, false);
}

/** The entry's new text from its old one (`old` undefined for a new entry), or undefined to remove it. */
function setConfigText(text: string, node: string, key: string, next: ((old: string | undefined) => string) | undefined, asBlock = true): string {
  const make = (doc: Document, value: string) => (asBlock ? block(doc, value) : doc.createNode(value));
  return editManifest(text, (doc) => {
    if (nodeIndex(doc, node) < 0) throw new Error(`no node named "${node}"`);
    const at = entriesOf(doc, node);
    const seq = doc.getIn(at);
    const items = isSeq(seq) ? seq.items : [];
    const index = items.findIndex((c) => isMap(c) && c.get('key') === key);
    if (next === undefined) {
      if (index >= 0) doc.deleteIn([...at, index]);
      if (isSeq(seq) && !seq.items.length) doc.deleteIn(at);
      return;
    }
    const entry = index >= 0 ? items[index] : undefined;
    const old = isMap(entry) ? entry.get('value', true) : undefined;
    if (isScalar(old)) {
      old.value = next(typeof old.value === 'string' ? old.value : undefined);
      return;
    }
    if (isMap(entry)) return void entry.set('value', make(doc, next(undefined)));
    if (!isSeq(seq)) doc.setIn(at, doc.createNode([]));
    (doc.getIn(at) as { add(v: unknown): void }).add(doc.createNode({ key, value: make(doc, next(undefined)) }));
  });
}

/** Points `node` at another artifact (window 1.0.0 → 1.1.0); its configuration is kept as it is. */
export function setArtifact(text: string, node: string, artifact: string): string {
  return editManifest(text, (doc) => {
    const i = nodeIndex(doc, node);
    if (i < 0) throw new Error(`no node named "${node}"`);
    doc.setIn(['spec', 'nodes', i, 'graphSettings', 'artifact'], artifact);
  });
}

/** Adds a built-in as the reference's "Add transform" does: registry endpoint `default`, the artifact, its default configuration. */
export function addBuiltin(text: string, kind: BuiltinKind, version = '1.0.0'): { text: string; name: string } {
  const added = addNode(text, 'Graph', { name: kind, registryEndpointRef: 'default', artifact: builtinArtifact(kind, version) });
  let out = added.text;
  // A branch has no plain output: the connection it was put into leaves from its true arm.
  if (kind === 'branch') {
    out = editManifest(out, (doc) => {
      const conns = doc.getIn(['spec', 'nodeConnections']);
      for (const c of isSeq(conns) ? conns.items : []) if (isMap(c) && c.getIn(['from', 'name']) === added.name) c.setIn(['from', 'name'], `${added.name}.output.true`);
    });
  }
  for (const [key, value] of Object.entries(DEFAULT_CONFIG[kind])) out = setConfigJson(out, added.name, key, value);
  return { text: out, name: added.name };
}
