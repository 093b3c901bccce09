/**
 * The calls the graph-definition editor makes: registry listing (for the
 * module picker and the save dialog), a module's exported kinds, and saving
 * a definition as a new version (through the same caller as api/client.ts).
 */
import { ApiError, createApiCall, takeToken } from '../api/client.ts';

export interface ListedTag {
  tag: string;
  kind: 'graph' | 'module' | 'other';
  digest?: string;
}

export interface PushedGraph {
  reference: string;
  digest: string;
  /** The digest the tag pointed at before (only when overwritten). */
  replaced?: string;
}

/** An error answer (with the API's code and, for invalid definitions, located diagnostics). */
export { ApiError as DefinitionApiError };

export interface DefinitionApi {
  registryEndpoints(): Promise<string[]>;
  repositories(endpoint: string): Promise<string[]>;
  tags(endpoint: string, repository: string): Promise<ListedTag[]>;
  /** Exported operator kinds and imports of a module, read from the component. */
  module(endpoint: string, reference: string): Promise<{ exportedKinds: string[]; imports: string[] }>;
  pushGraph(endpoint: string, body: { repository: string; tag: string; yaml: string; overwrite?: boolean }): Promise<PushedGraph>;
}

export function definitionApi(token: string | undefined, fetchImpl: typeof fetch = (...a) => fetch(...a), base = ''): DefinitionApi {
  const call = createApiCall(token, fetchImpl, base);
  const ep = (name: string) => `/api/registryendpoints/${encodeURIComponent(name)}`;
  return {
    registryEndpoints: async () => (await call<{ items: { metadata: { name: string } }[] }>('/api/registryendpoints')).items.map((i) => i.metadata.name),
    repositories: async (endpoint) => (await call<{ repositories: string[] }>(`${ep(endpoint)}/repositories`)).repositories,
    tags: async (endpoint, repository) =>
      (await call<{ artifacts: ListedTag[] }>(`${ep(endpoint)}/artifacts?repository=${encodeURIComponent(repository)}`)).artifacts,
    module: (endpoint, reference) => call(`${ep(endpoint)}/module?module=${encodeURIComponent(reference)}`),
    pushGraph: (endpoint, body) => call(`${ep(endpoint)}/graph`, { method: 'POST', body: JSON.stringify(body) }),
  };
}

let shared: DefinitionApi | undefined;

/** The page's API with the token App already took from the address (kept in sessionStorage). */
export function defaultDefinitionApi(): DefinitionApi {
  shared ??= definitionApi(takeToken(globalThis.location, globalThis.sessionStorage));
  return shared;
}
