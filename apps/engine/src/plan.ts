/**
 * What the engine runs for one DataflowGraph: its sources (broker URL, topics,
 * consumer group), its graph transforms (registry endpoint, artifact,
 * configuration) and its destinations, read from the resource and the
 * endpoints it names. Sources -> one transform -> one destination runs that
 * graph as it is; any other shape (chains, branches, fan-in, several
 * destinations) runs flattened into one composite graph (graph-model
 * flattenDataflow, after the pull). Pure: the engine hands it what the
 * informers hold. A graph it cannot run gets a failure with a reason code.
 */
import { dataflowSchemaUses, endpointBrokerUrl, resolveDataflowSchemas, type DataflowGraphResource, type DestinationNode, type GraphNode, type RegistrySchema, type SourceNode } from '@wgs/graph-model';

export interface PlannedSource {
  node: string;
  endpoint: string;
  url: string;
  topics: string[];
  /** Kafka: the endpoint's consumer group (one group per graph). */
  groupId?: string;
}

export interface PlannedTransform {
  node: string;
  registryEndpoint: string;
  artifact: string;
  configuration: Record<string, string>;
}

export interface PlannedDestination {
  node: string;
  endpoint: string;
  url: string;
  topic: string;
}

export interface GraphPlan {
  sources: PlannedSource[];
  transforms: PlannedTransform[];
  destinations: PlannedDestination[];
  /** Set when the data flow runs flattened (its operations named `<node>/<op>`, a sink per destination named after it). */
  flattened?: DataflowGraphResource;
  /** The message schemas the data flow names (connections, `schemaRef` configuration), found among the schema ConfigMaps. */
  schemas: RegistrySchema[];
  /** Everything the plan was made from: when it changes, the graph restarts. */
  fingerprint: string;
}

/** The artifacts a plan runs, for logs and status messages. */
export const planArtifacts = (p: GraphPlan): string => p.transforms.map((t) => (p.flattened ? `${t.node}=${t.artifact}` : t.artifact)).join(', ') || 'no transform';

export type ReasonCode =
  | 'Disabled'
  | 'UnsupportedGraph'
  | 'EndpointNotFound'
  | 'UnsupportedEndpoint'
  | 'RegistryEndpointNotFound'
  | 'ArtifactNotFound'
  | 'ModuleNotResolvable'
  | 'InitFailed'
  /** A message schema the data flow names is not among the schema ConfigMaps (or its reference is malformed). */
  | 'SchemaNotFound'
  | 'EndpointUnreachable'
  | 'OperatorFaults'
  | 'Running'
  | 'Starting'
  /** A stateful graph on a replica that does not hold its lease. */
  | 'Standby';

export interface PlanFailure {
  reasonCode: ReasonCode;
  message: string;
}

/** The objects a plan reads, by name (the graph's namespace). */
export interface PlanInputs {
  dataflowEndpoint(name: string): { spec: unknown } | undefined;
  registryEndpoint(name: string): { metadata: { resourceVersion?: string }; spec: unknown } | undefined;
  /** The schemas the namespace's schema ConfigMaps hold. */
  schemas?: readonly RegistrySchema[];
  /** Says where `schemas` come from, in the message for a missing one. */
  schemaSource?: string;
}

export function planGraph(g: DataflowGraphResource, inputs: PlanInputs): GraphPlan | PlanFailure {
  if (g.spec.mode?.toLowerCase() === 'disabled') return { reasonCode: 'Disabled', message: 'mode is Disabled' };
  const nodes = g.spec.nodes ?? [];
  const sources = nodes.filter((n): n is SourceNode => n.nodeType === 'Source');
  const transforms = nodes.filter((n): n is GraphNode => n.nodeType === 'Graph');
  const destinations = nodes.filter((n): n is DestinationNode => n.nodeType === 'Destination');
  if (!sources.length || !destinations.length) {
    return { reasonCode: 'UnsupportedGraph', message: `a data flow needs a source and a destination; this graph has ${sources.length} source(s), ${destinations.length} destination(s)` };
  }
  const connected = (from: string, to: string) => (g.spec.nodeConnections ?? []).some((c) => c.from.name === from && c.to.name === to);
  // Today's shape runs unchanged (operation names as in the artifact); every other one, and any naming schemas
  // (flattening gives a filter its connection's schemaRef and the runner each node's module schemas), is flattened after the pull.
  const single = !dataflowSchemaUses(g).length && transforms.length === 1 && destinations.length === 1
    && sources.every((s) => connected(s.name, transforms[0]!.name)) && connected(transforms[0]!.name, destinations[0]!.name);

  const endpoints: Record<string, unknown> = {};
  const urlOf = (name: string): { url: string; spec: unknown } | PlanFailure => {
    const ep = inputs.dataflowEndpoint(name);
    if (!ep) return { reasonCode: 'EndpointNotFound', message: `data flow endpoint "${name}" not found` };
    endpoints[name] = ep.spec;
    const read = endpointBrokerUrl(name, ep.spec as Parameters<typeof endpointBrokerUrl>[1]);
    return 'error' in read ? { reasonCode: read.code === 'unsupported-endpoint' ? 'UnsupportedEndpoint' : 'EndpointNotFound', message: read.error } : { url: read.url, spec: ep.spec };
  };
  const planned: PlannedSource[] = [];
  for (const s of sources) {
    const ep = urlOf(s.sourceSettings.endpointRef);
    if ('reasonCode' in ep) return ep;
    const groupId = (ep.spec as { kafkaSettings?: { consumerGroupId?: string } }).kafkaSettings?.consumerGroupId;
    planned.push({ node: s.name, endpoint: s.sourceSettings.endpointRef, url: ep.url, topics: s.sourceSettings.dataSources, ...(groupId ? { groupId } : {}) });
  }
  const plannedDestinations: PlannedDestination[] = [];
  for (const d of destinations) {
    const dest = urlOf(d.destinationSettings.endpointRef);
    if ('reasonCode' in dest) return dest;
    plannedDestinations.push({ node: d.name, endpoint: d.destinationSettings.endpointRef, url: dest.url, topic: d.destinationSettings.dataDestination });
  }
  const registries: Record<string, unknown> = {};
  for (const t of transforms) {
    const registry = inputs.registryEndpoint(t.graphSettings.registryEndpointRef);
    if (!registry) return { reasonCode: 'RegistryEndpointNotFound', message: `registry endpoint "${t.graphSettings.registryEndpointRef}" not found` };
    registries[t.graphSettings.registryEndpointRef] = registry.spec;
  }
  // After the endpoints: a schema is the last thing a deployer adds (and the one the engine retries on).
  const schemas = resolveDataflowSchemas(g, inputs.schemas ?? [], inputs.schemaSource);
  if ('errors' in schemas) return { reasonCode: 'SchemaNotFound', message: schemas.errors.map((e) => `${e.message} (at ${e.path})`).join('; ') };
  const plan = {
    sources: planned,
    transforms: transforms.map((t) => ({
      node: t.name,
      registryEndpoint: t.graphSettings.registryEndpointRef,
      artifact: t.graphSettings.artifact,
      configuration: Object.fromEntries((t.graphSettings.configuration ?? []).map((c) => [c.key, c.value])),
    })),
    destinations: plannedDestinations,
    schemas: schemas.schemas,
    ...(single ? {} : { flattened: { ...g, spec: { ...g.spec, nodeConnections: g.spec.nodeConnections ?? [] } } }),
  };
  // A changed schema restarts the graph (its operators compiled the old one at init).
  return { ...plan, fingerprint: JSON.stringify([plan.sources, plan.transforms, plan.destinations, g.spec.nodeConnections ?? [], endpoints, single ? Object.values(registries)[0] : registries, plan.schemas]) };
}

export const isFailure = (p: GraphPlan | PlanFailure): p is PlanFailure => 'reasonCode' in p;
