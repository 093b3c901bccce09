import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ERROR_CODES, type PreviewServerMessage } from '@wgs/api-contract';
import type { PreviewHub } from '../preview-hub.ts';

export interface PreviewRouteOptions {
  /** The designer's public origins; empty: 127.0.0.1 and localhost on the bound port. */
  allowedOrigins: string[];
  /** Unread bytes above which updates are held and coalesced; 4× this closes the socket. */
  sendBufferLimit: number;
}

/** Close codes a client can act on (RFC 6455: 1008 policy violation, 1013 try again later). */
export const CLOSE_TOO_MANY = 1013;
export const CLOSE_NOT_READING = 1008;

function originsFor(app: FastifyInstance, configured: string[]): string[] {
  if (configured.length) return configured;
  const port = (app.server.address() as AddressInfo | null)?.port;
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * GET /api/preview (WebSocket): one live preview per connection. Browsers must
 * come from a configured origin (never one derived from the Host header: a
 * DNS-rebinding page controls it); every message is JSON, checked against the contract.
 */
export function registerPreviewRoute(app: FastifyInstance, hub: PreviewHub, o: PreviewRouteOptions): void {
  app.get('/api/preview', {
    websocket: true,
    preValidation: async (req, reply) => {
      const origin = req.headers.origin;
      // No Origin: not a browser page (the CLI, a script); the token alone decides.
      if (origin === undefined) return;
      if (!originsFor(app, o.allowedOrigins).includes(origin)) {
        return reply.status(403).send({ code: ERROR_CODES.unauthorized, message: `origin ${origin} is not allowed (WGS_PUBLIC_ORIGIN)` });
      }
    },
  }, (socket) => {
    // Refused after the upgrade, so a browser sees the reason in the close event.
    if (hub.connectionCount >= hub.o.maxConnections) {
      socket.close(CLOSE_TOO_MANY, `too many preview connections (at most ${hub.o.maxConnections}); try again later`);
      return;
    }
    const send = (m: PreviewServerMessage) => {
      if (socket.readyState !== socket.OPEN) return;
      // Updates are held back long before this; only answers to a client that sends but never reads get here.
      if (socket.bufferedAmount > 4 * o.sendBufferLimit) return socket.close(CLOSE_NOT_READING, 'the client does not read its messages');
      socket.send(JSON.stringify(m));
    };
    const connection = hub.connect({
      send,
      canSend: () => socket.bufferedAmount <= o.sendBufferLimit,
      close: () => socket.close(1000, 'idle'),
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        send({ type: 'error', code: ERROR_CODES.badRequest, message: 'binary frames are not accepted; send JSON text' });
        return;
      }
      void connection.handle(data.toString());
    });
    socket.on('close', () => void connection.dispose());
  });
}
