/**
 * A DataflowGraph with several Graph nodes (chains and DAGs of transforms)
 * becomes ONE composite graph definition, so the runtime runs it exactly like
 * a single graph: one engine, one worker, one preview session.
 *
 * Naming: a Graph node's operation `op` becomes `<node>/<op>` (node names are
 * DNS-1123 names and never contain `/`). Each inner `source` and `sink`
 * becomes a module-less pass-through `concatenate` of the same composite name,
 * so `<node>/source` counts what entered the node and `<node>/<sink>` what left
 * it through that output; the data flow's connections join them. The composite
 * graph has one `source` (named after the Source node, several joined by `+`)
 * and one `sink` per Destination node, named after that node. When the Source
 * nodes feed different nodes, the source's connections carry the topic filters
 * of the Source nodes feeding their target (`Connection.topics`), and the
 * engine routes each message by its topic. Pure: the definitions are fetched
 * by the caller.
 */
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { findCycle } from './graph-rules.ts';
import type { DataflowGraphNode, DataflowGraphResource, DestinationNode, GraphNode, SourceNode } from './resources.ts';
import { dataflowSchemaNamespace, parseSchemaRef, schemaRefOf } from './schema-registry.ts';
import { filterSchema } from './filter-schema.ts';
import type { Connection, GraphDefinition, ModuleConfiguration, Operation, SchemaConfiguration } from './types.ts';

/** Joins a Graph node's name and its operation's name in the composite graph. */
export const OPERATION_SEPARATOR = '/';

export const compositeOperationName = (node: string, operation: string): string => `${node}${OPERATION_SEPARATOR}${operation}`;

/** The data flow node a composite operation belongs to (the composite source and destination sinks are named after theirs). */
export function nodeOfOperation(name: string): string {
  const at = name.indexOf(OPERATION_SEPARATOR);
  return at < 0 ? name : name.slice(0, at);
}

/** Where a composite operation's module and configuration come from. */
export interface OperationOrigin {
  node: string;
  registryEndpoint: string;
  artifact: string;
}

export interface FlattenedDataflow {
  graph: GraphDefinition;
  /** The composite source operation and the Source nodes (topics, endpoint) feeding it. */
  source: { operation: string; nodes: { node: string; endpointRef: string; topics: string[] }[] };
  /** One per Destination node; `sink` is the composite sink operation (the node's name). */
  destinations: { sink: string; endpointRef: string; topic: string }[];
  /** Each operation of a Graph node gets that node's `configuration` only (two built-ins both use the key `rules`). */
  configuration: Record<string, Record<string, string>>;
  /** Module-running operations: which node, registry endpoint and artifact they come from. */
  origins: Record<string, OperationOrigin>;
}

export type FlattenResult = FlattenedDataflow | { errors: Diagnostic[] };

export const isFlattenError = (r: FlattenResult): r is { errors: Diagnostic[] } => 'errors' in r;

interface Edge {
  from: string;
  /** A sink of the `from` Graph node (`<node>.<sink>`); undefined = all its sinks. */
  output?: string;
  to: string;
}

const RULE = 'dataflow-shape';

/**
 * Flattens a data flow. `definitions` holds each Graph node's definition by
 * node name. Errors are located in the DataflowGraph (spec.nodes[i], spec.nodeConnections[i]).
 */
export function flattenDataflow(resource: DataflowGraphResource, definitions: ReadonlyMap<string, GraphDefinition>): FlattenResult {
  const errors: Diagnostic[] = [];
  const fail = (segments: (string | number)[], message: string) => errors.push(diagnostic(['spec', ...segments], message, RULE));
  const nodes = resource.spec.nodes ?? [];
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.name, i));
  const nodeNamed = (name: string): DataflowGraphNode | undefined => nodes[index.get(name) ?? -1];
  const sources = nodes.filter((n): n is SourceNode => n.nodeType === 'Source');
  const graphs = nodes.filter((n): n is GraphNode => n.nodeType === 'Graph');
  const destinations = nodes.filter((n): n is DestinationNode => n.nodeType === 'Destination');
  if (!sources.length) fail(['nodes'], 'the data flow has no Source node');
  if (!destinations.length) fail(['nodes'], 'the data flow has no Destination node');
  for (const g of graphs) {
    const def = definitions.get(g.name);
    if (!def) fail(['nodes', index.get(g.name)!], `no graph definition for Graph node "${g.name}"`);
    else if (!def.operations.some((o) => o.operationType === 'source')) fail(['nodes', index.get(g.name)!], `the graph of "${g.name}" (${g.graphSettings.artifact}) has no source operation`);
  }
  if (errors.length) return { errors };

  const edges: Edge[] = [];
  (resource.spec.nodeConnections ?? []).forEach((c, i) => {
    const from = resolveFrom(c.from.name, nodeNamed, definitions);
    if (typeof from === 'string') return fail(['nodeConnections', i, 'from', 'name'], from);
    const to = nodeNamed(c.to.name);
    if (!to) return fail(['nodeConnections', i, 'to', 'name'], `unknown node "${c.to.name}"`);
    if (to.nodeType === 'Source') return fail(['nodeConnections', i, 'to', 'name'], `Source node "${to.name}" cannot have an input`);
    if (from.from === to.name) return fail(['nodeConnections', i], `"${to.name}" is connected to itself`);
    edges.push({ ...from, to: to.name });
  });
  if (errors.length) return { errors };

  const cycle = findCycle({ operations: nodes.map((n) => ({ name: n.name, operationType: 'map' })), connections: edges.map((e) => ({ from: { name: e.from }, to: { name: e.to } })) } as unknown as GraphDefinition);
  if (cycle) return { errors: [diagnostic(['spec', 'nodes', index.get(cycle[0]!)!], `cycle: ${cycle.join(' -> ')}`, RULE)] };

  checkReachability(nodes, edges, (name, message) => fail(['nodes', index.get(name)!], message));
  if (errors.length) return { errors };
  return compose(resource, sources, graphs, destinations, edges, definitions);
}

/**
 * Whether the Source nodes feed different nodes: then the composite source
 * routes each message by its topic (compose, `Connection.topics`).
 */
export function sourcesFeedDifferentNodes(resource: DataflowGraphResource): boolean {
  // Defensive reads: the designer asks this of a manifest being edited.
  const sources = (resource.spec?.nodes ?? []).filter((n) => n?.nodeType === 'Source').map((n) => n.name);
  const targetsOf = (s: string) => [...new Set((resource.spec?.nodeConnections ?? []).filter((c) => c?.from?.name === s).map((c) => c.to?.name))].sort().join('\u0000');
  return sources.some((s) => targetsOf(s) !== targetsOf(sources[0]!));
}

/** The filter a message's topic is matched against: a shared subscription's `$share/<group>/` prefix is not part of the topic. */
const routeFilter = (filter: string) => (filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter);

/** `<node>` or `<node>.<sink>` (node names may contain dots: the longest node name that fits wins). */
function resolveFrom(name: string, nodeNamed: (n: string) => DataflowGraphNode | undefined, definitions: ReadonlyMap<string, GraphDefinition>): { from: string; output?: string } | string {
  const whole = nodeNamed(name);
  if (whole) return whole.nodeType === 'Destination' ? `Destination node "${name}" cannot have an output` : { from: name };
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const node = nodeNamed(name.slice(0, dot));
    if (!node) continue;
    const output = name.slice(dot + 1);
    if (node.nodeType !== 'Graph') return `"${node.name}" is a ${node.nodeType} node; only Graph nodes have named outputs`;
    const sinks = definitions.get(node.name)!.operations.filter((o) => o.operationType === 'sink').map((o) => o.name);
    if (!sinks.includes(output)) return `Graph node "${node.name}" has no output "${output}"; its outputs are ${sinks.map((s) => `"${s}"`).join(', ')}`;
    return { from: node.name, output };
  }
  return `unknown node "${name}"`;
}

/** Every Graph node needs an input and a path to a Destination; every Source an output; every Destination an input. */
function checkReachability(nodes: DataflowGraphNode[], edges: Edge[], fail: (node: string, message: string) => void): void {
  const reachesDestination = new Set(nodes.filter((n) => n.nodeType === 'Destination').map((n) => n.name));
  for (let grew = true; grew;) {
    grew = false;
    for (const e of edges) {
      if (reachesDestination.has(e.to) && !reachesDestination.has(e.from)) {
        reachesDestination.add(e.from);
        grew = true;
      }
    }
  }
  for (const n of nodes) {
    const hasInput = edges.some((e) => e.to === n.name);
    const hasOutput = edges.some((e) => e.from === n.name);
    if (n.nodeType === 'Source' && !hasOutput) fail(n.name, `Source node "${n.name}" is not connected to anything`);
    if (n.nodeType === 'Destination' && !hasInput) fail(n.name, `Destination node "${n.name}" has no input`);
    if (n.nodeType === 'Graph' && !hasInput) fail(n.name, `Graph node "${n.name}" has no input`);
    else if (n.nodeType === 'Graph' && !reachesDestination.has(n.name)) fail(n.name, `Graph node "${n.name}" has no path to a Destination node`);
  }
}

/** The short form `aio-sr://<name>:<version>` written out with the data flow's namespace (the filter reads only the full form). */
function fullSchemaRef(ref: string | undefined, namespace: string): string | undefined {
  if (!ref) return undefined;
  const id = parseSchemaRef(ref, namespace);
  return 'error' in id ? ref : schemaRefOf(id);
}

const declares = (def: GraphDefinition, op: string, key: string): boolean =>
  (def.moduleConfigurations ?? []).some((mc) => mc.name === op && key in (mc.parameters ?? {}));

function compose(
  resource: DataflowGraphResource, sources: SourceNode[], graphs: GraphNode[], destinations: DestinationNode[],
  edges: Edge[], definitions: ReadonlyMap<string, GraphDefinition>,
): FlattenedDataflow {
  const sourceName = sources.map((s) => s.name).join('+');
  const operations: Operation[] = [{ name: sourceName, operationType: 'source' }];
  const connections: Connection[] = [];
  const moduleConfigurations: ModuleConfiguration[] = [];
  const schemas = new Map<string, SchemaConfiguration>();
  const configuration: Record<string, Record<string, string>> = {};
  const origins: Record<string, OperationOrigin> = {};

  for (const g of graphs) {
    const def = definitions.get(g.name)!;
    const name = (op: string) => compositeOperationName(g.name, op);
    const values = Object.fromEntries((g.graphSettings.configuration ?? []).map((c) => [c.key, c.value]));
    // The incoming connection's schema, as the designer shows it (filter-schema.ts); a configured schemaRef stays.
    const used = filterSchema(resource, g.name, values.schemaRef);
    const schemaRef = fullSchemaRef(used.source === 'connection' ? used.schemaRef : undefined, dataflowSchemaNamespace(resource));
    for (const op of def.operations) {
      // Inner sources and sinks stay as pass-throughs: the node's input and outputs keep a counter of their own.
      const boundary = op.operationType === 'source' || op.operationType === 'sink';
      operations.push(boundary ? { name: name(op.name), operationType: 'concatenate' } : { ...op, name: name(op.name) });
      configuration[name(op.name)] = schemaRef && declares(def, op.name, 'schemaRef') && values.schemaRef === undefined ? { ...values, schemaRef } : values;
      if (op.module) origins[name(op.name)] = { node: g.name, registryEndpoint: g.graphSettings.registryEndpointRef, artifact: g.graphSettings.artifact };
    }
    for (const c of def.connections) connections.push({ from: { ...c.from, name: name(c.from.name) }, to: { name: name(c.to.name) } });
    for (const mc of def.moduleConfigurations ?? []) moduleConfigurations.push({ ...mc, name: name(mc.name) });
    for (const s of def.schemas ?? []) if (!schemas.has(s.name)) schemas.set(s.name, s);
  }
  for (const d of destinations) operations.push({ name: d.name, operationType: 'sink' });

  const kindOf = new Map<string, string>([...sources, ...graphs, ...destinations].map((n) => [n.name, n.nodeType]));
  const innerOf = (node: string, type: 'source' | 'sink') => definitions.get(node)!.operations.filter((o) => o.operationType === type).map((o) => compositeOperationName(node, o.name));
  const producers = (e: Edge): string[] => kindOf.get(e.from) === 'Source' ? [sourceName]
    : e.output !== undefined ? [compositeOperationName(e.from, e.output)] : innerOf(e.from, 'sink');
  const consumers = (node: string): string[] => kindOf.get(node) === 'Destination' ? [node] : innerOf(node, 'source');
  // Decision: a message goes to each node at most once, however many of the Source nodes feeding it match its topic.
  const routed = sourcesFeedDifferentNodes(resource);
  const topicsOf = new Map(sources.map((s) => [s.name, s.sourceSettings.dataSources.map(routeFilter)]));
  const byEnds = new Map<string, Connection>();
  for (const e of edges) {
    for (const from of producers(e)) {
      for (const to of consumers(e.to)) {
        // Several Source nodes feeding one node are one composite connection (with the union of their topics when routed).
        const key = `${from}\u0000${to}`;
        let connection = byEnds.get(key);
        if (!connection) {
          connection = { from: { name: from }, to: { name: to } };
          byEnds.set(key, connection);
          connections.push(connection);
        }
        if (routed && kindOf.get(e.from) === 'Source') connection.topics = [...new Set([...connection.topics ?? [], ...topicsOf.get(e.from)!])];
      }
    }
  }

  const first = definitions.get(graphs[0]?.name ?? '');
  return {
    graph: {
      metadata: { $schema: first?.metadata.$schema ?? 'https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json', name: resource.metadata.name, version: '1.0.0', description: `data flow ${resource.metadata.name}, flattened` },
      moduleRequirements: first?.moduleRequirements ?? { apiVersion: '1.1.0', runtimeVersion: '1.1.0' },
      operations,
      connections,
      ...(moduleConfigurations.length ? { moduleConfigurations } : {}),
      ...(schemas.size ? { schemas: [...schemas.values()] } : {}),
    },
    source: { operation: sourceName, nodes: sources.map((s) => ({ node: s.name, endpointRef: s.sourceSettings.endpointRef, topics: s.sourceSettings.dataSources })) },
    destinations: destinations.map((d) => ({ sink: d.name, endpointRef: d.destinationSettings.endpointRef, topic: d.destinationSettings.dataDestination })),
    configuration,
    origins,
  };
}
