import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ResourceStore, SchemaStore } from '@wgs/cluster-store';
import { ContentCache } from '@wgs/registry';
import type { ServerConfig } from './config.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandler } from './plugins/errors.ts';
import { registerRequestHygiene, REQUEST_LINE_OPTIONS } from './plugins/request-hygiene.ts';
import { redactUrl } from './plugins/query-token.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { ensureDefaults } from './defaults.ts';
import { brokerOf, PreviewHub } from './preview-hub.ts';
import { openEndpoint } from './registries.ts';
import { registerCopyArtifactsRoute } from './routes/copy-artifacts.ts';
import { registerDeploymentStatusRoute, registerDeployRoutes } from './routes/deploy.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerOverviewRoute } from './routes/overview.ts';
import { registerPreviewRoute } from './routes/preview.ts';
import { registerRegistryRoutes } from './routes/registries.ts';
import { registerResourceRoutes } from './routes/resources.ts';
import { registerSchemaRoutes } from './routes/schemas.ts';
import { registerWebApp } from './static.ts';

export interface AppDeps {
  /** Where graphs and endpoints are saved. */
  store: ResourceStore;
  /** The cluster deploys go to; undefined when none is configured. */
  cluster?: ResourceStore;
  /** Where message schemas are kept (default: the store's own, files or ConfigMaps). */
  schemas?: SchemaStore;
  registryDir?: string;
  /** The built designer to serve at /; default apps/web/dist (skipped when absent), false for none. */
  webDir?: string | false;
  /** Topics the sensor simulator publishes (it starts after the app): the preview's default for a definition opened alone. */
  simulatorTopics?: () => string[];
}

export async function buildApp(config: ServerConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.query.token'],
      // The designer is opened as /?token=… and the preview socket takes one too: never log it, however it is encoded.
      serializers: {
        req: (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    bodyLimit: config.bodyLimit,
    ...REQUEST_LINE_OPTIONS,
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(swagger, {
    openapi: { info: { title: 'WASM Graph Studio API', version: '0.1.0' }, components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } }, security: [{ token: [] }] },
  });
  await app.register(websocket, { options: { maxPayload: config.bodyLimit } });
  registerErrorHandler(app);
  registerRequestHygiene(app);
  registerSecurityHeaders(app);
  await ensureDefaults(deps.store, config.brokerUrl);
  // Before the auth hook: the page and its assets are public, the API is not.
  if (deps.webDir !== false) await registerWebApp(app, deps.webDir);
  registerAuth(app, config.token);
  // Browsers ask for it on their own, without the token: an empty answer, not a 401 in the console.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'public, max-age=86400').status(204).send());
  const schemas = deps.schemas ?? deps.store.schemas;
  const hub = new PreviewHub({
    resolveBroker: (name) => brokerOf(deps.store, name, config.brokerUrl),
    registryDir: deps.registryDir,
    openRegistry: (name) => openEndpoint(deps.store, name),
    schemas,
    maxSessions: config.maxPreviewSessions,
    idleMs: config.previewIdleMs,
    flushGapMs: config.previewFlushGapMs,
    injectLimit: config.injectLimit,
    maxConnections: config.maxPreviewConnections,
  });
  registerHealthRoutes(app, deps.store, hub);
  registerResourceRoutes(app, deps.store);
  if (schemas) registerSchemaRoutes(app, schemas);
  registerDeployRoutes(app, deps.store, deps.cluster);
  const registryCache = new ContentCache();
  registerCopyArtifactsRoute(app, deps.store, registryCache);
  registerDeploymentStatusRoute(app, deps.cluster);
  registerOverviewRoute(app, deps.store, deps.cluster);
  registerRegistryRoutes(app, deps.store, registryCache);
  registerPreviewRoute(app, hub, { allowedOrigins: config.allowedOrigins, sendBufferLimit: config.previewSendBufferLimit });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/info', async () => ({
    store: deps.store.description,
    cluster: deps.cluster?.description ?? null,
    storeIsCluster: deps.cluster === deps.store,
    namespace: config.namespace,
    broker: config.brokerUrl ?? null,
    previewIdleMs: config.previewIdleMs,
    simulatorTopics: deps.simulatorTopics?.() ?? [],
  }));
  return app;
}
