import { randomUUID } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { ERROR_CODES, PreviewClientMessage, type PreviewMessage, type PreviewServerMessage } from '@wgs/api-contract';
import { sinkFor, sourceFor, type ConnectorMessage, type SinkConnector, type SourceConnector } from '@wgs/connectors';
import { DEFAULT_NAMESPACE, endpointBrokerUrl, parseGraphDefinition, parseManifests, resolveSchemaUses, ValidationError, type DataflowGraphResource, type Diagnostic, type RegistrySchema } from '@wgs/graph-model';
import type { OpenedEndpoint } from '@wgs/registry';
import { DataflowSchemaError, PreviewSession, pullDataflow, sinkMessage, type PreviewOptions } from '@wgs/runtime';
import type { ResourceStore, SchemaStore } from '@wgs/cluster-store';

export interface PreviewHubOptions {
  /** The broker URL of a DataflowEndpoint (by name); rejects with a clear reason. */
  resolveBroker(endpoint: string): Promise<string>;
  registryDir?: string;
  /** Opens a RegistryEndpoint by name: where a data flow preview fetches each Graph node's graph and modules. */
  openRegistry?(name: string): Promise<OpenedEndpoint>;
  /** Where the schemas a data flow (or a `schemaRef` configuration) names are looked up; none: such a preview fails. */
  schemas?: SchemaStore;
  maxSessions: number;
  /** Open connections (sessions or not); the route refuses more. */
  maxConnections: number;
  idleMs: number;
  injectLimit: number;
  deadlineMs?: number;
  sampleRate?: number;
  /** A session's samples, errors and logs go out this long after the previous update at most (`PreviewSession`'s `minFlushGapMs`). */
  flushGapMs?: number;
}

/** How a connection reaches its client. */
export interface PreviewClient {
  send(m: PreviewServerMessage): void;
  /** False while the client has not read enough of what was sent: updates wait, coalesced. */
  canSend?(): boolean;
  close(): void;
}

/** One browser connection: at most one running preview, replaced on each start. */
class PreviewConnection {
  private session?: PreviewSession;
  private source?: SourceConnector;
  private sinks: SinkConnector[] = [];
  private idle?: NodeJS.Timeout;
  private starting = false;
  private disposed = false;
  private history: ConnectorMessage[] = [];
  /** Removes the module layouts a data flow preview pulled. */
  private cleanup?: () => Promise<void>;

  private readonly send: (m: PreviewServerMessage) => void;

  constructor(private readonly hub: PreviewHub, private readonly client: PreviewClient) {
    this.send = (m) => client.send(m);
    this.touch();
  }

  /** Idle = no message from the browser for idleMs: the session ends, releasing everything. */
  private touch(): void {
    clearTimeout(this.idle);
    if (this.disposed) return;
    this.idle = setTimeout(() => {
      // A start in progress is activity: wait for it, then count again.
      if (this.starting) return this.touch();
      void this.stop('idle timeout').then(() => this.client.close());
    }, this.hub.o.idleMs);
    this.idle.unref();
  }

  private error(code: string, message: string, where?: unknown[], id?: string): void {
    this.send({ type: 'error', code, message, ...(where ? { where } : {}), ...(id !== undefined ? { id } : {}) });
  }

  async handle(raw: string): Promise<void> {
    this.touch();
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      return this.error(ERROR_CODES.badRequest, `not JSON: ${(e as Error).message}`);
    }
    if (!Value.Check(PreviewClientMessage, parsed)) {
      const first = [...Value.Errors(PreviewClientMessage, parsed)][0];
      return this.error(ERROR_CODES.badRequest, `not a preview command: ${first ? `${first.path || '/'} ${first.message}` : 'unknown shape'}`);
    }
    const m = parsed as PreviewClientMessage;
    try {
      switch (m.type) {
        case 'start':
          return await this.start(m);
        case 'stop':
          return await this.stop('stopped by the client');
        case 'pause':
          return this.need().pause();
        case 'resume':
          return this.need().resume();
        case 'clear':
          return this.need().clear();
        case 'inject':
          await this.need().inject(this.toConnector(m.message), m.operation);
          // Answered so the client can tell its injection from a later error; the counts show it arrived.
          return this.send({ type: 'injected', ...(m.id !== undefined ? { id: m.id } : {}) });
        case 'replay':
          return await this.need().replay(this.need().recentSourceMessages(m.count));
        case 'inspect':
          return this.send({ type: 'inspect', operation: m.operation, samples: this.need().inspect(m.operation) });
        case 'ping':
          // touch() above was the point.
          return;
      }
    } catch (e) {
      this.error((e as { code?: string }).code ?? ERROR_CODES.badRequest, (e as Error).message, undefined, m.type === 'inject' ? m.id : undefined);
    }
  }

  private need(): PreviewSession {
    if (!this.session) throw Object.assign(new Error('no preview is running: send {"type":"start", ...} first'), { code: 'no-session' });
    return this.session;
  }

  private toConnector(p: PreviewMessage): ConnectorMessage {
    const payload = p.encoding === 'base64' ? new Uint8Array(Buffer.from(p.payload, 'base64')) : new TextEncoder().encode(p.payload);
    if (payload.length > this.hub.o.injectLimit) {
      throw Object.assign(new Error(`injected message is ${payload.length} bytes; the limit is ${this.hub.o.injectLimit}`), { code: ERROR_CODES.tooLarge });
    }
    return { topic: p.topic, payload, userProperties: p.userProperties ?? [], contentType: p.contentType };
  }

  private async start(m: Extract<PreviewClientMessage, { type: 'start' }>): Promise<void> {
    if (this.starting) return this.error(ERROR_CODES.conflict, 'a preview is already starting');
    const dataflow = m.dataflow !== undefined ? parseDataflow(m.dataflow) : undefined;
    const single = m.dataflow === undefined ? parseGraphDefinition(m.graph) : undefined;
    if (dataflow && !dataflow.resource) return this.error('invalid-dataflow', 'the DataflowGraph is not valid', located(dataflow.diagnostics));
    if (single && !single.graph) return this.error('invalid-graph', 'the graph definition is not valid', located(single.diagnostics));
    const previous = this.session?.recentSourceMessages() ?? this.history;
    await this.stop('replaced by a new preview', false);
    if (!this.hub.admit(this)) return this.error('too-many-sessions', `at most ${this.hub.o.maxSessions} previews run at once`);
    this.starting = true;
    try {
      const { destinations, ...run } = m.dataflow === undefined
        ? {
          graph: single!.graph!, configuration: m.configuration, sources: m.sources, endpoint: m.endpoint ?? 'default',
          schemas: await this.configurationSchemas(single!.graph!.metadata.name, m.configuration),
          // A graph's live run: every output to the one topic, on the source's endpoint.
          destinations: m.liveRun ? [{ endpoint: m.endpoint ?? 'default', topic: m.liveRun.destination }] : [],
        }
        : await this.dataflowRun(dataflow!.resource!, m.liveRun === true);
      const graph = run.graph;
      const brokerUrl = await this.hub.o.resolveBroker(run.endpoint);
      const onOutput = await this.openDestinations(destinations);
      this.session = await PreviewSession.start({
        ...run,
        registryDir: this.hub.o.registryDir,
        deadlineMs: this.hub.o.deadlineMs,
        sampleRate: this.hub.o.sampleRate,
        minFlushGapMs: this.hub.o.flushGapMs,
        canSend: this.client.canSend && (() => this.client.canSend!()),
        onOutput,
      }, (u) => this.send(u));
      // A clean MQTT session, or a Kafka group of its own that starts at the newest record: a preview never takes records from a running graph's group.
      this.source = sourceFor(brokerUrl, run.sources, { qos: 1, persistent: false, connectTimeoutMs: 3000, groupId: `wgs-preview-${randomUUID()}` });
      const session = this.session;
      const source = this.source;
      session.setSource(() => source.connection());
      await this.source.start((msg) => session.push(msg));
      // The browser left while the graph was loading: release it at once.
      if (this.disposed) return await this.stop('disconnected', false);
      this.send({ type: 'started', operations: graph.operations.map((o) => o.name) });
      if (m.replay) await this.session.replay(previous.slice(-m.replay));
    } catch (e) {
      await this.stop('failed to start', false);
      if (e instanceof DataflowSchemaError) this.error(ERROR_CODES.schemaNotFound, e.message, located(e.diagnostics));
      else if (e instanceof ValidationError) this.error('invalid-dataflow', e.message, located(e.diagnostics));
      else this.error('start-failed', (e as Error).message);
    } finally {
      this.starting = false;
      this.touch();
    }
  }

  async stop(reason: string, announce = true): Promise<void> {
    const session = this.session;
    const source = this.source;
    const sinks = this.sinks;
    this.session = undefined;
    this.source = undefined;
    this.sinks = [];
    if (session) this.history = session.recentSourceMessages();
    await source?.stop().catch(() => {});
    await session?.stop();
    await Promise.all(sinks.map((s) => s.stop().catch(() => {})));
    const cleanup = this.cleanup;
    this.cleanup = undefined;
    await cleanup?.();
    this.hub.release(this);
    if (session && announce) this.send({ type: 'stopped', reason });
  }

  /**
   * A data flow preview: every Graph node's graph and modules through its
   * registry endpoint, flattened into one graph (operations `<node>/<op>`),
   * read on the Source nodes' topics and endpoint.
   */
  private async dataflowRun(resource: DataflowGraphResource, liveRun: boolean): Promise<Pick<PreviewOptions, 'graph' | 'operationConfiguration' | 'operationRegistryDirs' | 'schemas' | 'operationModuleSchemas'> & { sources: string[]; endpoint: string; destinations: LiveDestination[] }> {
    const open = this.hub.o.openRegistry;
    if (!open) throw new Error('this server cannot open registry endpoints for a data flow preview');
    const pulled = await pullDataflow({ resource, openRegistry: open, ...(await this.availableSchemas()) });
    this.cleanup = pulled.cleanup;
    const { flat } = pulled;
    const endpoints = [...new Set(flat.source.nodes.map((n) => n.endpointRef))];
    if (endpoints.length > 1) throw new Error(`the Source nodes read from different endpoints (${endpoints.join(', ')}); a preview reads from one`);
    return {
      graph: flat.graph,
      operationConfiguration: flat.configuration,
      operationRegistryDirs: pulled.operationRegistryDirs,
      schemas: pulled.schemas,
      operationModuleSchemas: pulled.operationModuleSchemas,
      sources: [...new Set(flat.source.nodes.flatMap((n) => n.topics))],
      endpoint: endpoints[0]!,
      // A live run writes each Destination node's outputs (its sink) to its own topic and endpoint.
      destinations: liveRun ? flat.destinations.map((d) => ({ sink: d.sink, endpoint: d.endpointRef, topic: d.topic })) : [],
    };
  }

  /** What the schema store holds (read per start: a schema put a moment ago counts). */
  private async availableSchemas(): Promise<{ schemas: RegistrySchema[]; schemaSource: string }> {
    const store = this.hub.o.schemas;
    return store ? { schemas: (await store.list()).schemas, schemaSource: store.description } : { schemas: [], schemaSource: 'this server (it keeps no schemas)' };
  }

  /** A graph previewed alone: the schema its `schemaRef` configuration names (the filter's validateSchema), for every operator. */
  private async configurationSchemas(graph: string, configuration: Record<string, string> | undefined): Promise<RegistrySchema[]> {
    const ref = configuration?.schemaRef;
    if (!ref?.trim()) return [];
    const { schemas, schemaSource } = await this.availableSchemas();
    const resolved = resolveSchemaUses([{ ref, segments: ['configuration', 'schemaRef'], node: graph, fromConnection: false }], schemas, DEFAULT_NAMESPACE, schemaSource);
    if ('errors' in resolved) throw new DataflowSchemaError(resolved.errors);
    return resolved.schemas;
  }

  /** A live run's connectors (one per endpoint) and where each output goes; none: nothing is written. */
  private async openDestinations(destinations: LiveDestination[]): Promise<PreviewOptions['onOutput']> {
    if (!destinations.length) return undefined;
    const byEndpoint = new Map<string, SinkConnector>();
    for (const d of destinations) {
      if (byEndpoint.has(d.endpoint)) continue;
      const sink = sinkFor(await this.hub.o.resolveBroker(d.endpoint), { qos: 1, connectTimeoutMs: 3000 });
      this.sinks.push(sink);
      byEndpoint.set(d.endpoint, sink);
      await sink.start();
    }
    return ({ sink, item }) => {
      const d = destinations.find((x) => x.sink === undefined || x.sink === sink);
      return d && byEndpoint.get(d.endpoint)!.publish(sinkMessage(item, d.topic));
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.hub.disconnected(this);
    clearTimeout(this.idle);
    await this.stop('disconnected', false);
  }

  get running(): boolean {
    return !!this.session;
  }
}

/** All preview connections of the server, with a cap on concurrent sessions. */
export class PreviewHub {
  private readonly active = new Set<PreviewConnection>();
  private readonly connections = new Set<PreviewConnection>();

  constructor(readonly o: PreviewHubOptions) {}

  connect(client: PreviewClient): PreviewConnection {
    const c = new PreviewConnection(this, client);
    this.connections.add(c);
    return c;
  }

  disconnected(c: PreviewConnection): void {
    this.connections.delete(c);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  admit(c: PreviewConnection): boolean {
    if (this.active.size >= this.o.maxSessions) return false;
    this.active.add(c);
    return true;
  }

  release(c: PreviewConnection): void {
    this.active.delete(c);
  }

  get size(): number {
    return this.active.size;
  }

  metricsText(): string {
    return `# TYPE wgs_preview_connections gauge\nwgs_preview_connections ${this.connections.size}\n`;
  }
}

/**
 * Where a preview reads: the embedded broker for `default` (the cluster's
 * default endpoint is the in-cluster broker, out of reach here), otherwise the
 * MQTT endpoint's host. Kafka and OpenTelemetry sources are not previewable yet.
 */
export async function brokerOf(store: ResourceStore, name: string, embedded: string | undefined): Promise<string> {
  if (name === 'default' && embedded) return embedded;
  const ep = await store.get('DataflowEndpoint', name);
  if (!ep) throw Object.assign(new Error(`data flow endpoint "${name}" not found`), { code: 'not-found' });
  const read = endpointBrokerUrl(name, ep.spec as Parameters<typeof endpointBrokerUrl>[1], embedded ? new URL(embedded).host : undefined);
  if ('error' in read) throw Object.assign(new Error(read.error), { code: read.code });
  return read.url;
}

/** Where a live run writes: the outputs of `sink` (all when undefined) to `topic` on `endpoint`. */
interface LiveDestination {
  sink?: string;
  endpoint: string;
  topic: string;
}

/** The one DataflowGraph of a manifest (the designer sends the data flow's YAML), or why not. */
function parseDataflow(text: string): { resource?: DataflowGraphResource; diagnostics: Diagnostic[] } {
  const docs = parseManifests(text);
  if (docs.length !== 1) return { diagnostics: [{ path: '', message: `expected one DataflowGraph document, got ${docs.length}`, rule: 'dataflow', severity: 'error' }] };
  const [doc] = docs;
  if (doc!.resource && doc!.resource.kind !== 'DataflowGraph') return { diagnostics: [{ path: 'kind', message: `expected a DataflowGraph, got ${doc!.resource.kind}`, rule: 'dataflow', severity: 'error' }] };
  return { resource: doc!.resource as DataflowGraphResource | undefined, diagnostics: doc!.diagnostics };
}

const located = (diagnostics: Diagnostic[]) => diagnostics.map(({ segments: _s, ...d }: Diagnostic) => d);
