/**
 * A small OCI distribution client on Node's fetch: catalog and tags (all
 * pages), manifests (OCI manifest and index, Docker v2 schema 2 and list),
 * blobs verified against their digests, referrers (API or tag schema), and
 * uploads (monolithic or chunked, cross-repository mount). Authentication:
 * anonymous, basic, and bearer tokens from the WWW-Authenticate challenge
 * (realm/service/scope), cached per scope until they expire.
 */
import { Buffer } from 'node:buffer';
import { describeCredentials, parseWwwAuthenticate, type Challenge, type Credentials } from './auth.ts';
import { digestOf, isDigest, parseDigest, sha256 } from './digest.ts';
import { BodyTooLargeError, MAX_BLOB_BYTES, MAX_ERROR_BODY_BYTES, MAX_JSON_BYTES, readCapped } from './capped-body.ts';
import { ArtifactNotFoundError, DigestMismatchError, ManifestError, RegistryAuthError, RegistryError, RegistryUnreachableError, ResponseTooLargeError } from './errors.ts';
import { parseManifest } from './manifest.ts';
import { isIndex, MANIFEST_ACCEPT, MEDIA_TYPES, type Descriptor } from './media-types.ts';
import type { ArtifactStore, FetchedManifest, PushedBlob } from './store.ts';

export interface RequestEvent {
  method: string;
  url: string;
  status: number;
}

export interface RegistryClientOptions {
  /** `host[:port]` of the registry. */
  registry: string;
  /** Anonymous when omitted. */
  credentials?: Credentials;
  /**
   * Use plain HTTP. Loopback registries (localhost, 127.0.0.0/8, ::1) use it
   * anyway; anything else is reached over HTTPS unless this is set.
   */
  plainHttp?: boolean;
  /** Per request, including reading the body (default 30 s). */
  timeoutMs?: number;
  /** Blobs larger than this are uploaded in chunks of this size (default 8 MiB). */
  chunkSize?: number;
  /** Page size asked of catalog and tag listings (default: the registry's). */
  pageSize?: number;
  /** Called after every HTTP exchange (registry and token service). */
  onRequest?: (e: RequestEvent) => void;
}

interface Token {
  token: string;
  expiresAt: number;
}

interface RequestInit2 {
  scopes: string[];
  headers?: Record<string, string>;
  body?: Uint8Array;
}

const USER_AGENT = 'wasm-graph-studio';

export function isLoopbackHost(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.split(':')[0]!;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
/** Names a catalog or tag listing may return over all its pages. */
const MAX_LISTED_NAMES = 100_000;

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** `<url>; rel="next"` from a Link header. */
function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (m && /rel="?next"?/.test(m[2]!)) return m[1];
  }
  return undefined;
}

interface ErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

async function errorBody(res: Response): Promise<{ code?: string; message: string }> {
  let text = '';
  try {
    text = new TextDecoder().decode(await readCapped(res, MAX_ERROR_BODY_BYTES, true));
  } catch {
    return { message: '' };
  }
  try {
    const body = JSON.parse(text) as ErrorBody;
    const first = body.errors?.[0];
    if (first) return { code: first.code, message: [first.code, first.message].filter(Boolean).join(': ') };
  } catch {
    // not JSON: use the text
  }
  return { message: text.trim().split('\n')[0]!.slice(0, 200) };
}

function errnoOf(e: unknown): string | undefined {
  let x: unknown = e;
  for (let i = 0; i < 5 && x; i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    x = (x as { cause?: unknown }).cause;
  }
  return undefined;
}

export class RegistryClient implements ArtifactStore {
  readonly registry: string;
  readonly baseUrl: string;
  private readonly credentials: Credentials;
  private readonly timeoutMs: number;
  private readonly chunkSize: number;
  private readonly pageSize?: number;
  private readonly onRequest?: (e: RequestEvent) => void;
  /** Tokens by realm/service/scopes. */
  private readonly tokens = new Map<string, Token>();
  /** The token key that answered a set of scopes, so later requests send it up front. */
  private readonly tokenForScopes = new Map<string, string>();
  private basic = false;
  /** Repositories of this registry known to hold a blob (for cross-repository mounts). */
  private readonly blobHomes = new Map<string, Set<string>>();

  constructor(o: RegistryClientOptions) {
    this.registry = o.registry;
    const apiHost = o.registry === 'docker.io' ? 'registry-1.docker.io' : o.registry;
    this.baseUrl = `${o.plainHttp || isLoopbackHost(o.registry) ? 'http' : 'https'}://${apiHost}`;
    this.credentials = o.credentials ?? { kind: 'anonymous' };
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.chunkSize = o.chunkSize ?? 8 * 1024 * 1024;
    this.pageSize = o.pageSize;
    this.onRequest = o.onRequest;
  }

  get location(): string {
    return this.registry;
  }

  // ---- HTTP with authentication -------------------------------------------------

  private async exchange(method: string, url: URL, headers: Record<string, string>, body: Uint8Array | string | undefined, peer: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { method, headers: { 'User-Agent': USER_AGENT, ...headers }, body: body as BodyInit | undefined, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw this.unreachable(e, peer, url);
    }
    this.onRequest?.({ method, url: url.toString(), status: res.status });
    return res;
  }

  private unreachable(e: unknown, peer: string, url: URL): RegistryError {
    const name = (e as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new RegistryUnreachableError(peer, `no answer within ${this.timeoutMs} ms (${url.origin})`, true);
    }
    const code = errnoOf(e);
    const detail = code ?? (e as Error)?.message ?? String(e);
    const tlsHint = url.protocol === 'https:' && /SSL|TLS|EPROTO|ERR_SSL|wrong version/i.test(`${detail} ${(e as Error)?.cause ?? ''}`)
      ? ' (does it speak plain HTTP? then use --plain-http)'
      : '';
    return new RegistryUnreachableError(peer, `cannot connect to ${url.origin}: ${detail}${tlsHint}`);
  }

  /** Reads a response body within the request timeout, stopping once it passes `limit` bytes. */
  private async bytes(res: Response, url: URL, what: string, limit = MAX_JSON_BYTES): Promise<Uint8Array> {
    try {
      return await readCapped(res, limit);
    } catch (e) {
      if (e instanceof BodyTooLargeError) throw new ResponseTooLargeError(this.registry, what, limit);
      throw this.unreachable(e, this.registry, url);
    }
  }

  /** Scopes with the actions on one resource merged: `repository:a:pull` + `repository:a:push` → `repository:a:pull,push`. */
  static mergeScopes(scopes: string[]): string[] {
    const byResource = new Map<string, Set<string>>();
    for (const scope of scopes) {
      const last = scope.lastIndexOf(':');
      if (last <= 0) continue;
      const resource = scope.slice(0, last);
      let actions = byResource.get(resource);
      if (!actions) byResource.set(resource, (actions = new Set()));
      for (const a of scope.slice(last + 1).split(',')) if (a) actions.add(a);
    }
    return [...byResource].map(([r, a]) => `${r}:${[...a].sort().join(',')}`).sort();
  }

  private static scopeKey(scopes: string[]): string {
    return RegistryClient.mergeScopes(scopes).join(' ');
  }

  private authorization(scopes: string[]): string | undefined {
    const c = this.credentials;
    if (c.kind === 'bearer') return `Bearer ${c.token}`;
    const key = this.tokenForScopes.get(RegistryClient.scopeKey(scopes));
    const token = key ? this.tokens.get(key) : undefined;
    if (token && token.expiresAt > Date.now()) return `Bearer ${token.token}`;
    if (this.basic && c.kind === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    return undefined;
  }

  /** Sends a request; on 401 answers the challenge once and retries. */
  private async request(method: string, pathOrUrl: string, init: RequestInit2): Promise<{ res: Response; url: URL }> {
    let url = new URL(pathOrUrl, this.baseUrl);
    let answered = false;
    for (;;) {
      const headers: Record<string, string> = { ...init.headers };
      const auth = this.authorization(init.scopes);
      if (auth) headers.Authorization = auth;
      const res = await this.exchange(method, url, headers, init.body, this.registry);
      if (res.status !== 401) return { res, url };
      const header = res.headers.get('www-authenticate') ?? '';
      await res.body?.cancel().catch(() => {});
      if (answered || this.credentials.kind === 'bearer') {
        throw new RegistryAuthError(this.registry, `authentication failed for ${describeCredentials(this.credentials)} (401 Unauthorized${auth?.startsWith('Basic') ? ': wrong username or password' : ''})`, 401);
      }
      answered = true;
      if (auth?.startsWith('Bearer ')) {
        // A token we held was refused (revoked or expired early): forget it.
        for (const [k, t] of this.tokens) if (`Bearer ${t.token}` === auth) this.tokens.delete(k);
      }
      const challenges = parseWwwAuthenticate(header);
      const bearer = challenges.find((c) => c.scheme === 'bearer');
      const basic = challenges.find((c) => c.scheme === 'basic');
      if (bearer) {
        await this.obtainToken(bearer, init.scopes);
      } else if (basic) {
        if (this.credentials.kind !== 'basic') {
          throw new RegistryAuthError(this.registry, `authentication required (401 Unauthorized, basic realm "${basic.params.realm ?? ''}") and no username and password were given`, 401);
        }
        this.basic = true;
      } else {
        throw new RegistryAuthError(this.registry, `401 Unauthorized with ${header ? `an unsupported challenge "${header}"` : 'no WWW-Authenticate challenge'}`, 401);
      }
      url = new URL(pathOrUrl, this.baseUrl);
    }
  }

  /** Gets (or reuses) a bearer token for the challenge and the request's scopes. */
  private async obtainToken(challenge: Challenge, scopes: string[]): Promise<void> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryAuthError(this.registry, 'bearer challenge without a realm', 401);
    const service = challenge.params.service;
    const wanted = RegistryClient.mergeScopes([...(challenge.params.scope?.split(' ') ?? []), ...scopes]);
    const key = `${realm}|${service ?? ''}|${wanted.join(' ')}`;
    const scopesKey = RegistryClient.scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) {
      this.tokenForScopes.set(scopesKey, key);
      return;
    }
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new RegistryAuthError(this.registry, `bearer challenge has an invalid realm "${realm}"`, 401);
    }
    const c = this.credentials;
    let res: Response;
    const peer = `${this.registry} (token service ${realmUrl.origin})`;
    if (c.kind === 'identity-token') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.token, client_id: USER_AGENT });
      if (service) form.set('service', service);
      if (wanted.length) form.set('scope', wanted.join(' '));
      res = await this.exchange('POST', realmUrl, { 'Content-Type': 'application/x-www-form-urlencoded' }, form.toString(), peer);
    } else {
      const url = new URL(realmUrl);
      if (service) url.searchParams.set('service', service);
      for (const s of wanted) url.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (c.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
      res = await this.exchange('GET', url, headers, undefined, peer);
    }
    if (res.status === 401 || res.status === 403) {
      const { message } = await errorBody(res);
      throw new RegistryAuthError(this.registry, `authentication failed for ${describeCredentials(c)} at the token service ${realmUrl.origin} (${res.status}${message ? `: ${message}` : ''})`, res.status);
    }
    if (!res.ok) {
      const { message } = await errorBody(res);
      throw new RegistryError(this.registry, `token service ${realmUrl.origin} answered ${res.status}${message ? `: ${message}` : ''}`, res.status);
    }
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(new TextDecoder().decode(await this.bytes(res, realmUrl, `token service ${realmUrl.origin}`))) as typeof body;
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      throw new RegistryError(this.registry, `token service ${realmUrl.origin} did not answer JSON`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(this.registry, `token service ${realmUrl.origin} returned no token`);
    // expires_in defaults to 60 s (token spec); renew a little early (a tenth, at most 5 s).
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60) * 1000;
    this.tokens.set(key, { token, expiresAt: Date.now() + lifetimeMs - Math.min(5_000, lifetimeMs / 10) });
    this.tokenForScopes.set(scopesKey, key);
  }

  /** Turns a non-success response into a one-line error. */
  private async failure(res: Response, what: string): Promise<RegistryError> {
    const { code, message } = await errorBody(res);
    if (res.status === 403) return new RegistryAuthError(this.registry, `${what}: denied for ${describeCredentials(this.credentials)} (403${message ? ` ${message}` : ''})`, 403);
    if (res.status === 429) return new RegistryError(this.registry, `${what}: too many requests (429)`, 429, code);
    return new RegistryError(this.registry, `${what}: ${res.status} ${res.statusText}${message ? ` (${message})` : ''}`, res.status, code);
  }

  private remember(digest: string, repository: string): void {
    let homes = this.blobHomes.get(digest);
    if (!homes) this.blobHomes.set(digest, (homes = new Set()));
    homes.add(repository);
  }

  private checkName(repository: string, reference?: string): void {
    if (!REPOSITORY.test(repository)) throw new RegistryError(this.registry, `invalid repository name "${repository}"`);
    if (reference !== undefined && !TAG.test(reference) && !isDigest(reference)) {
      throw new RegistryError(this.registry, `invalid tag or digest "${reference}" for ${repository}`);
    }
  }

  // ---- Listing --------------------------------------------------------------------

  private async paginate(first: string, scopes: string[], field: 'repositories' | 'tags', what: string, onNotFound: (code?: string) => RegistryError): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = this.pageSize ? `${first}?n=${this.pageSize}` : first;
    for (let page = 0; next && page < 10_000; page++) {
      const { res, url } = await this.request('GET', next, { scopes, headers: { Accept: 'application/json' } });
      if (res.status === 404) throw onNotFound((await errorBody(res)).code);
      if (!res.ok) throw await this.failure(res, what);
      const text = new TextDecoder().decode(await this.bytes(res, url, `${what} (page ${page + 1})`));
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new RegistryError(this.registry, `${what}: the answer is not JSON`);
      }
      const items = body[field];
      if (Array.isArray(items)) for (const x of items) if (typeof x === 'string') out.push(x);
      if (out.length > MAX_LISTED_NAMES) throw new RegistryError(this.registry, `${what}: more than ${MAX_LISTED_NAMES} names; stopped listing`);
      const link = nextLink(res.headers.get('link'));
      next = link ? new URL(link, url).toString() : undefined;
    }
    return out;
  }

  /** Every repository, following the catalog's pages. */
  async listRepositories(): Promise<string[]> {
    return this.paginate('/v2/_catalog', ['registry:catalog:*'], 'repositories', 'catalog',
      () => new RegistryError(this.registry, 'does not offer a catalog (/v2/_catalog); list a repository instead', 404));
  }

  async listTags(repository: string): Promise<string[]> {
    this.checkName(repository);
    return this.paginate(`/v2/${repository}/tags/list`, [pullScope(repository)], 'tags', `tags of ${repository}`,
      () => new ArtifactNotFoundError(this.registry, 'repository', repository));
  }

  // ---- Manifests --------------------------------------------------------------------

  /** Why a manifest was not found: an unknown repository, or an unknown tag/digest in a known one. */
  private async manifestNotFound(repository: string, reference: string, code?: string): Promise<ArtifactNotFoundError> {
    let repositoryKnown = code !== 'NAME_UNKNOWN';
    if (repositoryKnown) {
      try {
        await this.listTags(repository);
      } catch (e) {
        if (e instanceof ArtifactNotFoundError) repositoryKnown = false;
      }
    }
    if (!repositoryKnown) return new ArtifactNotFoundError(this.registry, 'repository', repository);
    return isDigest(reference)
      ? new ArtifactNotFoundError(this.registry, 'manifest', `${repository}@${reference}`)
      : new ArtifactNotFoundError(this.registry, 'tag', `${repository}:${reference}`);
  }

  async resolve(repository: string, reference: string): Promise<Descriptor> {
    this.checkName(repository, reference);
    const { res } = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, { scopes: [pullScope(repository)], headers: { Accept: MANIFEST_ACCEPT } });
    if (res.status === 404) throw await this.manifestNotFound(repository, reference);
    if (!res.ok) throw await this.failure(res, `manifest ${repository}:${reference}`);
    const digest = res.headers.get('docker-content-digest') ?? (isDigest(reference) ? reference : undefined);
    const size = Number(res.headers.get('content-length'));
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim();
    if (!digest || !isDigest(digest) || !Number.isFinite(size) || !mediaType || (isDigest(reference) && digest !== reference)) {
      return (await this.fetchManifest(repository, reference)).descriptor;
    }
    return { mediaType, digest, size };
  }

  async fetchManifest(repository: string, reference: string): Promise<FetchedManifest> {
    this.checkName(repository, reference);
    const label = `${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
    const { res, url } = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { scopes: [pullScope(repository)], headers: { Accept: MANIFEST_ACCEPT } });
    if (res.status === 404) throw await this.manifestNotFound(repository, reference, (await errorBody(res)).code);
    if (!res.ok) throw await this.failure(res, `manifest ${label}`);
    // The OCI distribution spec's recommended manifest limit (4 MiB).
    const bytes = await this.bytes(res, url, `manifest of ${label}`);
    const header = res.headers.get('docker-content-digest');
    const expected = isDigest(reference) ? reference : header && isDigest(header) ? header : undefined;
    const actual = expected ? digestOf(bytes, expected) : sha256(bytes);
    if (expected && actual !== expected) throw new DigestMismatchError(this.registry, `manifest ${label}`, expected, actual);
    const { manifest, mediaType } = parseManifest(bytes, res.headers.get('content-type') ?? undefined, this.registry, label);
    return { descriptor: { mediaType, digest: actual, size: bytes.length }, bytes, manifest };
  }

  async pushManifest(repository: string, bytes: Uint8Array, mediaType: string, tag?: string): Promise<Descriptor> {
    this.checkName(repository, tag);
    const digest = sha256(bytes);
    const reference = tag ?? digest;
    const { res } = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, { scopes: [pushScope(repository)], headers: { 'Content-Type': mediaType }, body: bytes });
    if (res.status !== 201 && res.status !== 200) throw await this.failure(res, `push manifest ${repository}:${reference}`);
    await res.body?.cancel().catch(() => {});
    const echoed = res.headers.get('docker-content-digest');
    if (echoed && isDigest(echoed) && echoed !== digest) {
      throw new RegistryError(this.registry, `stored manifest ${repository}:${reference} as ${echoed}, but its bytes hash to ${digest}`);
    }
    return { mediaType, digest, size: bytes.length };
  }

  // ---- Blobs -----------------------------------------------------------------------

  async fetchBlob(repository: string, descriptor: Pick<Descriptor, 'digest'> & { size?: number }): Promise<Uint8Array> {
    const { digest } = descriptor;
    this.checkName(repository);
    parseDigest(digest);
    const { res, url } = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { scopes: [pullScope(repository)] });
    if (res.status === 404) {
      const { code } = await errorBody(res);
      throw code === 'NAME_UNKNOWN'
        ? new ArtifactNotFoundError(this.registry, 'repository', repository)
        : new ArtifactNotFoundError(this.registry, 'blob', `${repository}@${digest}`);
    }
    if (!res.ok) throw await this.failure(res, `blob ${repository}@${digest}`);
    const declared = descriptor.size !== undefined && descriptor.size >= 0 ? descriptor.size : undefined;
    if (declared !== undefined && declared > MAX_BLOB_BYTES) {
      await res.body?.cancel().catch(() => {});
      throw new ResponseTooLargeError(this.registry, `blob ${repository}@${digest} (declared ${declared} bytes)`, MAX_BLOB_BYTES);
    }
    // Never more than the manifest declares: anything beyond cannot match the digest anyway.
    const data = await this.bytes(res, url, `blob ${repository}@${digest}`, declared ?? MAX_BLOB_BYTES);
    const actual = digestOf(data, digest);
    if (actual !== digest) throw new DigestMismatchError(this.registry, `blob ${repository}@${digest}`, digest, actual);
    if (descriptor.size !== undefined && descriptor.size >= 0 && data.length !== descriptor.size) {
      throw new RegistryError(this.registry, `blob ${repository}@${digest} has ${data.length} bytes, the manifest says ${descriptor.size}`);
    }
    this.remember(digest, repository);
    return data;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    this.checkName(repository, digest);
    const { res } = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { scopes: [pullScope(repository)] });
    if (res.status === 404) return false;
    if (!res.ok) throw await this.failure(res, `blob ${repository}@${digest}`);
    this.remember(digest, repository);
    return true;
  }

  /** Starts an upload session, or mounts the blob from `from`. Returns the upload URL, or undefined when mounted. */
  private async startUpload(repository: string, digest: string, from?: string): Promise<string | undefined> {
    const path = from
      ? `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`
      : `/v2/${repository}/blobs/uploads/`;
    const scopes = from ? [pushScope(repository), pullScope(from)] : [pushScope(repository)];
    const { res, url } = await this.request('POST', path, { scopes });
    await res.body?.cancel().catch(() => {});
    if (res.status === 201 && from) return undefined;
    if (res.status !== 202) throw await this.failure(res, `start upload to ${repository}`);
    const location = res.headers.get('location');
    if (!location) throw new RegistryError(this.registry, `start upload to ${repository}: no Location in the answer`);
    return new URL(location, url).toString();
  }

  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    if (await this.hasBlob(repository, digest)) return true;
    const upload = await this.startUpload(repository, digest, fromRepository);
    if (upload === undefined) {
      this.remember(digest, repository);
      return true;
    }
    // The registry opened an upload instead of mounting: cancel it.
    const { res } = await this.request('DELETE', upload, { scopes: [pushScope(repository)] });
    await res.body?.cancel().catch(() => {});
    return false;
  }

  async pushBlob(repository: string, data: Uint8Array, options: { mountFrom?: string } = {}): Promise<PushedBlob> {
    const digest = sha256(data);
    const size = data.length;
    if (await this.hasBlob(repository, digest)) return { digest, size, via: 'existing' };
    const from = options.mountFrom ?? [...(this.blobHomes.get(digest) ?? [])].find((r) => r !== repository);
    let upload = await this.startUpload(repository, digest, from && from !== repository ? from : undefined);
    if (upload === undefined) {
      this.remember(digest, repository);
      return { digest, size, via: 'mount' };
    }
    const scopes = [pushScope(repository)];
    const withDigest = (location: string) => {
      const u = new URL(location);
      u.searchParams.set('digest', digest);
      return u.toString();
    };
    let res: Response;
    if (size <= this.chunkSize) {
      ({ res } = await this.request('PUT', withDigest(upload), { scopes, headers: { 'Content-Type': 'application/octet-stream' }, body: data }));
    } else {
      for (let offset = 0; offset < size; offset += this.chunkSize) {
        const chunk = data.subarray(offset, Math.min(size, offset + this.chunkSize));
        const { res: patch, url } = await this.request('PATCH', upload, {
          scopes,
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${offset + chunk.length - 1}` },
          body: chunk,
        });
        if (patch.status !== 202) throw await this.failure(patch, `upload chunk ${offset}-${offset + chunk.length - 1} of ${digest} to ${repository}`);
        await patch.body?.cancel().catch(() => {});
        const location = patch.headers.get('location');
        if (location) upload = new URL(location, url).toString();
      }
      ({ res } = await this.request('PUT', withDigest(upload), { scopes }));
    }
    if (res.status !== 201) throw await this.failure(res, `upload ${digest} to ${repository}`);
    await res.body?.cancel().catch(() => {});
    const echoed = res.headers.get('docker-content-digest');
    if (echoed && isDigest(echoed) && echoed !== digest) throw new RegistryError(this.registry, `uploaded ${digest} to ${repository}, the registry stored ${echoed}`);
    this.remember(digest, repository);
    return { digest, size, via: 'upload' };
  }

  // ---- Referrers ---------------------------------------------------------------------

  /** Referrers API where the registry has it; otherwise the `sha256-<hex>` tag schema. */
  async referrers(repository: string, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const { algorithm, hex } = parseDigest(digest);
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const { res, url } = await this.request('GET', `/v2/${repository}/referrers/${digest}${query}`, { scopes: [pullScope(repository)], headers: { Accept: MEDIA_TYPES.ociIndex } });
    let manifests: Descriptor[];
    if (res.ok) {
      const { manifest } = parseManifest(await this.bytes(res, url, `referrers of ${repository}@${digest}`), res.headers.get('content-type') ?? undefined, this.registry, `referrers of ${repository}@${digest}`);
      if (!isIndex(manifest)) throw new ManifestError(this.registry, `referrers of ${repository}@${digest}: the answer is not an index`);
      manifests = manifest.manifests;
    } else if (res.status === 404) {
      await res.body?.cancel().catch(() => {});
      try {
        const { manifest } = await this.fetchManifest(repository, `${algorithm}-${hex}`);
        manifests = isIndex(manifest) ? manifest.manifests : [];
      } catch (e) {
        if (e instanceof ArtifactNotFoundError && e.what !== 'repository') return [];
        throw e;
      }
    } else {
      throw await this.failure(res, `referrers of ${repository}@${digest}`);
    }
    return artifactType ? manifests.filter((m) => m.artifactType === artifactType) : manifests;
  }
}
