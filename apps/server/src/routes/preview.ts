import type { FastifyInstance } from 'fastify';
import { ERROR_CODES } from '@wgs/api-contract';
import type { PreviewHub } from '../preview-hub.ts';

/**
 * GET /api/preview (WebSocket): one live preview per connection. Browsers must
 * come from an allowed origin; every message is JSON, checked against the contract.
 */
export function registerPreviewRoute(app: FastifyInstance, hub: PreviewHub, allowedOrigins: string[]): void {
  app.get('/api/preview', {
    websocket: true,
    preValidation: async (req, reply) => {
      const origin = req.headers.origin;
      if (!origin) return;
      const own = [`http://${req.headers.host}`, `https://${req.headers.host}`];
      if (!own.includes(origin) && !allowedOrigins.includes(origin)) {
        return reply.status(403).send({ code: ERROR_CODES.unauthorized, message: `origin ${origin} is not allowed` });
      }
    },
  }, (socket) => {
    const connection = hub.connect(
      (m) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
      },
      () => socket.close(1000, 'idle'),
    );
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.send(JSON.stringify({ type: 'error', code: ERROR_CODES.badRequest, message: 'binary frames are not accepted; send JSON text' }));
        return;
      }
      void connection.handle(data.toString());
    });
    socket.on('close', () => void connection.dispose());
  });
}
