/**
 * Opens the registry a RegistryEndpoint resource names, with its credentials:
 * anonymous, or the docker config of its ArtifactPullSecret (read through the
 * caller, from the cluster or the embedded store; never from the resource).
 * Shared by the designer's server and the engine, so both reach a registry
 * the same way.
 */
import { registryEndpointCredentials } from './auth.ts';
import { RegistryClient } from './client.ts';
import { embeddedRegistry } from './embedded.ts';
import { splitEndpointHost } from './endpoint.ts';
import type { ArtifactStore } from './store.ts';

/** The host the default `embedded` RegistryEndpoint carries: served from the embedded OCI layout. */
export const EMBEDDED_HOST = 'embedded.wgs.local';

/** `"true"` on a RegistryEndpoint: reach a non-loopback registry over plain HTTP. */
export const PLAIN_HTTP_ANNOTATION = 'wgs.dev/plain-http';

/**
 * The registry endpoint name the reference's built-in transforms use. AIO
 * creates a RegistryEndpoint `default` (mcr.microsoft.com) at deployment; here,
 * where none named `default` exists, the name resolves to the embedded registry,
 * which holds the built-ins under the same names (`azureiotoperations/graph-dataflow-<kind>`).
 */
export const DEFAULT_REGISTRY_ENDPOINT = 'default';

/** The RegistryEndpoint `default` stands for when the store has none of that name. */
export function implicitDefaultRegistryEndpoint(): RegistryEndpointLikeResource {
  return {
    metadata: { name: DEFAULT_REGISTRY_ENDPOINT, annotations: { 'wgs.dev/description': 'implicit: the embedded registry (no RegistryEndpoint named default exists)' } },
    spec: { host: EMBEDDED_HOST, authentication: { method: 'Anonymous', anonymousSettings: {} } },
  };
}

/**
 * A RegistryEndpoint by name: the stored one, else for `default` the implicit
 * embedded one, else undefined. Every resolution of a `registryEndpointRef` goes through here.
 */
export function resolveRegistryEndpoint<T extends RegistryEndpointLikeResource>(name: string, stored: T | undefined): T | RegistryEndpointLikeResource | undefined {
  if (stored) return stored;
  return name === DEFAULT_REGISTRY_ENDPOINT ? implicitDefaultRegistryEndpoint() : undefined;
}

export interface OpenedEndpoint {
  store: ArtifactStore;
  /** Path prefix of a host-with-path endpoint ('' for hostname-only). */
  prefix: string;
  host: string;
}

export interface RegistryEndpointLikeResource {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: unknown;
}

export async function openRegistryEndpoint(
  endpoint: RegistryEndpointLikeResource,
  readPullSecret: (name: string) => Promise<string | undefined>,
  options: { timeoutMs?: number } = {},
): Promise<OpenedEndpoint> {
  const spec = endpoint.spec as { host: string; authentication: { method: string; artifactPullSecretSettings?: { secretRef?: string } } };
  if (spec.host === EMBEDDED_HOST) return { store: embeddedRegistry(), prefix: '', host: spec.host };
  const { registry, prefix } = splitEndpointHost(spec.host);
  const secretRef = spec.authentication.artifactPullSecretSettings?.secretRef;
  const secret = spec.authentication.method === 'ArtifactPullSecret' && secretRef ? await readPullSecret(secretRef) : undefined;
  const credentials = registryEndpointCredentials({ metadata: endpoint.metadata, spec } as Parameters<typeof registryEndpointCredentials>[0], secret);
  // The RegistryEndpoint spec has no plain-HTTP switch; this tool's annotation adds one (e.g. a compose registry).
  const plainHttp = endpoint.metadata.annotations?.[PLAIN_HTTP_ANNOTATION] === 'true';
  return { store: new RegistryClient({ registry, credentials, plainHttp, timeoutMs: options.timeoutMs ?? 10_000 }), prefix, host: spec.host };
}
