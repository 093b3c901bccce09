/**
 * The API client. The token comes once from `?token=` in the address (then
 * removed from it) and is kept in sessionStorage for the tab's lifetime.
 */
import type { Diagnostic } from '@wgs/graph-model';
import type { CopyArtifactsRequest, CopyArtifactsResult, DeployPlan, DeploymentStatus, GraphOverview, Resource, ResourcePlural, ServerInfo, ValidationResult } from '@wgs/api-contract';

const TOKEN_KEY = 'wgs.token';

export function takeToken(location: { href: string }, storage: Pick<Storage, 'getItem' | 'setItem'>, replace?: (url: string) => void): string | undefined {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    replace?.(url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

/** An error answer: its status, message and, as the API gives them, located diagnostics and the current resource (409). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly where?: Diagnostic[], readonly current?: Resource) {
    super(message);
  }
}

export interface ListedArtifact {
  tag: string;
  kind: 'graph' | 'module' | 'other';
  digest?: string;
  mediaType?: string;
  size?: number;
  detail?: string;
  error?: string;
}

export interface GraphPreview {
  reference: string;
  digest: string;
  yaml: string;
  diagnostics: Diagnostic[];
  graph?: {
    name: string;
    description?: string;
    version: string;
    operations: { name: string; operationType: string; module?: string }[];
    parameters: { operation: string; key: string; name: string; description?: string; default?: string; required: boolean }[];
  };
}

export interface ApiClient {
  registryEndpoints(): Promise<string[]>;
  repositories(endpoint: string): Promise<{ registry: string; repositories: string[] }>;
  artifacts(endpoint: string, repository: string): Promise<ListedArtifact[]>;
  graph(endpoint: string, artifact: string): Promise<GraphPreview>;
  validate(yaml: string): Promise<{ valid: boolean; diagnostics: Diagnostic[] }>;
  info(): Promise<ServerInfo>;
  graphOverview(): Promise<GraphOverview>;
  list(plural: ResourcePlural): Promise<Resource[]>;
  get(plural: ResourcePlural, name: string): Promise<Resource>;
  create(plural: ResourcePlural, resource: Resource): Promise<Resource>;
  replace(plural: ResourcePlural, resource: Resource): Promise<Resource>;
  remove(plural: ResourcePlural, name: string): Promise<void>;
  validateResource(plural: ResourcePlural, resource: unknown): Promise<ValidationResult>;
  /** Plans (apply false) or applies a deploy of `draft` (the saved copy when omitted). */
  deploy(name: string, request: { apply: boolean; draft?: Resource; expectedClusterResourceVersion?: string }): Promise<DeployPlan>;
  deployment(name: string): Promise<DeploymentStatus>;
  /** Copies the graph artifacts of the draft's embedded-registry nodes to a RegistryEndpoint; the answer's draft points there. */
  copyArtifacts(name: string, request: CopyArtifactsRequest): Promise<CopyArtifactsResult>;
  /** The live preview WebSocket's address, with the token (browsers cannot set headers on a WebSocket). */
  previewUrl(): string;
}

/** ws(s)://host/api/preview?token=… for a page at `location`. */
export function previewSocketUrl(location: { href: string }, token: string | undefined, base = ''): string {
  const url = new URL(`${base}/api/preview`, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

/** One authorized JSON request to the API; an error answer becomes an ApiError with the body's message, code, diagnostics and current resource. */
export type ApiCall = <T>(path: string, init?: RequestInit) => Promise<T>;

export function createApiCall(token: string | undefined, fetchImpl: typeof fetch = (...a) => fetch(...a), base = ''): ApiCall {
  return async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    const res = await fetchImpl(`${base}${path}`, { ...init, headers });
    const body = (await res.json().catch(() => ({}))) as { message?: string; code?: string; where?: Diagnostic[]; current?: Resource };
    if (!res.ok) throw new ApiError(res.status, body.message ?? `${res.status} ${res.statusText}`, body.code, body.where, body.current);
    return body as T;
  };
}

export function createApiClient(token: string | undefined, fetchImpl: typeof fetch = (...a) => fetch(...a), base = ''): ApiClient {
  const call = createApiCall(token, fetchImpl, base);
  const ep = (name: string) => `/api/registryendpoints/${encodeURIComponent(name)}`;
  return {
    registryEndpoints: async () => (await call<{ items: { metadata: { name: string } }[] }>('/api/registryendpoints')).items.map((i) => i.metadata.name),
    repositories: (endpoint) => call(`${ep(endpoint)}/repositories`),
    artifacts: async (endpoint, repository) =>
      (await call<{ artifacts: ListedArtifact[] }>(`${ep(endpoint)}/artifacts?repository=${encodeURIComponent(repository)}`)).artifacts,
    graph: (endpoint, artifact) => call(`${ep(endpoint)}/graph?artifact=${encodeURIComponent(artifact)}`),
    validate: (yaml) => call('/api/graph-definitions/validate', { method: 'POST', body: JSON.stringify({ yaml }) }),
    previewUrl: () => previewSocketUrl(globalThis.location, token, base),
    info: () => call('/api/info'),
    graphOverview: () => call('/api/graph-overview'),
    list: async (plural) => (await call<{ items: Resource[] }>(`/api/${plural}`)).items,
    get: (plural, name) => call(`/api/${plural}/${encodeURIComponent(name)}`),
    create: (plural, resource) => call(`/api/${plural}`, { method: 'POST', body: JSON.stringify(resource) }),
    replace: (plural, resource) => call(`/api/${plural}/${encodeURIComponent(resource.metadata.name)}`, { method: 'PUT', body: JSON.stringify(resource) }),
    remove: async (plural, name) => {
      await call(`/api/${plural}/${encodeURIComponent(name)}`, { method: 'DELETE' });
    },
    validateResource: (plural, resource) => call(`/api/${plural}/validate`, { method: 'POST', body: JSON.stringify(resource) }),
    deploy: (name, request) => call(`/api/dataflowgraphs/${encodeURIComponent(name)}/deploy`, { method: 'POST', body: JSON.stringify(request) }),
    deployment: (name) => call(`/api/dataflowgraphs/${encodeURIComponent(name)}/deployment`),
    copyArtifacts: (name, request) => call(`/api/dataflowgraphs/${encodeURIComponent(name)}/copy-artifacts`, { method: 'POST', body: JSON.stringify(request) }),
  };
}
