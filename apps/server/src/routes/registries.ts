import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ResourceStore } from '@wgs/cluster-store';
import { ERROR_CODES, ResourceName } from '@wgs/api-contract';
import { parseArtifactReference, type Diagnostic, type GraphDefinition } from '@wgs/graph-model';
import { ArtifactNotFoundError, graphImageReference, listArtifacts, moduleImageReference, pullArtifact, pushArtifact, type ArtifactStore, type ContentCache } from '@wgs/registry';
import { prepareComponent } from '@wgs/runtime';
import { EMBEDDED_HOST, openEndpoint } from '../registries.ts';
import { ApiError } from '../plugins/errors.ts';

const Name = Type.Object({ name: ResourceName });

const PushGraph = Type.Object({
  /** As a DataflowGraph's `graphSettings.artifact` names it: relative to the endpoint's host (and its path). */
  repository: Type.String({ minLength: 1, maxLength: 255 }),
  tag: Type.String({ minLength: 1, maxLength: 128 }),
  yaml: Type.String({ maxLength: 1_000_000 }),
  /** Replace what the tag points at (tags are mutable; running graphs pick the new content up). */
  overwrite: Type.Optional(Type.Boolean()),
});

/** The digest a tag points at, or undefined when the tag (or the repository) does not exist. */
async function existingTag(store: ArtifactStore, repository: string, tag: string): Promise<string | undefined> {
  try {
    return (await store.resolve(repository, tag)).digest;
  } catch (e) {
    if (e instanceof ArtifactNotFoundError) return undefined;
    throw e;
  }
}

/** Repository and tag/digest of an artifact reference, relative to the endpoint's registry; 400 when it does not parse. */
function locate(host: string, ref: string, kind: 'graph' | 'module'): { repository: string; reference: string; display: string } {
  try {
    const full = host === EMBEDDED_HOST ? ref : kind === 'graph' ? graphImageReference(host, ref) : moduleImageReference(host, ref);
    const parsed = parseArtifactReference(full);
    return { repository: parsed.repository, reference: parsed.digest ?? parsed.tag!, display: full };
  } catch (e) {
    throw new ApiError(400, { code: ERROR_CODES.invalidReference, message: `${kind} reference "${ref}": ${(e as Error).message}` });
  }
}

/** Operation parameters a graph definition declares, as a configuration form needs them. */
function parametersOf(graph: GraphDefinition) {
  return (graph.moduleConfigurations ?? []).flatMap((mc) => Object.entries(mc.parameters ?? {}).map(([key, p]) => ({
    operation: mc.name,
    key,
    name: p.name,
    description: p.description ?? undefined,
    default: p.default ?? undefined,
    required: p.required ?? false,
  })));
}

/**
 * Browsing what a RegistryEndpoint's registry holds: repositories, tags with
 * their artifact kind, a graph definition with its operations and parameters,
 * a module's exported operator kinds (read from the component itself).
 */
export function registerRegistryRoutes(app: FastifyInstance, store: ResourceStore, cache?: ContentCache): void {
  app.get('/api/registryendpoints/:name/repositories', { schema: { params: Name } }, async (req) => {
    const ep = await openEndpoint(store, (req.params as { name: string }).name);
    const all = await ep.store.listRepositories();
    const repositories = ep.prefix ? all.filter((r) => r.startsWith(`${ep.prefix}/`)) : all;
    return { registry: ep.store.location, repositories };
  });

  app.get('/api/registryendpoints/:name/artifacts', {
    schema: { params: Name, querystring: Type.Object({ repository: Type.String({ minLength: 1 }) }) },
  }, async (req) => {
    const ep = await openEndpoint(store, (req.params as { name: string }).name);
    const { repository } = req.query as { repository: string };
    return { repository, artifacts: await listArtifacts(ep.store, repository) };
  });

  app.get('/api/registryendpoints/:name/graph', {
    schema: { params: Name, querystring: Type.Object({ artifact: Type.String({ minLength: 3 }) }) },
  }, async (req) => {
    const ep = await openEndpoint(store, (req.params as { name: string }).name);
    const at = locate(ep.host, (req.query as { artifact: string }).artifact, 'graph');
    const pulled = await pullArtifact(ep.store, at.repository, at.reference, { cache, expect: 'graph' });
    const yaml = new TextDecoder().decode(pulled.content);
    const { graph, diagnostics } = await app.validation.graphDefinition(yaml);
    return {
      reference: at.display,
      digest: pulled.manifestDigest,
      yaml,
      diagnostics: diagnostics.map(({ segments: _s, ...d }: Diagnostic) => d),
      graph: graph ? {
        name: graph.metadata.name,
        description: graph.metadata.description ?? undefined,
        version: graph.metadata.version,
        operations: graph.operations.map((o) => ({ name: o.name, operationType: o.operationType, module: o.module ?? undefined })),
        parameters: parametersOf(graph),
      } : undefined,
    };
  });

  // Saves a graph definition as a new version: validated first, pushed in the reference's format (as `oras push` / `wgs push` do).
  app.post('/api/registryendpoints/:name/graph', { schema: { params: Name, body: PushGraph } }, async (req, reply) => {
    const { repository, tag, yaml, overwrite } = req.body as { repository: string; tag: string; yaml: string; overwrite?: boolean };
    try {
      const ref = parseArtifactReference(`${repository}:${tag}`);
      if (ref.registry || ref.digest || ref.tag !== tag) throw new Error(`"${repository}:${tag}" is not a repository and tag`);
    } catch (e) {
      throw new ApiError(400, { code: ERROR_CODES.invalidReference, message: (e as Error).message });
    }
    const { graph, diagnostics } = await app.validation.graphDefinition(yaml);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!graph || errors.length) {
      throw new ApiError(422, {
        code: ERROR_CODES.invalid,
        message: `the graph definition is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}); not pushed`,
        where: errors.map(({ segments: _s, ...d }: Diagnostic) => d),
      });
    }
    const ep = await openEndpoint(store, (req.params as { name: string }).name);
    const at = locate(ep.host, `${repository}:${tag}`, 'graph');
    const current = await existingTag(ep.store, at.repository, tag);
    if (current && !overwrite) {
      throw new ApiError(409, { code: ERROR_CODES.conflict, message: `${at.display} already exists (${current}); overwrite it to replace it`, current: { digest: current } });
    }
    const fileName = `${at.repository.split('/').pop()}.yaml`;
    const pushed = await pushArtifact(ep.store, at.repository, [tag], { kind: 'graph', content: new TextEncoder().encode(yaml), fileName }, { cache });
    return reply.status(current ? 200 : 201).send({ reference: at.display, digest: pushed.digest, replaced: current });
  });

  app.get('/api/registryendpoints/:name/module', {
    schema: { params: Name, querystring: Type.Object({ module: Type.String({ minLength: 3 }) }) },
  }, async (req) => {
    const ep = await openEndpoint(store, (req.params as { name: string }).name);
    const at = locate(ep.host, (req.query as { module: string }).module, 'module');
    const pulled = await pullArtifact(ep.store, at.repository, at.reference, { cache, expect: 'module' });
    const component = await prepareComponent(pulled.content, `module ${at.display}`);
    return { reference: at.display, digest: pulled.manifestDigest, size: pulled.content.length, exportedKinds: component.exportedKinds, imports: component.imports };
  });
}
