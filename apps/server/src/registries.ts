import type { ResourceStore, StoredResource } from '@wgs/cluster-store';
import { openRegistryEndpoint, resolveRegistryEndpoint, type OpenedEndpoint, type RegistryEndpointLikeResource } from '@wgs/registry';

export { EMBEDDED_HOST, PLAIN_HTTP_ANNOTATION, type OpenedEndpoint } from '@wgs/registry';

/**
 * Opens the registry a RegistryEndpoint names, with its credentials (the pull
 * secret read from the store). Managed identities fail with a clear reason.
 */
export async function openEndpoint(store: ResourceStore, name: string, options: { timeoutMs?: number; embeddedDir?: string } = {}): Promise<OpenedEndpoint> {
  // `default` without a RegistryEndpoint of that name is the embedded registry (the built-in transforms' home).
  const endpoint = resolveRegistryEndpoint(name, await store.get('RegistryEndpoint', name));
  if (!endpoint) throw Object.assign(new Error(`registry endpoint "${name}" not found`), { status: 404 });
  return openResource(store, endpoint, options);
}

export async function openResource(store: ResourceStore, endpoint: StoredResource | RegistryEndpointLikeResource, options: { timeoutMs?: number; embeddedDir?: string } = {}): Promise<OpenedEndpoint> {
  return openRegistryEndpoint(endpoint, (name) => store.readPullSecret(name), options);
}
