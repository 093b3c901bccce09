/**
 * Message schemas a data flow names (`aio-sr://<namespace>/<name>:<version>`):
 * the stored schema's shape, its name rules, the Kubernetes ConfigMap that
 * holds one in a cluster, and THE resolver the CLI, the preview and the
 * engine share: which schemas a DataflowGraph needs (its connections'
 * `from.schema.schemaRef` and its Graph nodes' `schemaRef` configuration),
 * found among the schemas available, with a located error for each missing one.
 * Pure: callers list what their store holds.
 */
import { diagnostic, type Diagnostic, type PathSegment } from './diagnostics.ts';
import { DEFAULT_NAMESPACE, type DataflowGraphResource } from './resources.ts';

export type SchemaFormat = 'json' | 'delta';

/** A schema as the host's schema registry serves it (WIT `schema-registry.get`). */
export interface RegistrySchema {
  namespace: string;
  name: string;
  version: string;
  format: SchemaFormat;
  /** The schema text (JSON Schema for `json`). */
  content: string;
  description?: string;
}

export interface SchemaId {
  namespace: string;
  name: string;
  version: string;
}

/**
 * Namespace, name and version: Kubernetes label values (the ConfigMap labels
 * carry them; file stores use them as path segments, so no `/` and never `.` or `..`).
 */
export const SCHEMA_ID_PATTERN = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export const schemaKey = (s: SchemaId): string => `${s.namespace}/${s.name}:${s.version}`;
export const schemaRefOf = (s: SchemaId): string => `aio-sr://${schemaKey(s)}`;

/** Why a namespace, name or version cannot be one; undefined when it can. */
export function schemaIdProblem(s: SchemaId): string | undefined {
  for (const part of ['namespace', 'name', 'version'] as const) {
    if (!SCHEMA_ID_PATTERN.test(s[part] ?? '')) return `schema ${part} "${s[part] ?? ''}" must be 1-63 letters, digits, "-", "_" or "." starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * `aio-sr://<namespace>/<name>:<version>`, or the reference's short form
 * `aio-sr://<name>:<version>`, whose namespace is `defaultNamespace`.
 */
export function parseSchemaRef(ref: string, defaultNamespace: string): SchemaId | { error: string } {
  const bad = { error: `schemaRef "${ref}" is not aio-sr://<namespace>/<name>:<version>` };
  const rest = ref.trim().startsWith('aio-sr://') ? ref.trim().slice('aio-sr://'.length) : undefined;
  if (rest === undefined) return bad;
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { error: `schemaRef "${ref}" has no :<version>` };
  const path = rest.slice(0, colon).split('/');
  if (path.length > 2) return bad;
  const id = { namespace: path.length === 2 ? path[0]! : defaultNamespace, name: path[path.length - 1]!, version: rest.slice(colon + 1) };
  const problem = schemaIdProblem(id);
  return problem ? { error: `schemaRef "${ref}": ${problem}` } : id;
}

/** The namespace a DataflowGraph's short schema references resolve in: its own. */
export const dataflowSchemaNamespace = (r: DataflowGraphResource): string => r.metadata.namespace ?? DEFAULT_NAMESPACE;

/** A schema reference found in a DataflowGraph, with where it is and which node reads it. */
export interface SchemaUse {
  ref: string;
  segments: PathSegment[];
  /** The node that receives it: a connection's `to`, or the node whose configuration names it. */
  node: string;
  /** A connection's schema is also delivered to the receiving node's modules at init (reference §2.4). */
  fromConnection: boolean;
}

const SCHEMA_REF_KEY = 'schemaRef';

/** Every schema reference of a data flow: connections' `from.schema.schemaRef`, Graph nodes' `schemaRef` configuration. */
export function dataflowSchemaUses(r: DataflowGraphResource): SchemaUse[] {
  const uses: SchemaUse[] = [];
  (r.spec.nodeConnections ?? []).forEach((c, i) => {
    const ref = c.from.schema?.schemaRef;
    if (ref?.trim()) uses.push({ ref, segments: ['spec', 'nodeConnections', i, 'from', 'schema', 'schemaRef'], node: c.to.name, fromConnection: true });
  });
  (r.spec.nodes ?? []).forEach((n, i) => {
    if (n.nodeType !== 'Graph') return;
    (n.graphSettings.configuration ?? []).forEach((c, j) => {
      if (c.key === SCHEMA_REF_KEY && c.value.trim()) uses.push({ ref: c.value, segments: ['spec', 'nodes', i, 'graphSettings', 'configuration', j, 'value'], node: n.name, fromConnection: false });
    });
  });
  return uses;
}

export interface ResolvedSchemas {
  /** What the run's schema registry holds: every schema the data flow names, once. */
  schemas: RegistrySchema[];
  /** Per node, the keys (`ns/name:version`) of the schemas on its incoming connections: its module schemas. */
  moduleSchemasByNode: Record<string, string[]>;
}

const RULE = 'schema-registry';

/**
 * Finds every schema the uses name among `available`. A malformed reference
 * or a schema not there is an error located at the reference.
 */
export function resolveSchemaUses(uses: SchemaUse[], available: readonly RegistrySchema[], defaultNamespace: string, where = 'the schema registry'): ResolvedSchemas | { errors: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const byKey = new Map(available.map((s) => [schemaKey(s), s]));
  const schemas = new Map<string, RegistrySchema>();
  const moduleSchemasByNode: Record<string, string[]> = {};
  for (const use of uses) {
    const id = parseSchemaRef(use.ref, defaultNamespace);
    if ('error' in id) {
      errors.push(diagnostic(use.segments, id.error, RULE));
      continue;
    }
    const key = schemaKey(id);
    const found = byKey.get(key);
    if (!found) {
      errors.push(diagnostic(use.segments, `schema ${use.ref} (read by "${use.node}") is not in ${where}`, RULE));
      continue;
    }
    schemas.set(key, found);
    if (use.fromConnection && !(moduleSchemasByNode[use.node] ??= []).includes(key)) moduleSchemasByNode[use.node]!.push(key);
  }
  return errors.length ? { errors } : { schemas: [...schemas.values()], moduleSchemasByNode };
}

/** The schemas a DataflowGraph needs, from `available` (see resolveSchemaUses). */
export function resolveDataflowSchemas(r: DataflowGraphResource, available: readonly RegistrySchema[], where?: string): ResolvedSchemas | { errors: Diagnostic[] } {
  return resolveSchemaUses(dataflowSchemaUses(r), available, dataflowSchemaNamespace(r), where);
}

/**
 * A schema in a cluster: a ConfigMap in the namespace the engine watches,
 * labelled with the schema's namespace, name and version, the schema text
 * under `data.schema` (and optionally `data.format`: `json`, the default, or
 * `delta`; `data.description`). The ConfigMap's own name is free.
 */
export const SCHEMA_LABELS = {
  namespace: 'wgs.dev/schema-namespace',
  name: 'wgs.dev/schema-name',
  version: 'wgs.dev/schema-version',
} as const;

/** Selects every schema ConfigMap. */
export const SCHEMA_LABEL_SELECTOR = SCHEMA_LABELS.name;

export interface ConfigMapLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/** The schema a labelled ConfigMap holds, or why it holds none. */
export function schemaFromConfigMap(cm: ConfigMapLike): RegistrySchema | { error: string } {
  const labels = cm.metadata?.labels ?? {};
  const label = `ConfigMap ${cm.metadata?.name ?? '?'}`;
  const id = { namespace: labels[SCHEMA_LABELS.namespace] ?? '', name: labels[SCHEMA_LABELS.name] ?? '', version: labels[SCHEMA_LABELS.version] ?? '' };
  const problem = schemaIdProblem(id);
  if (problem) return { error: `${label}: ${problem} (labels ${Object.values(SCHEMA_LABELS).join(', ')})` };
  const content = cm.data?.schema;
  if (content === undefined) return { error: `${label}: no data.schema` };
  const format = cm.data?.format ?? 'json';
  if (format !== 'json' && format !== 'delta') return { error: `${label}: data.format "${format}" is neither json nor delta` };
  return { ...id, format, content, ...(cm.data?.description ? { description: cm.data.description } : {}) };
}

/** The ConfigMap name the tools give a schema they write (kubectl users may pick any). */
export function schemaConfigMapName(s: SchemaId): string {
  const readable = `schema-${s.namespace}-${s.name}-${s.version}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 200);
  // Two ids may read the same once lowercased: a hash of the exact id keeps them apart.
  let h = 0x811c9dc5;
  for (const ch of schemaKey(s)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${readable}-${h.toString(16).padStart(8, '0')}`;
}

/** The ConfigMap holding a schema (metadata.namespace is the caller's). */
export function schemaConfigMap(s: RegistrySchema, namespace: string): Required<Pick<ConfigMapLike, 'metadata' | 'data'>> & { apiVersion: 'v1'; kind: 'ConfigMap' } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: schemaConfigMapName(s), namespace, labels: { [SCHEMA_LABELS.namespace]: s.namespace, [SCHEMA_LABELS.name]: s.name, [SCHEMA_LABELS.version]: s.version } },
    data: { schema: s.content, format: s.format, ...(s.description ? { description: s.description } : {}) },
  };
}

/** Why a schema text cannot be stored (a JSON schema must be a JSON object); undefined when it can. */
export function schemaContentProblem(format: SchemaFormat, content: string): string | undefined {
  if (format !== 'json') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (e) {
    return `the schema is not JSON: ${(e as Error).message}`;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'a JSON schema must be a JSON object';
}
