/**
 * What the engine runs for one DataflowGraph: its sources (broker URL, topics,
 * consumer group), its graph transform (registry endpoint, artifact,
 * configuration) and its destination, read from the resource and the
 * endpoints it names. Pure: the engine hands it what the informers hold. A
 * graph it cannot run gets a failure with a reason code for its status.
 */
import { endpointBrokerUrl, type DataflowGraphResource } from '@wgs/graph-model';

export interface PlannedSource {
  node: string;
  endpoint: string;
  url: string;
  topics: string[];
  /** Kafka: the endpoint's consumer group (one group per graph). */
  groupId?: string;
}

export interface GraphPlan {
  sources: PlannedSource[];
  transform: { node: string; registryEndpoint: string; artifact: string; configuration: Record<string, string> };
  destination: { node: string; endpoint: string; url: string; topic: string };
  /** Everything the plan was made from: when it changes, the graph restarts. */
  fingerprint: string;
}

export type ReasonCode =
  | 'Disabled'
  | 'UnsupportedGraph'
  | 'EndpointNotFound'
  | 'UnsupportedEndpoint'
  | 'RegistryEndpointNotFound'
  | 'ArtifactNotFound'
  | 'ModuleNotResolvable'
  | 'InitFailed'
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
}

export function planGraph(g: DataflowGraphResource, inputs: PlanInputs): GraphPlan | PlanFailure {
  if (g.spec.mode?.toLowerCase() === 'disabled') return { reasonCode: 'Disabled', message: 'mode is Disabled' };
  const nodes = g.spec.nodes ?? [];
  const sources = nodes.filter((n) => n.nodeType === 'Source');
  const transforms = nodes.filter((n) => n.nodeType === 'Graph');
  const destinations = nodes.filter((n) => n.nodeType === 'Destination');
  if (!sources.length || transforms.length !== 1 || destinations.length !== 1) {
    return { reasonCode: 'UnsupportedGraph', message: `the engine runs sources → one graph transform → one destination; this graph has ${sources.length} source(s), ${transforms.length} transform(s), ${destinations.length} destination(s)` };
  }
  const [transform] = transforms as Extract<(typeof nodes)[number], { nodeType: 'Graph' }>[];
  const [destination] = destinations as Extract<(typeof nodes)[number], { nodeType: 'Destination' }>[];
  const connected = (from: string, to: string) => (g.spec.nodeConnections ?? []).some((c) => c.from.name === from && c.to.name === to);
  for (const s of sources) {
    if (!connected(s.name, transform!.name)) return { reasonCode: 'UnsupportedGraph', message: `source "${s.name}" is not connected to the graph transform "${transform!.name}"` };
  }
  if (!connected(transform!.name, destination!.name)) return { reasonCode: 'UnsupportedGraph', message: `the graph transform "${transform!.name}" is not connected to the destination "${destination!.name}"` };

  const endpoints: Record<string, unknown> = {};
  const urlOf = (name: string): { url: string; spec: unknown } | PlanFailure => {
    const ep = inputs.dataflowEndpoint(name);
    if (!ep) return { reasonCode: 'EndpointNotFound', message: `data flow endpoint "${name}" not found` };
    endpoints[name] = ep.spec;
    const read = endpointBrokerUrl(name, ep.spec as Parameters<typeof endpointBrokerUrl>[1]);
    return 'error' in read ? { reasonCode: read.code === 'unsupported-endpoint' ? 'UnsupportedEndpoint' : 'EndpointNotFound', message: read.error } : { url: read.url, spec: ep.spec };
  };
  const planned: PlannedSource[] = [];
  for (const s of sources as Extract<(typeof nodes)[number], { nodeType: 'Source' }>[]) {
    const ep = urlOf(s.sourceSettings.endpointRef);
    if ('reasonCode' in ep) return ep;
    const groupId = (ep.spec as { kafkaSettings?: { consumerGroupId?: string } }).kafkaSettings?.consumerGroupId;
    planned.push({ node: s.name, endpoint: s.sourceSettings.endpointRef, url: ep.url, topics: s.sourceSettings.dataSources, ...(groupId ? { groupId } : {}) });
  }
  const dest = urlOf(destination!.destinationSettings.endpointRef);
  if ('reasonCode' in dest) return dest;
  const registry = inputs.registryEndpoint(transform!.graphSettings.registryEndpointRef);
  if (!registry) return { reasonCode: 'RegistryEndpointNotFound', message: `registry endpoint "${transform!.graphSettings.registryEndpointRef}" not found` };
  const configuration = Object.fromEntries((transform!.graphSettings.configuration ?? []).map((c) => [c.key, c.value]));
  const plan = {
    sources: planned,
    transform: { node: transform!.name, registryEndpoint: transform!.graphSettings.registryEndpointRef, artifact: transform!.graphSettings.artifact, configuration },
    destination: { node: destination!.name, endpoint: destination!.destinationSettings.endpointRef, url: dest.url, topic: destination!.destinationSettings.dataDestination },
  };
  return { ...plan, fingerprint: JSON.stringify([plan, endpoints, registry.spec]) };
}

export const isFailure = (p: GraphPlan | PlanFailure): p is PlanFailure => 'reasonCode' in p;
