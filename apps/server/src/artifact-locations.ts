import type { UnpullableArtifact } from '@wgs/api-contract';
import type { ResourceStore, StoredResource } from '@wgs/cluster-store';
import { parseArtifactReference } from '@wgs/graph-model';
import { EMBEDDED_HOST, graphImageReference, moduleImageReference, resolveRegistryEndpoint } from '@wgs/registry';

export interface GraphNodeRef {
  name: string;
  registryEndpointRef: string;
  artifact: string;
}

/** The Graph nodes of a DataflowGraph draft (registry endpoint and artifact). */
export function graphNodes(draft: StoredResource): GraphNodeRef[] {
  const nodes = (draft.spec as { nodes?: { nodeType?: string; name?: string; graphSettings?: { registryEndpointRef?: string; artifact?: string } }[] }).nodes ?? [];
  return nodes.flatMap((n) => n.nodeType === 'Graph' && n.name && n.graphSettings?.registryEndpointRef && n.graphSettings.artifact
    ? [{ name: n.name, registryEndpointRef: n.graphSettings.registryEndpointRef, artifact: n.graphSettings.artifact }]
    : []);
}

const hostOf = (endpoint: { spec: unknown } | undefined) => (endpoint?.spec as { host?: string } | undefined)?.host;

/**
 * Graph nodes whose artifact (and so its modules, which resolve against the
 * same endpoint) lives in the embedded registry: served by the designer's
 * own process, so no cluster can pull it.
 */
export async function findUnpullable(store: ResourceStore, draft: StoredResource): Promise<UnpullableArtifact[]> {
  const out: UnpullableArtifact[] = [];
  for (const node of graphNodes(draft)) {
    if (hostOf(resolveRegistryEndpoint(node.registryEndpointRef, await store.get('RegistryEndpoint', node.registryEndpointRef))) !== EMBEDDED_HOST) continue;
    out.push({
      node: node.name,
      registryEndpoint: node.registryEndpointRef,
      artifact: node.artifact,
      reason: `registry endpoint "${node.registryEndpointRef}" is the designer's embedded registry (${EMBEDDED_HOST}), which a cluster cannot pull from; copy the graph and its modules to a registry the cluster reaches`,
    });
  }
  return out;
}

/** RegistryEndpoints artifacts can be copied to: every one that is not the embedded registry. */
export async function copyTargets(store: ResourceStore): Promise<string[]> {
  return (await store.list('RegistryEndpoint')).filter((r) => hostOf(r) !== EMBEDDED_HOST).map((r) => r.metadata.name).sort();
}

export interface Located {
  /** The full reference (bare for the embedded registry). */
  full: string;
  repository: string;
  /** What to copy: the digest when the reference pins one, else the tag. */
  reference: string;
  /** Tags to give the copy. */
  tags: string[];
}

/** Where a graph artifact or a module reference points on a RegistryEndpoint host (as graph-checks and the engine resolve it). */
export function locate(host: string, reference: string, kind: 'graph' | 'module'): Located {
  const full = host === EMBEDDED_HOST ? reference : kind === 'graph' ? graphImageReference(host, reference) : moduleImageReference(host, reference);
  const r = parseArtifactReference(full);
  return { full, repository: r.repository, reference: r.digest ?? r.tag!, tags: r.tag ? [r.tag] : [] };
}
