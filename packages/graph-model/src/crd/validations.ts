import type { CelValidation, StructuralSchema } from './structural.ts';

/**
 * The reference's DataflowGraph rules (resource-rules.ts, reference §4.2) that
 * one resource can check alone and CEL can check in linear cost, added to the
 * generated schemas. Rules needing other resources (endpoints exist, Kafka
 * source endpoints have a consumer group, topic loops) or a graph walk
 * (cycles) stay in graph-model only.
 */

/** Where in the spec schema an addition goes: property names, `items` for a list's element. */
export type SchemaPath = string[];

export interface SchemaAddition {
  at: SchemaPath;
  validations?: CelValidation[];
  /** A list whose elements are identified by these keys: the API server refuses duplicates, linearly. */
  listMapKeys?: string[];
}

// Node name → nodeType, built once per rule: `[x].all(t, …)` binds x to t
// (this API server has no cel.bind), so each connection costs one map look-up
// instead of a scan of all nodes. Duplicate names are refused by the list-map
// keys of spec.nodes.
const withTypes = (body: string) => `[self.nodes.transformMapEntry(i, n, {n.name: n.nodeType})].all(t, self.nodeConnections.all(c, ${body}))`;
// A connection's from.name is a node, or `<graph node>.<output>` (node names have no '.'): f is that node, split once.
const withFrom = (body: string) => withTypes(`[c.from.name.split('.')[0]].all(f, ${body})`);

export const DATAFLOW_GRAPH_ADDITIONS: SchemaAddition[] = [
  { at: ['nodes'], listMapKeys: ['name'] },
  { at: ['nodes', 'items', 'graphSettings', 'configuration'], listMapKeys: ['key'] },
  {
    at: ['nodes', 'items', 'graphSettings'],
    validations: [
      {
        rule: "self.artifact.contains(':') && !self.artifact.startsWith(':') && !self.artifact.endsWith(':')",
        message: 'graphSettings.artifact must be <name>:<version>',
      },
    ],
  },
  {
    at: [],
    validations: [
      {
        rule: "self.nodes.exists(n, n.nodeType == 'Source') && self.nodes.exists(n, n.nodeType == 'Destination')",
        message: 'a data flow graph needs at least one Source and one Destination node',
      },
      { rule: withTypes('c.to.name in t'), message: 'every nodeConnections[].to.name must be the name of a node in spec.nodes' },
      { rule: withFrom('f in t'), message: 'every nodeConnections[].from.name must be the name of a node in spec.nodes (or <graph node>.<output>)' },
      {
        rule: withFrom("(!(c.to.name in t) || t[c.to.name] != 'Source') && (!(f in t) || t[f] != 'Destination')"),
        message: "a Source node cannot be a connection's target, nor a Destination node a connection's source",
      },
      {
        rule: withFrom("f == c.from.name || !(f in t) || t[f] == 'Graph'"),
        message: 'only Graph nodes have named outputs (<node>.<output>)',
      },
      { rule: "self.nodeConnections.all(c, c.from.name.split('.')[0] != c.to.name)", message: 'a node cannot be connected to itself' },
    ],
  },
];

/** Applies additions to a converted spec schema (in place); throws on a path the schema does not have. */
export function addToSchema(spec: StructuralSchema, additions: SchemaAddition[]): void {
  for (const { at, validations, listMapKeys } of additions) {
    let node = spec;
    for (const step of at) {
      const next = step === 'items' ? node.items : node.properties?.[step];
      if (!next) throw new Error(`no schema at spec.${at.join('.')}`);
      node = next;
    }
    if (validations) node['x-kubernetes-validations'] = [...(node['x-kubernetes-validations'] ?? []), ...validations];
    if (listMapKeys) {
      if (node.type !== 'array') throw new Error(`spec.${at.join('.')} is not a list`);
      node['x-kubernetes-list-type'] = 'map';
      node['x-kubernetes-list-map-keys'] = listMapKeys;
    }
  }
}
