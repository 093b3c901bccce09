import type { ResourceStore, StoredResource } from '@wgs/cluster-store';
import { embeddedRegistry, RegistryClient, registryEndpointCredentials, splitEndpointHost, type ArtifactStore } from '@wgs/registry';

/** The host the default `embedded` RegistryEndpoint carries: served from the embedded OCI layout. */
export const EMBEDDED_HOST = 'embedded.wgs.local';

/** `"true"` on a RegistryEndpoint: reach a non-loopback registry over plain HTTP. */
export const PLAIN_HTTP_ANNOTATION = 'wgs.dev/plain-http';

export interface OpenedEndpoint {
  store: ArtifactStore;
  /** Path prefix of a host-with-path endpoint ('' for hostname-only). */
  prefix: string;
  host: string;
}

/**
 * Opens the registry a RegistryEndpoint names, with its credentials: anonymous,
 * or the docker config in its ArtifactPullSecret (read from the store, never
 * from the resource). Managed identities fail with a clear reason.
 */
export async function openEndpoint(store: ResourceStore, name: string, options: { timeoutMs?: number; embeddedDir?: string } = {}): Promise<OpenedEndpoint> {
  const endpoint = await store.get('RegistryEndpoint', name);
  if (!endpoint) throw Object.assign(new Error(`registry endpoint "${name}" not found`), { status: 404 });
  return openResource(store, endpoint, options);
}

export async function openResource(store: ResourceStore, endpoint: StoredResource, options: { timeoutMs?: number; embeddedDir?: string } = {}): Promise<OpenedEndpoint> {
  const spec = endpoint.spec as { host: string; authentication: { method: string; artifactPullSecretSettings?: { secretRef?: string } } };
  if (spec.host === EMBEDDED_HOST) return { store: embeddedRegistry(), prefix: '', host: spec.host };
  const { registry, prefix } = splitEndpointHost(spec.host);
  const secretRef = spec.authentication.artifactPullSecretSettings?.secretRef;
  const secret = spec.authentication.method === 'ArtifactPullSecret' && secretRef ? await store.readPullSecret(secretRef) : undefined;
  const credentials = registryEndpointCredentials({ metadata: endpoint.metadata, spec } as Parameters<typeof registryEndpointCredentials>[0], secret);
  // The RegistryEndpoint spec has no plain-HTTP switch; this tool's annotation adds one (e.g. a compose registry).
  const plainHttp = endpoint.metadata.annotations?.[PLAIN_HTTP_ANNOTATION] === 'true';
  return { store: new RegistryClient({ registry, credentials, plainHttp, timeoutMs: options.timeoutMs ?? 10_000 }), prefix, host: spec.host };
}
