/**
 * Serves the designer (apps/web/dist, built by `pnpm build`) at /: files as
 * they are, and index.html for any other non-API page a browser navigates to
 * (Accept: text/html), so client-side routes load the app; other clients
 * still get the API's JSON 404 for unknown paths.
 * The page and its assets need no token; the API behind them does.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** `WGS_WEB_DIR`, else apps/web/dist of this checkout. */
export function webAppDir(): string {
  return process.env.WGS_WEB_DIR ?? fileURLToPath(new URL('../../web/dist', import.meta.url));
}

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/metrics';

/**
 * Registers the web app when `dir` holds an index.html; returns whether it did.
 * Must be called before the auth hook: it answers page requests itself, so
 * the token check (and every later hook) is skipped for them.
 */
export async function registerWebApp(app: FastifyInstance, dir: string = webAppDir()): Promise<boolean> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, { root, serve: false, index: false, cacheControl: false });
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0]!);
    } catch {
      return;
    }
    if (isApiPath(path)) return;
    const full = resolve(root, `.${path}`);
    const inside = full.startsWith(root + sep);
    const isFile = inside && existsSync(full) && statSync(full).isFile();
    const wantsPage = path === '/' || (req.headers.accept ?? '').includes('text/html');
    if (!isFile && !wantsPage) return;
    const file = isFile ? full.slice(root.length + 1).split(sep).join('/') : 'index.html';
    // Hashed assets never change; the page itself is always revalidated.
    return reply
      .header('cache-control', file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      .sendFile(file);
  });
  return true;
}
