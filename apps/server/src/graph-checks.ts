import type { ResourceStore } from '@wgs/cluster-store';
import { diagnostic, parseArtifactReference, resolveConfiguration, statefulReason, type DataflowGraphResource, type Diagnostic } from '@wgs/graph-model';
import { graphImageReference, moduleImageReference, pullArtifact, RegistryUnreachableError, resolveRegistryEndpoint, type ContentCache } from '@wgs/registry';
import { EMBEDDED_HOST, openEndpoint } from './registries.ts';
import type { ValidationPool } from './validation/pool.ts';

/**
 * The checks that need the registry: each Graph node's artifact exists and is
 * a valid graph definition, its modules resolve, and its required parameters
 * have values (as `az iot ops dataflowgraph apply` checks). An unreachable
 * registry is a warning, so drafts can be saved offline. A stateful graph in
 * a profile of several instances is a warning too (`instances`: the profile's
 * instanceCount, when known).
 */
export async function checkGraphArtifacts(validation: ValidationPool, store: ResourceStore, g: DataflowGraphResource, cache?: ContentCache, instances?: number): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  await Promise.all(g.spec.nodes.map(async (node, i) => {
    if (node.nodeType !== 'Graph') return;
    const at = ['spec', 'nodes', i, 'graphSettings'];
    const { registryEndpointRef, artifact, configuration } = node.graphSettings;
    if (!resolveRegistryEndpoint(registryEndpointRef, await store.get('RegistryEndpoint', registryEndpointRef))) return; // reported by the structural rules
    try {
      const ep = await openEndpoint(store, registryEndpointRef);
      const ref = parseArtifactReference(ep.host === EMBEDDED_HOST ? artifact : graphImageReference(ep.host, artifact));
      const pulled = await pullArtifact(ep.store, ref.repository, ref.digest ?? ref.tag!, { cache, expect: 'graph' });
      const { graph, diagnostics } = await validation.graphDefinition(new TextDecoder().decode(pulled.content));
      if (!graph) {
        const first = diagnostics.find((d) => d.severity === 'error');
        out.push(diagnostic([...at, 'artifact'], `graph definition ${artifact} is not valid: ${first?.message ?? 'unknown error'}${first?.line ? ` (line ${first.line})` : ''}`, 'graph-artifact'));
        return;
      }
      const stateful = statefulReason(graph, artifact);
      if (stateful && instances !== undefined && instances > 1) {
        const profile = g.spec.profileRef ?? 'default';
        out.push(diagnostic(['spec', 'profileRef'], `${artifact} keeps state per instance (${stateful}), and profile "${profile}" runs ${instances} instances: it runs on one of them at a time (a lease, the others on standby) and does not scale out; the reference requires instanceCount 1 for stateful graphs`, 'stateful-scale-out', 'warning'));
      }
      const supplied = Object.fromEntries((configuration ?? []).filter((c) => c.key.trim() && c.value?.trim()).map((c) => [c.key, c.value]));
      for (const [operation, cfg] of resolveConfiguration(graph, supplied)) {
        for (const key of cfg.missing) out.push(diagnostic([...at, 'configuration'], `required parameter "${key}" of ${operation} has no value`, 'required-parameters'));
      }
      const modules = [...new Set(graph.operations.map((o) => o.module).filter((m): m is string => !!m))];
      await Promise.all(modules.map(async (m) => {
        try {
          const mref = parseArtifactReference(ep.host === EMBEDDED_HOST ? m : moduleImageReference(ep.host, m));
          await ep.store.resolve(mref.repository, mref.digest ?? mref.tag!);
        } catch (e) {
          if (e instanceof RegistryUnreachableError) throw e;
          out.push(diagnostic([...at, 'artifact'], `module ${m} of ${artifact} does not resolve: ${(e as Error).message}`, 'module-references'));
        }
      }));
    } catch (e) {
      if (e instanceof RegistryUnreachableError) {
        out.push(diagnostic([...at, 'artifact'], `could not check ${artifact}: ${e.message}`, 'graph-artifact', 'warning'));
      } else {
        out.push(diagnostic([...at, 'artifact'], `graph artifact ${artifact}: ${(e as Error).message}`, 'graph-artifact'));
      }
    }
  }));
  return out;
}
