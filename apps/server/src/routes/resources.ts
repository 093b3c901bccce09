import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { ERROR_CODES, RESOURCE_PLURALS, Resource, ResourceList, ResourceName, ValidationResult, GraphDefinitionRequest, type ResourcePlural } from '@wgs/api-contract';
import { exportBundle, type Kind, type ResourceStore, type StoredResource } from '@wgs/cluster-store';
import { type DataflowEndpointResource, type DataflowGraphResource, type Diagnostic, type RegistryEndpointResource } from '@wgs/graph-model';
import { ContentCache } from '@wgs/registry';
import { checkGraphArtifacts } from '../graph-checks.ts';
import { ApiError } from '../plugins/errors.ts';
import type { ValidationPool } from '../validation/pool.ts';

const Plural = Type.Object({ plural: Type.Union(Object.keys(RESOURCE_PLURALS).map((p) => Type.Literal(p))) });
const Named = Type.Object({ plural: Plural.properties.plural, name: ResourceName });

const publicDiagnostic = ({ segments: _s, ...d }: Diagnostic) => d;

/** Validates a resource with the reference CLI's rules (in the validation pool), against the endpoints the store holds. */
/**
 * Structural rules, then the registry checks of a DataflowGraph. `profiles`:
 * where DataflowProfiles are read (the cluster a deploy goes to), else the
 * store itself when it keeps them.
 */
export async function checkResource(validation: ValidationPool, store: ResourceStore, body: unknown, kind: Kind, cache?: ContentCache, profiles: ResourceStore = store): Promise<Diagnostic[]> {
  if ((body as { kind?: unknown })?.kind !== kind) {
    return [{ path: 'kind', message: `expected kind ${kind}`, rule: 'schema', severity: 'error' }];
  }
  const [endpoints, registryEndpoints] = kind === 'DataflowGraph'
    ? await Promise.all([store.list('DataflowEndpoint'), store.list('RegistryEndpoint')])
    : [undefined, undefined];
  const structural = await validation.resource(body, {
    endpoints: endpoints as unknown as DataflowEndpointResource[] | undefined,
    registryEndpoints: registryEndpoints as unknown as RegistryEndpointResource[] | undefined,
  });
  if (kind !== 'DataflowGraph' || structural.some((d) => d.severity === 'error')) return structural;
  const graph = body as DataflowGraphResource;
  const instances = await profiles.profileInstanceCount?.(graph.spec.profileRef ?? 'default').catch(() => undefined);
  return [...structural, ...(await checkGraphArtifacts(validation, store, graph, cache, instances))];
}

function invalid(diagnostics: Diagnostic[]): ApiError {
  return new ApiError(422, { code: ERROR_CODES.invalid, message: `the resource is not valid: ${diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`).join('; ')}`, where: diagnostics.map(publicDiagnostic) });
}

/** CRUD for DataflowGraphs, DataflowEndpoints and RegistryEndpoints, with validation on every write. */
export function registerResourceRoutes(app: FastifyInstance, store: ResourceStore, cache = new ContentCache()): void {
  const kindOf = (plural: string) => RESOURCE_PLURALS[plural as ResourcePlural] as Kind;

  app.get('/api/:plural', { schema: { params: Plural, response: { 200: ResourceList } } }, async (req) => {
    const { plural } = req.params as { plural: string };
    return { items: await store.list(kindOf(plural)), store: store.description };
  });

  app.get('/api/:plural/:name', { schema: { params: Named, response: { 200: Resource } } }, async (req) => {
    const { plural, name } = req.params as { plural: string; name: string };
    const r = await store.get(kindOf(plural), name);
    if (!r) throw new ApiError(404, { code: ERROR_CODES.notFound, message: `${kindOf(plural)} "${name}" not found in ${store.description}` });
    return r;
  });

  app.post('/api/:plural', { schema: { params: Plural, body: Resource, response: { 201: Resource } } }, async (req, reply) => {
    const kind = kindOf((req.params as { plural: string }).plural);
    const diagnostics = await checkResource(app.validation, store, req.body, kind, cache);
    if (diagnostics.some((d) => d.severity === 'error')) throw invalid(diagnostics);
    const created = await store.create(req.body as StoredResource);
    return reply.status(201).send(created);
  });

  app.put('/api/:plural/:name', { schema: { params: Named, body: Resource, response: { 200: Resource } } }, async (req) => {
    const { plural, name } = req.params as { plural: string; name: string };
    const body = req.body as StoredResource;
    if (body.metadata.name !== name) throw new ApiError(400, { code: ERROR_CODES.badRequest, message: `metadata.name "${body.metadata.name}" does not match the URL ("${name}")` });
    const diagnostics = await checkResource(app.validation, store, body, kindOf(plural), cache);
    if (diagnostics.some((d) => d.severity === 'error')) throw invalid(diagnostics);
    return store.replace(body);
  });

  app.delete('/api/:plural/:name', { schema: { params: Named } }, async (req, reply) => {
    const { plural, name } = req.params as { plural: string; name: string };
    await store.delete(kindOf(plural), name);
    return reply.status(204).send();
  });

  app.post('/api/:plural/validate', { schema: { params: Plural, body: Type.Unknown(), response: { 200: ValidationResult } } }, async (req) => {
    const diagnostics = await checkResource(app.validation, store, req.body, kindOf((req.params as { plural: string }).plural), cache);
    return { valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics: diagnostics.map(publicDiagnostic) };
  });

  app.post('/api/graph-definitions/validate', { schema: { body: GraphDefinitionRequest, response: { 200: ValidationResult } } }, async (req) => {
    const { diagnostics } = await app.validation.graphDefinition((req.body as { yaml: string }).yaml);
    return { valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics: diagnostics.map(publicDiagnostic) };
  });

  app.get('/api/export', async (_req, reply) => {
    return reply.type('application/yaml').send(await exportBundle(store));
  });
}

export { stringify };
