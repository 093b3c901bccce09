import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CopyArtifactsRequest, CopyArtifactsResult, ERROR_CODES, ResourceName, type CopiedGraph } from '@wgs/api-contract';
import type { ResourceStore, StoredResource } from '@wgs/cluster-store';
import type { GraphDefinition } from '@wgs/graph-model';
import { EMBEDDED_HOST, type ContentCache } from '@wgs/registry';
import { copyGraphNode, pointNodesAt } from '../artifact-copy.ts';
import { findUnpullable, graphNodes } from '../artifact-locations.ts';
import { ApiError, toApiError } from '../plugins/errors.ts';
import { openEndpoint } from '../registries.ts';
import { checkResource } from './resources.ts';

/**
 * POST /api/dataflowgraphs/:name/copy-artifacts: copies the graph artifact
 * and every module of each Graph node that lives in the embedded registry to
 * `registryEndpoint`, then points those nodes at it. With a `draft` the
 * rewritten draft is returned; without, the saved copy is rewritten and saved.
 * A registry that fails answers 502 (or 404 for a missing artifact) with the
 * node and the registry's reason.
 */
export function registerCopyArtifactsRoute(app: FastifyInstance, store: ResourceStore, cache?: ContentCache): void {
  app.post('/api/dataflowgraphs/:name/copy-artifacts', {
    schema: { params: Type.Object({ name: ResourceName }), body: CopyArtifactsRequest, response: { 200: CopyArtifactsResult } },
  }, async (req) => {
    const { name } = req.params as { name: string };
    const { registryEndpoint, draft: sent } = req.body as CopyArtifactsRequest;
    if (sent && sent.metadata.name !== name) throw new ApiError(400, { code: ERROR_CODES.badRequest, message: `draft is named "${sent.metadata.name}", not "${name}"` });
    const draft = (sent as StoredResource | undefined) ?? await store.get('DataflowGraph', name);
    if (!draft) throw new ApiError(404, { code: ERROR_CODES.notFound, message: `DataflowGraph "${name}" not found in ${store.description}` });
    const target = await store.get('RegistryEndpoint', registryEndpoint);
    if (!target) throw new ApiError(404, { code: ERROR_CODES.notFound, message: `registry endpoint "${registryEndpoint}" not found in ${store.description}` });
    if ((target.spec as { host?: string }).host === EMBEDDED_HOST) {
      throw new ApiError(400, { code: ERROR_CODES.badRequest, message: `registry endpoint "${registryEndpoint}" is the embedded registry: choose one a cluster can pull from` });
    }
    const diagnostics = await checkResource(app.validation, store, draft, 'DataflowGraph', cache);
    if (diagnostics.some((d) => d.severity === 'error')) {
      throw new ApiError(422, { code: ERROR_CODES.invalid, message: 'the draft is not valid', where: diagnostics.map(({ segments: _s, ...d }) => d) });
    }
    const unpullable = new Set((await findUnpullable(store, draft)).map((u) => u.node));
    const to = await openEndpoint(store, registryEndpoint);
    const parseGraph = async (text: string, label: string): Promise<GraphDefinition> => {
      const { graph, diagnostics: problems } = await app.validation.graphDefinition(text);
      if (!graph) throw new ApiError(422, { code: ERROR_CODES.invalid, message: `graph definition ${label} is not valid: ${problems.find((d) => d.severity === 'error')?.message ?? 'unknown error'}` });
      return graph;
    };
    const copied: CopiedGraph[] = [];
    for (const node of graphNodes(draft).filter((n) => unpullable.has(n.name))) {
      try {
        const from = await openEndpoint(store, node.registryEndpointRef);
        copied.push(await copyGraphNode(node, { from, to, parseGraph, cache }));
      } catch (e) {
        const api = toApiError(e);
        throw new ApiError(api.status, { ...api.body, message: `copying ${node.artifact} (node ${node.name}) to registry endpoint "${registryEndpoint}" (${to.host}) failed: ${api.body.message}` });
      }
    }
    const rewritten = pointNodesAt(draft, copied.map((c) => c.node), registryEndpoint);
    if (sent || !copied.length) return { draft: rewritten, copied, saved: false };
    const saved = await store.replace({ ...rewritten, metadata: { ...rewritten.metadata, resourceVersion: draft.metadata.resourceVersion } });
    return { draft: saved, copied, saved: true };
  });
}
