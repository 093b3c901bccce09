/**
 * Everything needed to run a DataflowGraph with several Graph nodes as one
 * composite graph: each node's graph and modules pulled through its own
 * registry endpoint (a private OCI layout per node, pullGraphWithModules),
 * then flattened (graph-model flattenDataflow). The schemas it names
 * (`aio-sr://…` on connections and in `schemaRef` configuration) are found
 * first among the caller's (graph-model resolveDataflowSchemas): the CLI's
 * files, the server's schema store, the engine's ConfigMaps. Used by the
 * server's preview, the engine and the CLI.
 */
import {
  flattenDataflow, isFlattenError, parseArtifactReference, resolveDataflowSchemas, ValidationError,
  type DataflowGraphResource, type Diagnostic, type FlattenedDataflow, type GraphDefinition, type GraphNode, type RegistrySchema,
} from '@wgs/graph-model';
import { EMBEDDED_HOST, graphImageReference, type ContentCache, type OpenedEndpoint } from '@wgs/registry';
import { pullGraphWithModules, type PulledGraph } from './pull-graph.ts';

/** Which step failed for which node: the engine turns it into a reason code. */
export class DataflowPullError extends Error {
  constructor(readonly node: string, readonly stage: 'registry-endpoint' | 'artifact' | 'module', message: string) {
    super(`Graph node "${node}": ${message}`);
    this.name = 'DataflowPullError';
  }
}

/** A schema the data flow names is missing or its reference is malformed; located in the DataflowGraph. */
export class DataflowSchemaError extends ValidationError {
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics);
    this.name = 'DataflowSchemaError';
    this.message = diagnostics.map((d) => `${d.message} (at ${d.path})`).join('; ');
  }
}

export interface PulledDataflow {
  flat: FlattenedDataflow;
  /** The schemas the data flow names (RunnerOptions.schemas). */
  schemas: RegistrySchema[];
  /** Each module operation's module schemas at init: those of the connections into its node (RunnerOptions.operationModuleSchemas). */
  operationModuleSchemas: Record<string, string[]>;
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
  /** The schemas available to this run (the data flow's references are looked up here); none: a data flow naming one fails. */
  schemas?: readonly RegistrySchema[];
  /** Names where `schemas` come from in the error for a missing one (e.g. "the schema store"). */
  schemaSource?: string;
}

export async function pullDataflow(o: PullDataflowOptions): Promise<PulledDataflow> {
  const resolved = resolveDataflowSchemas(o.resource, o.schemas ?? [], o.schemaSource);
  if ('errors' in resolved) throw new DataflowSchemaError(resolved.errors);
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
    const operationModuleSchemas = Object.fromEntries(Object.entries(flat.origins).map(([op, origin]) => [op, resolved.moduleSchemasByNode[origin.node] ?? []]));
    return { flat, schemas: resolved.schemas, operationModuleSchemas, operationRegistryDirs, digests, cleanup };
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
