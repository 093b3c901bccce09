import type { FastifyInstance } from 'fastify';
import type { ResourceStore } from '@wgs/cluster-store';
import type { PreviewHub } from '../preview-hub.ts';

const started = Date.now();

export function registerHealthRoutes(app: FastifyInstance, store: ResourceStore, hub: PreviewHub): void {
  app.get('/healthz', async () => ({ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) }));

  /** Prometheus text: HTTP, preview and store gauges. */
  app.get('/metrics', async (_req, reply) => {
    const lines = [
      '# TYPE wgs_up gauge',
      'wgs_up 1',
      '# TYPE wgs_preview_sessions gauge',
      `wgs_preview_sessions ${hub.size}`,
      '# TYPE wgs_http_requests_total counter',
      `wgs_http_requests_total ${requests}`,
    ];
    try {
      const graphs = await store.list('DataflowGraph');
      lines.push('# TYPE wgs_graphs gauge', `wgs_graphs ${graphs.length}`);
    } catch {
      lines.push('# TYPE wgs_store_up gauge', 'wgs_store_up 0');
    }
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n${hub.metricsText()}`);
  });
  app.addHook('onResponse', async () => {
    requests++;
  });
}

let requests = 0;
