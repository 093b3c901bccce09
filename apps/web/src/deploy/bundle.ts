/**
 * A deploy bundle for a cluster the designer cannot reach: the DataflowGraph
 * and the endpoints it names, as one multi-document YAML for `kubectl apply -f`,
 * and the plan as a dry run against an empty cluster (everything is created).
 */
import { stringify } from 'yaml';
import type { Resource } from '@wgs/api-contract';

export interface BundleResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
}

/** Names of the DataflowEndpoints and RegistryEndpoints the graph's nodes refer to, in order of first use. */
export function referencedEndpoints(graph: Resource): { endpoints: string[]; registries: string[] } {
  const nodes = ((graph.spec as { nodes?: Record<string, unknown>[] } | undefined)?.nodes ?? []).filter(Boolean);
  const endpoints = new Set<string>();
  const registries = new Set<string>();
  for (const n of nodes) {
    const settings = (n.sourceSettings ?? n.destinationSettings) as { endpointRef?: string } | undefined;
    if (settings?.endpointRef) endpoints.add(settings.endpointRef);
    const g = n.graphSettings as { registryEndpointRef?: string } | undefined;
    if (g?.registryEndpointRef) registries.add(g.registryEndpointRef);
  }
  return { endpoints: [...endpoints], registries: [...registries] };
}

/** What a cluster needs, without server-side fields (resourceVersion, uid, status), all in `namespace`. */
export function bundleResources(graph: Resource, known: readonly BundleResource[], namespace: string): { resources: BundleResource[]; missing: string[] } {
  const { endpoints, registries } = referencedEndpoints(graph);
  const wanted = [...endpoints.map((name) => ['DataflowEndpoint', name] as const), ...registries.map((name) => ['RegistryEndpoint', name] as const)];
  const clean = (r: BundleResource | Resource): BundleResource => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    metadata: { name: r.metadata.name, namespace, ...(r.metadata.annotations ? { annotations: r.metadata.annotations } : {}) },
    spec: r.spec,
  });
  const resources: BundleResource[] = [];
  const missing: string[] = [];
  for (const [kind, name] of wanted) {
    const found = known.find((r) => r.kind === kind && r.metadata.name === name);
    if (found) resources.push(clean(found));
    else missing.push(`${kind} ${name}`);
  }
  // Endpoints first: the graph refers to them.
  resources.push(clean(graph));
  return { resources, missing };
}

export const bundleYaml = (resources: readonly BundleResource[]) => resources.map((r) => stringify(r)).join('---\n');

/** The plan against an empty cluster: one line per resource, all created. */
export const dryRunLines = (resources: readonly BundleResource[]) => resources.map((r) => `create ${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ''}${r.metadata.name}`);
