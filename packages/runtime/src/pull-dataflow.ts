/**
 * Everything needed to run a DataflowGraph with several Graph nodes as one
 * composite graph: each node's graph and modules pulled through its own
 * registry endpoint (a private OCI layout per node, pullGraphWithModules),
 * then flattened (graph-model flattenDataflow). Used by the server's preview
 * and the engine.
 */
import { flattenDataflow, isFlattenError, parseArtifactReference, ValidationError, type DataflowGraphResource, type FlattenedDataflow, type GraphDefinition, type GraphNode } from '@wgs/graph-model';
import { EMBEDDED_HOST, graphImageReference, type ContentCache, type OpenedEndpoint } from '@wgs/registry';
import { pullGraphWithModules, type PulledGraph } from './pull-graph.ts';

/** Which step failed for which node: the engine turns it into a reason code. */
export class DataflowPullError extends Error {
  constructor(readonly node: string, readonly stage: 'registry-endpoint' | 'artifact' | 'module', message: string) {
    super(`Graph node "${node}": ${message}`);
    this.name = 'DataflowPullError';
  }
}

export interface PulledDataflow {
  flat: FlattenedDataflow;
  /** Each module-running composite operation's layout (its node's), for RunnerOptions.operationRegistryDirs. */
  operationRegistryDirs: Record<string, string>;
  /** Graph artifact digest per Graph node. */
  digests: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface PullDataflowOptions {
  resource: DataflowGraphResource;
  openRegistry(name: string): Promise<OpenedEndpoint>;
  cache?: ContentCache;
  log?(line: string): void;
}

export async function pullDataflow(o: PullDataflowOptions): Promise<PulledDataflow> {
  const nodes = o.resource.spec.nodes.filter((n): n is GraphNode => n.nodeType === 'Graph');
  const pulled = new Map<string, PulledGraph>();
  // Nodes of one artifact on one registry endpoint (two maps, say) share one pull and one layout.
  const byArtifact = new Map<string, PulledGraph>();
  const cleanup = async () => {
    await Promise.all([...byArtifact.values()].map((p) => p.cleanup()));
  };
  try {
    for (const node of nodes) {
      const key = `${node.graphSettings.registryEndpointRef}\u0000${node.graphSettings.artifact}`;
      if (!byArtifact.has(key)) byArtifact.set(key, await pullNode(node, o));
      pulled.set(node.name, byArtifact.get(key)!);
    }
    const definitions = new Map<string, GraphDefinition>([...pulled].map(([name, p]) => [name, p.graph]));
    const flat = flattenDataflow(o.resource, definitions);
    if (isFlattenError(flat)) throw new ValidationError(flat.errors);
    const operationRegistryDirs = Object.fromEntries(Object.entries(flat.origins).map(([op, origin]) => [op, pulled.get(origin.node)!.registryDir]));
    const digests = Object.fromEntries([...pulled].map(([name, p]) => [name, p.digest]));
    return { flat, operationRegistryDirs, digests, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function pullNode(node: GraphNode, o: PullDataflowOptions): Promise<PulledGraph> {
  const { registryEndpointRef, artifact } = node.graphSettings;
  let opened: OpenedEndpoint;
  try {
    opened = await o.openRegistry(registryEndpointRef);
  } catch (e) {
    throw new DataflowPullError(node.name, 'registry-endpoint', `registry endpoint "${registryEndpointRef}": ${(e as Error).message}`);
  }
  let graphPulled = false;
  try {
    const ref = parseArtifactReference(opened.host === EMBEDDED_HOST ? artifact : graphImageReference(opened.host, artifact));
    return await pullGraphWithModules({
      store: opened.store,
      endpointHost: opened.host,
      repository: ref.repository,
      reference: ref.digest ?? ref.tag!,
      label: artifact,
      cache: o.cache,
      log: (line) => {
        if (line.startsWith('graph ')) graphPulled = true;
        o.log?.(`${node.name}: ${line}`);
      },
    });
  } catch (e) {
    const message = (e as Error).message;
    throw graphPulled
      ? new DataflowPullError(node.name, 'module', `a module of ${artifact} does not resolve: ${message}`)
      : new DataflowPullError(node.name, 'artifact', `graph artifact ${artifact} on ${opened.host}: ${message}`);
  }
}
