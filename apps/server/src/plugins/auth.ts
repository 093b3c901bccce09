import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '@wgs/api-contract';
import { queryToken } from './query-token.ts';

/** Routes anyone may call: the health probe, and the icon browsers ask for on their own. */
const PUBLIC = new Set(['/healthz', '/favicon.ico']);
/** Browsers cannot set headers on a WebSocket: only there may the token come as `?token=`. */
const QUERY_TOKEN_ROUTES = new Set(['/api/preview']);

function presented(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  // The matched route, not the raw path: `/api/%70review` routes to the preview too.
  return QUERY_TOKEN_ROUTES.has(req.routeOptions.url ?? '') ? queryToken(req.url) : undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every route but the public ones needs `Authorization: Bearer <token>` (or `?token=` on the preview socket). */
export function registerAuth(app: FastifyInstance, token: string): void {
  app.addHook('onRequest', async (req, reply) => {
    if (PUBLIC.has(req.routeOptions.url ?? '')) return;
    const t = presented(req);
    if (!t || !same(t, token)) {
      return reply.status(401).send({ code: ERROR_CODES.unauthorized, message: 'missing or wrong token (Authorization: Bearer <token>)' });
    }
  });
}
