import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DeployPlan, DeployRequest, ERROR_CODES, ResourceName } from '@wgs/api-contract';
import { ConflictError, type ResourceStore, type StoredResource } from '@wgs/cluster-store';
import { diffResources, resolveDataflowSchemas, type DataflowGraphResource, type Diagnostic } from '@wgs/graph-model';
import { ApiError } from '../plugins/errors.ts';
import { copyTargets, findUnpullable } from '../artifact-locations.ts';
import { liveStatusOf } from '../live-status.ts';
import { checkResource } from './resources.ts';

/**
 * POST /api/dataflowgraphs/:name/deploy: plans (semantic diff of the saved
 * draft against the cluster) and, with `apply`, applies — only if the cluster
 * still holds the version the plan was made against (else 409 with it).
 */
export function registerDeployRoutes(app: FastifyInstance, store: ResourceStore, cluster: ResourceStore | undefined): void {
  app.post('/api/dataflowgraphs/:name/deploy', {
    schema: { params: Type.Object({ name: ResourceName }), body: DeployRequest, response: { 200: DeployPlan } },
  }, async (req) => {
    const { name } = req.params as { name: string };
    const { apply, expectedClusterResourceVersion, draft: sent } = req.body as DeployRequest;
    if (!cluster) throw new ApiError(503, { code: ERROR_CODES.unavailable, message: 'no cluster is configured (set WGS_KUBECONFIG); graphs are kept in the embedded store' });
    if (sent && sent.metadata.name !== name) throw new ApiError(400, { code: ERROR_CODES.badRequest, message: `draft is named "${sent.metadata.name}", not "${name}"` });
    const draft = (sent as StoredResource | undefined) ?? await store.get('DataflowGraph', name);
    if (!draft) throw new ApiError(404, { code: ERROR_CODES.notFound, message: `DataflowGraph "${name}" not found in ${store.description}` });
    const diagnostics = await checkResource(app.validation, store, draft, 'DataflowGraph', undefined, cluster);
    if (diagnostics.some((d) => d.severity === 'error')) {
      throw new ApiError(422, { code: ERROR_CODES.invalid, message: 'the draft is not valid', where: diagnostics.map(({ segments: _s, ...d }) => d) });
    }
    const current = await cluster.get('DataflowGraph', name);
    const changes = diffResources(current, draft);
    const unpullable = await findUnpullable(store, draft);
    const warnings = [...diagnostics.filter((d) => d.severity === 'warning'), ...(await missingSchemas(cluster, draft))].map(({ segments: _s, ...d }) => d);
    const plan = {
      name, target: cluster.description, changes, clusterResourceVersion: current?.metadata.resourceVersion, applied: false,
      ...(unpullable.length ? { unpullable, copyTargets: await copyTargets(store) } : {}),
      ...(warnings.length ? { warnings } : {}),
    };
    if (!apply) return plan;
    if (expectedClusterResourceVersion !== current?.metadata.resourceVersion) {
      throw new ConflictError(`the cluster's DataflowGraph "${name}" changed since the plan (now ${current?.metadata.resourceVersion ?? 'absent'})`, current);
    }
    if (!changes.length) return { ...plan, resource: current };
    const body: StoredResource = { apiVersion: draft.apiVersion, kind: 'DataflowGraph', metadata: { name, annotations: draft.metadata.annotations, labels: draft.metadata.labels }, spec: draft.spec };
    const resource = current
      ? await cluster.replace({ ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } })
      : await cluster.create(body);
    return { ...plan, applied: true, resource };
  });
}

/**
 * Schemas the draft names that the cluster does not hold: warnings, not errors
 * (the engine starts the graph once they are applied; it says SchemaNotFound meanwhile).
 */
async function missingSchemas(cluster: ResourceStore, draft: StoredResource): Promise<Diagnostic[]> {
  if (!cluster.schemas) return [];
  const found = resolveDataflowSchemas(draft as unknown as DataflowGraphResource, (await cluster.schemas.list()).schemas, cluster.schemas.description);
  return 'errors' in found ? found.errors.map((d) => ({ ...d, severity: 'warning' as const, message: `${d.message}: the engine will not start the graph until it is there` })) : [];
}

/** GET /api/dataflowgraphs/:name/deployment: what the cluster holds for the graph, with its status. */
export function registerDeploymentStatusRoute(app: FastifyInstance, cluster: ResourceStore | undefined): void {
  app.get('/api/dataflowgraphs/:name/deployment', { schema: { params: Type.Object({ name: ResourceName }) } }, async (req) => {
    const { name } = req.params as { name: string };
    if (!cluster) throw new ApiError(503, { code: ERROR_CODES.unavailable, message: 'no cluster is configured (set WGS_KUBECONFIG)' });
    const current = await cluster.get('DataflowGraph', name);
    return {
      deployed: !!current,
      target: cluster.description,
      resourceVersion: current?.metadata.resourceVersion,
      generation: current?.metadata.generation,
      status: current?.status ?? null,
      ...(current ? { resource: current, live: liveStatusOf(current) } : {}),
    };
  });
}
