import type { FastifyInstance } from 'fastify';

/**
 * What the designer needs and nothing more: its own scripts (no eval: the
 * graph schemas are validated by generated code, graph-model/validators), Monaco's inline
 * styles and style attributes, Monaco's editor worker (a bundled file; blob:
 * kept for Monaco's fallback), frame thumbnails as data:/blob: images, and
 * the API and preview socket on this origin ('self' covers ws:/wss: there).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers without frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // The page's address may carry ?token= until the app removes it: never send it on.
  'referrer-policy': 'no-referrer',
};

/** On every answer, page, assets and API alike. Register first, so it covers the web app's own hook too. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [name, value] of Object.entries(HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });
}
