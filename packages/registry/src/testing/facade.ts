/**
 * TEST DOUBLE: an HTTP front for a real registry, on loopback. It forwards
 * every request to the real docker-registry behind it, and can
 * - act as a bearer-token registry: answer 401 with a `Bearer
 *   realm/service/scope` challenge unless the request carries a token it
 *   issued for a covering scope, and run the token service itself (counting
 *   token requests per scope, optionally requiring basic credentials);
 * - replace chosen answers (`intercept`) to simulate broken registries.
 * distribution cannot be configured for token auth without a separate token
 * server, so this stands in for that server and its check; the storage and
 * the OCI API behind it are the real registry's.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FacadeOptions {
  /** `host:port` of the real registry. */
  upstream: string;
  /** Require bearer tokens (issued by this facade's /token). */
  bearer?: {
    /** Credentials the token service requires (anonymous tokens otherwise). */
    username?: string;
    password?: string;
    expiresIn?: number;
  };
  /** Return a response to send instead of forwarding, or undefined to forward. */
  intercept?: (method: string, path: string) => { status: number; headers?: Record<string, string>; body?: string | Uint8Array } | undefined;
}

export interface Facade {
  host: string;
  /** Token requests received, by the space-joined scopes asked for. */
  tokenRequests: Map<string, number>;
  /** Registry requests received (method and path), in order. */
  requests: string[];
  stop(): Promise<void>;
}

interface Grant {
  scopes: string[];
  expires: number;
}

/** The scope a registry request needs. */
function neededScopes(method: string, url: URL): string[] {
  const path = url.pathname;
  if (path === '/v2/' || path === '/v2') return [];
  if (path.startsWith('/v2/_catalog')) return ['registry:catalog:*'];
  const m = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(path);
  if (!m) return [];
  const action = method === 'GET' || method === 'HEAD' ? 'pull' : 'push';
  const out = [`repository:${m[1]}:${action}`];
  const from = url.searchParams.get('from');
  if (from) out.push(`repository:${from}:pull`);
  return out;
}

function covers(granted: string[], needed: string): boolean {
  const [type, name, action] = needed.split(':');
  return granted.some((g) => {
    const [gt, gn, ga] = g.split(':');
    return gt === type && gn === name && (ga === '*' || (ga ?? '').split(',').includes(action!));
  });
}

export async function startFacade(o: FacadeOptions): Promise<Facade> {
  const [upHost, upPort] = o.upstream.split(':');
  const tokens = new Map<string, Grant>();
  const tokenRequests = new Map<string, number>();
  const requests: string[] = [];
  let issued = 0;
  let self = '';

  const issueToken = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean).sort();
    const key = scopes.join(' ');
    tokenRequests.set(key, (tokenRequests.get(key) ?? 0) + 1);
    const b = o.bearer!;
    if (b.username !== undefined) {
      const expected = `Basic ${Buffer.from(`${b.username}:${b.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
        return;
      }
    }
    const token = `test-token-${++issued}`;
    const expiresIn = b.expiresIn ?? 300;
    tokens.set(token, { scopes, expires: Date.now() + expiresIn * 1000 });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, expires_in: expiresIn }));
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const headers = { ...req.headers };
    delete headers.authorization;
    const up = httpRequest({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(up);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${self}`);
    if (url.pathname === '/token' && o.bearer) return issueToken(req, res, url);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const replaced = o.intercept?.(req.method ?? 'GET', url.pathname);
    if (o.bearer) {
      const needed = neededScopes(req.method ?? 'GET', url);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const grant = token ? tokens.get(token) : undefined;
      const ok = grant && grant.expires > Date.now() && needed.every((n) => covers(grant.scopes, n));
      if (!ok) {
        req.resume();
        const scope = needed.length ? `,scope="${needed.join(' ')}"` : '';
        res.writeHead(401, {
          'Content-Type': 'application/json',
          'WWW-Authenticate': `Bearer realm="http://${self}/token",service="wgs-test"${scope}`,
        });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return;
      }
    }
    if (replaced) {
      req.resume();
      res.writeHead(replaced.status, replaced.headers ?? {});
      res.end(replaced.body ?? '');
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    host: self,
    tokenRequests,
    requests,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
