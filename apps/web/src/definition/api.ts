/**
 * The calls the graph-definition editor makes: registry listing (for the
 * module picker and the save dialog), a module's exported kinds, and saving
 * a definition as a new version. Same authorization and error handling as
 * api/client.ts, kept here so that file stays the lead's.
 */
import type { Diagnostic } from '@wgs/graph-model';
import { takeToken } from '../api/client.ts';

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

/** An error answer with the API's code and, for invalid definitions, located diagnostics. */
export class DefinitionApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly where: Partial<Diagnostic>[] = []) {
    super(message);
  }
}

export interface DefinitionApi {
  registryEndpoints(): Promise<string[]>;
  repositories(endpoint: string): Promise<string[]>;
  tags(endpoint: string, repository: string): Promise<ListedTag[]>;
  /** Exported operator kinds and imports of a module, read from the component. */
  module(endpoint: string, reference: string): Promise<{ exportedKinds: string[]; imports: string[] }>;
  pushGraph(endpoint: string, body: { repository: string; tag: string; yaml: string; overwrite?: boolean }): Promise<PushedGraph>;
}

export function definitionApi(token: string | undefined, fetchImpl: typeof fetch = (...a) => fetch(...a), base = ''): DefinitionApi {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    const res = await fetchImpl(`${base}${path}`, { ...init, headers });
    const body = (await res.json().catch(() => ({}))) as { message?: string; code?: string; where?: Partial<Diagnostic>[] };
    if (!res.ok) throw new DefinitionApiError(res.status, body.message ?? `${res.status} ${res.statusText}`, body.code, body.where);
    return body as T;
  };
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
