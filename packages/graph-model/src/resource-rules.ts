import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { TopicFilterIndex } from './topic-filters.ts';
import type { DataflowEndpointResource, DataflowGraphResource, RegistryEndpointResource } from './resources.ts';

/** What else the cluster holds, for reference checks. Omit to skip them. */
export interface ResourceContext {
  endpoints?: DataflowEndpointResource[];
  registryEndpoints?: RegistryEndpointResource[];
}

export { topicMatches } from './topic-filters.ts';

const GRAPH_ENDPOINT_TYPES = ['Mqtt', 'Kafka', 'OpenTelemetry'];
const DESTINATION_ONLY = ['OpenTelemetry'];

/** Structural rules the reference CLI enforces before `dataflowgraph apply` (reference §4.2). */
export function checkDataflowGraphRules(g: DataflowGraphResource, ctx: ResourceContext = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const spec = g.spec;
  const types = new Map<string, string>();
  spec.nodes.forEach((n, i) => {
    if (types.has(n.name)) out.push(diagnostic(['spec', 'nodes', i, 'name'], `duplicate node name "${n.name}"`, 'unique-names'));
    types.set(n.name, n.nodeType);
    if (n.nodeType === 'Graph') {
      const a = n.graphSettings.artifact;
      if (!a.includes(':') || a.startsWith(':') || a.endsWith(':')) {
        out.push(diagnostic(['spec', 'nodes', i, 'graphSettings', 'artifact'], `artifact "${a}" must be <name>:<version>`, 'artifact'));
      }
      const keys = new Set<string>();
      (n.graphSettings.configuration ?? []).forEach((c, j) => {
        if (keys.has(c.key)) out.push(diagnostic(['spec', 'nodes', i, 'graphSettings', 'configuration', j, 'key'], `duplicate configuration key "${c.key}"`, 'configuration'));
        keys.add(c.key);
      });
    }
  });
  for (const t of ['Source', 'Destination']) {
    if (![...types.values()].includes(t)) out.push(diagnostic(['spec', 'nodes'], `a data flow graph needs at least one ${t} node`, 'node-types'));
  }

  const baseName = (name: string) => {
    if (types.has(name)) return name;
    const dot = name.indexOf('.');
    return dot > 0 ? name.slice(0, dot) : name;
  };
  const next = new Map<string, string[]>();
  spec.nodeConnections.forEach((c, i) => {
    const from = baseName(c.from.name);
    const to = c.to.name;
    const ft = types.get(from);
    const tt = types.get(to);
    if (!ft) out.push(diagnostic(['spec', 'nodeConnections', i, 'from', 'name'], `unknown node "${c.from.name}"`, 'references'));
    if (!tt) out.push(diagnostic(['spec', 'nodeConnections', i, 'to', 'name'], `unknown node "${to}"`, 'references'));
    if (from === to) out.push(diagnostic(['spec', 'nodeConnections', i], `node "${to}" is connected to itself`, 'acyclic'));
    if (ft === 'Destination') out.push(diagnostic(['spec', 'nodeConnections', i, 'from', 'name'], `destination "${from}" cannot be a connection's source`, 'direction'));
    if (tt === 'Source') out.push(diagnostic(['spec', 'nodeConnections', i, 'to', 'name'], `source "${to}" cannot be a connection's target`, 'direction'));
    if (from !== c.from.name && ft !== 'Graph') {
      out.push(diagnostic(['spec', 'nodeConnections', i, 'from', 'name'], `only graph nodes have named outputs ("${c.from.name}")`, 'references'));
    }
    const targets = next.get(from);
    if (targets) targets.push(to);
    else next.set(from, [to]);
  });
  if (hasCycle(next)) out.push(diagnostic(['spec', 'nodeConnections'], 'node connections form a cycle', 'acyclic'));

  if (ctx.endpoints) checkEndpoints(g, ctx.endpoints, out);
  if (ctx.registryEndpoints) {
    const registries = new Map(ctx.registryEndpoints.map((r) => [r.metadata.name, r]));
    spec.nodes.forEach((n, i) => {
      if (n.nodeType !== 'Graph') return;
      const reg = registries.get(n.graphSettings.registryEndpointRef);
      // `default` always resolves: to the RegistryEndpoint of that name, else to the embedded registry (as AIO's own `default`).
      if (!reg && n.graphSettings.registryEndpointRef === 'default') return;
      if (!reg) out.push(diagnostic(['spec', 'nodes', i, 'graphSettings', 'registryEndpointRef'], `registry endpoint "${n.graphSettings.registryEndpointRef}" not found`, 'references'));
      else if (!reg.spec.host?.trim()) out.push(diagnostic(['spec', 'nodes', i, 'graphSettings', 'registryEndpointRef'], `registry endpoint "${reg.metadata.name}" has no host`, 'references'));
    });
  }
  return out;
}

/** Overlaps reported per destination; the rest are counted in one more diagnostic. */
const MAX_LOOPS_PER_DESTINATION = 10;

function checkEndpoints(g: DataflowGraphResource, endpoints: DataflowEndpointResource[], out: Diagnostic[]): void {
  const byName = new Map(endpoints.map((e) => [e.metadata.name, e]));
  // Source topics per endpoint, indexed: the loop check costs destinations × topic depth, not × topics.
  const sourceTopics = new Map<string, TopicFilterIndex<string>>();
  g.spec.nodes.forEach((n, i) => {
    if (n.nodeType === 'Graph') return;
    const settingsKey = n.nodeType === 'Source' ? 'sourceSettings' : 'destinationSettings';
    const ref = n.nodeType === 'Source' ? n.sourceSettings.endpointRef : n.destinationSettings.endpointRef;
    const path = ['spec', 'nodes', i, settingsKey, 'endpointRef'];
    const ep = byName.get(ref);
    if (!ep) {
      out.push(diagnostic(path, `endpoint "${ref}" not found`, 'references'));
      return;
    }
    const type = ep.spec.endpointType;
    if (!GRAPH_ENDPOINT_TYPES.includes(type)) out.push(diagnostic(path, `endpoint "${ref}" is ${type}; graphs support Mqtt, Kafka and OpenTelemetry`, 'endpoint-type'));
    if (n.nodeType === 'Source') {
      if (DESTINATION_ONLY.includes(type) || ep.spec.hostType === 'FabricRT') out.push(diagnostic(path, `endpoint "${ref}" (${type}) can only be a destination`, 'endpoint-type'));
      if (type === 'Kafka' && !ep.spec.kafkaSettings?.consumerGroupId) out.push(diagnostic(path, `Kafka source endpoint "${ref}" needs kafkaSettings.consumerGroupId`, 'kafka-consumer-group'));
      let index = sourceTopics.get(ref);
      if (!index) sourceTopics.set(ref, (index = new TopicFilterIndex()));
      for (const topic of n.sourceSettings.dataSources) index.add(topic, topic);
    }
  });
  g.spec.nodes.forEach((n, i) => {
    if (n.nodeType !== 'Destination') return;
    const dest = n.destinationSettings;
    const index = sourceTopics.get(dest.endpointRef);
    if (!index) return;
    const at = ['spec', 'nodes', i, 'destinationSettings', 'dataDestination'];
    const { values, total } = index.match(dest.dataDestination, MAX_LOOPS_PER_DESTINATION);
    for (const topic of values) {
      out.push(diagnostic(at, `destination topic "${dest.dataDestination}" overlaps source topic "${topic}" on endpoint "${dest.endpointRef}" (messages would loop)`, 'topic-loop'));
    }
    if (total > values.length) {
      out.push(diagnostic(at, `destination topic "${dest.dataDestination}" overlaps ${total - values.length} more source topics on endpoint "${dest.endpointRef}"`, 'topic-loop'));
    }
  });
}

function hasCycle(next: Map<string, string[]>): boolean {
  const state = new Map<string, number>();
  const visit = (n: string): boolean => {
    state.set(n, 1);
    for (const m of next.get(n) ?? []) {
      if (state.get(m) === 1) return true;
      if (!state.has(m) && visit(m)) return true;
    }
    state.set(n, 2);
    return false;
  };
  return [...next.keys()].some((n) => !state.has(n) && visit(n));
}

export function checkRegistryEndpointRules(r: RegistryEndpointResource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const m = r.spec.authentication.method;
  if (m === 'SystemAssignedManagedIdentity' || m === 'UserAssignedManagedIdentity') {
    out.push(diagnostic(['spec', 'authentication', 'method'], `${m} only works inside Azure; this tool cannot use it to pull`, 'auth-method', 'warning'));
  }
  return out;
}
