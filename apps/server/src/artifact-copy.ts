import type { CopiedGraph } from '@wgs/api-contract';
import type { StoredResource } from '@wgs/cluster-store';
import type { GraphDefinition } from '@wgs/graph-model';
import { copyArtifact, pullArtifact, type ContentCache, type OpenedEndpoint } from '@wgs/registry';
import { locate, type GraphNodeRef } from './artifact-locations.ts';

export interface CopyContext {
  from: OpenedEndpoint;
  to: OpenedEndpoint;
  /** Parses a graph definition (off the event loop, through the validation pool). */
  parseGraph(text: string, label: string): Promise<GraphDefinition>;
  cache?: ContentCache;
}

/**
 * Copies one Graph node's artifact and every module it references from its
 * endpoint to another, byte for byte (digests stay), under the same
 * repository paths relative to each endpoint, so the node's `artifact` and
 * the graph's module references resolve unchanged against the new endpoint.
 */
export async function copyGraphNode(node: GraphNodeRef, c: CopyContext): Promise<CopiedGraph> {
  const src = locate(c.from.host, node.artifact, 'graph');
  const dst = locate(c.to.host, node.artifact, 'graph');
  const pulled = await pullArtifact(c.from.store, src.repository, src.reference, { cache: c.cache, expect: 'graph' });
  const graph = await c.parseGraph(new TextDecoder().decode(pulled.content), node.artifact);
  const modules: CopiedGraph['modules'] = [];
  for (const module of [...new Set(graph.operations.flatMap((o) => (o.module ? [o.module] : [])))]) {
    const ms = locate(c.from.host, module, 'module');
    const md = locate(c.to.host, module, 'module');
    const copied = await copyArtifact(c.from.store, ms.repository, ms.reference, c.to.store, md.repository, md.tags, { cache: c.cache });
    modules.push({ module, from: ms.full, to: md.full, digest: copied.digest });
  }
  // The graph last: once it is there, everything it references is too.
  const copied = await copyArtifact(c.from.store, src.repository, src.reference, c.to.store, dst.repository, dst.tags, { cache: c.cache });
  return { node: node.name, graph: { from: src.full, to: dst.full, digest: copied.digest }, modules };
}

/** The draft with the named Graph nodes pointing at another RegistryEndpoint (a copy; the rest untouched). */
export function pointNodesAt(draft: StoredResource, nodes: string[], registryEndpoint: string): StoredResource {
  const spec = draft.spec as { nodes: { name?: string; nodeType?: string; graphSettings?: Record<string, unknown> }[] };
  return {
    ...draft,
    spec: {
      ...draft.spec,
      nodes: spec.nodes.map((n) => (n.nodeType === 'Graph' && n.name && nodes.includes(n.name)
        ? { ...n, graphSettings: { ...n.graphSettings, registryEndpointRef: registryEndpoint } }
        : n)),
    },
  };
}
