import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ResourceStore } from '@wgs/cluster-store';
import { parseArtifactReference, parseGraphDefinition, type Diagnostic } from '@wgs/graph-model';
import { graphImageReference, listArtifacts, moduleImageReference, pullArtifact, type ContentCache } from '@wgs/registry';
import { prepareComponent } from '@wgs/runtime';
import { EMBEDDED_HOST, openEndpoint } from '../registries.ts';

const Name = Type.Object({ name: Type.String() });

/** Repository and tag/digest of an artifact reference, relative to the endpoint's registry. */
function locate(host: string, ref: string, kind: 'graph' | 'module'): { repository: string; reference: string; display: string } {
  const full = host === EMBEDDED_HOST ? ref : kind === 'graph' ? graphImageReference(host, ref) : moduleImageReference(host, ref);
  const parsed = parseArtifactReference(full);
  return { repository: parsed.repository, reference: parsed.digest ?? parsed.tag!, display: full };
}

/** Operation parameters a graph definition declares, as a configuration form needs them. */
function parametersOf(graph: NonNullable<ReturnType<typeof parseGraphDefinition>['graph']>) {
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
    const { graph, diagnostics } = parseGraphDefinition(yaml);
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
