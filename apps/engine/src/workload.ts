/**
 * One running DataflowGraph: its graph artifacts and modules pulled from the
 * registry endpoints (pinned to the digests pulled), a GraphRunner, one source
 * connector per Source node and a sink per destination, delivering at least
 * once exactly like `wgs run`. A data flow of several transforms runs as one
 * flattened graph (runtime pullDataflow). Start failures carry the reason
 * code the status reports.
 */
import { isKafkaUrl, sinkFor, sourceFor, type ConnectionStats, type SinkConnector, type SourceConnector } from '@wgs/connectors';
import { dataflowStatefulReason, parseArtifactReference, statefulReason, ValidationError, type GraphDefinition } from '@wgs/graph-model';
import { EMBEDDED_HOST, graphImageReference, type OpenedEndpoint } from '@wgs/registry';
import { DataflowPullError, DataflowSchemaError, GraphRunner, pullDataflow, pullGraphWithModules, sinkMessage, type OperationCounters, type RunnerHealth, type RunnerOptions } from '@wgs/runtime';
import type { GraphPlan, ReasonCode } from './plan.ts';
import type { GraphEnds } from './status.ts';

export class StartError extends Error {
  constructor(readonly reasonCode: ReasonCode, message: string) {
    super(message);
    this.name = 'StartError';
  }
}

export interface WorkloadOptions {
  /** Names the graph in logs and connector client ids (`<namespace>/<name>`). */
  id: string;
  plan: GraphPlan;
  openRegistry(name: string): Promise<OpenedEndpoint>;
  /** State-store contents to start from (kept across a configuration change). */
  state?: [string, string][];
  log(line: string): void;
  connectTimeoutMs?: number;
}

/** A graph pulled and ready to run: its definition, digest, modules, and whether it keeps state across messages. */
export interface PreparedGraph {
  /** What the runner gets: the graph (flattened for several transforms), its modules' layouts and configuration. */
  run: Pick<RunnerOptions, 'graph' | 'registryDir' | 'configuration' | 'operationConfiguration' | 'operationRegistryDirs' | 'schemas' | 'operationModuleSchemas'> & { graph: GraphDefinition };
  /** The graph artifact's digest; `node=digest, …` for a flattened data flow. */
  digest: string;
  /** accumulate or delay operations, or a stateful built-in: it must run on exactly one replica. */
  stateful: boolean;
  /** Its source and sink operations, which the status counts as messages in and out. */
  ends: GraphEnds;
  /** Removes the pulled modules. */
  cleanup(): Promise<void>;
}

const endsOf = (graph: GraphDefinition): GraphEnds => ({
  sources: graph.operations.filter((op) => op.operationType === 'source').map((op) => op.name),
  sinks: graph.operations.filter((op) => op.operationType === 'sink').map((op) => op.name),
});

export async function prepareGraph(o: Pick<WorkloadOptions, 'id' | 'plan' | 'openRegistry' | 'log'>): Promise<PreparedGraph> {
  if (o.plan.flattened) return prepareFlattened(o);
  const transform = o.plan.transforms[0]!;
  let opened: OpenedEndpoint;
  try {
    opened = await o.openRegistry(transform.registryEndpoint);
  } catch (e) {
    throw new StartError('RegistryEndpointNotFound', `registry endpoint "${transform.registryEndpoint}": ${(e as Error).message}`);
  }
  let graphPulled = false;
  try {
    const ref = parseArtifactReference(opened.host === EMBEDDED_HOST ? transform.artifact : graphImageReference(opened.host, transform.artifact));
    const pulled = await pullGraphWithModules({
      store: opened.store,
      endpointHost: opened.host,
      repository: ref.repository,
      reference: ref.digest ?? ref.tag!,
      label: transform.artifact,
      log: (line) => {
        if (line.startsWith('graph ')) graphPulled = true;
        o.log(`${o.id}: ${line}`);
      },
    });
    const stateful = statefulReason(pulled.graph, transform.artifact) !== undefined;
    return { run: { graph: pulled.graph, registryDir: pulled.registryDir, configuration: transform.configuration }, digest: pulled.digest, stateful, ends: endsOf(pulled.graph), cleanup: pulled.cleanup };
  } catch (e) {
    const message = (e as Error).message;
    throw graphPulled
      ? new StartError('ModuleNotResolvable', `a module of ${transform.artifact} does not resolve: ${message}`)
      : new StartError('ArtifactNotFound', `graph artifact ${transform.artifact} on ${opened.host}: ${message}`);
  }
}

const PULL_REASONS: Record<DataflowPullError['stage'], ReasonCode> = { 'registry-endpoint': 'RegistryEndpointNotFound', artifact: 'ArtifactNotFound', module: 'ModuleNotResolvable' };

/** Several transforms: every node's graph and modules through its own registry endpoint, flattened into one graph. */
async function prepareFlattened(o: Pick<WorkloadOptions, 'id' | 'plan' | 'openRegistry' | 'log'>): Promise<PreparedGraph> {
  try {
    const pulled = await pullDataflow({ resource: o.plan.flattened!, openRegistry: o.openRegistry, log: (line) => o.log(`${o.id}: ${line}`), schemas: o.plan.schemas });
    const { flat } = pulled;
    return {
      run: { graph: flat.graph, operationConfiguration: flat.configuration, operationRegistryDirs: pulled.operationRegistryDirs, schemas: pulled.schemas, operationModuleSchemas: pulled.operationModuleSchemas },
      digest: Object.entries(pulled.digests).map(([node, digest]) => `${node}=${digest}`).join(', '),
      stateful: dataflowStatefulReason(flat) !== undefined,
      ends: endsOf(flat.graph),
      cleanup: pulled.cleanup,
    };
  } catch (e) {
    if (e instanceof DataflowPullError) throw new StartError(PULL_REASONS[e.stage], e.message);
    if (e instanceof DataflowSchemaError) throw new StartError('SchemaNotFound', e.message);
    if (e instanceof ValidationError) throw new StartError('UnsupportedGraph', e.diagnostics.map((d) => `${d.message} (at ${d.path})`).join('; '));
    throw e;
  }
}

export class GraphWorkload {
  private constructor(
    readonly plan: GraphPlan,
    readonly digest: string,
    private readonly runner: GraphRunner,
    private readonly sources: SourceConnector[],
    private readonly sinks: SinkConnector[],
  ) {}

  static async start(o: WorkloadOptions & { prepared: PreparedGraph; replica?: string }): Promise<GraphWorkload> {
    const { plan, prepared } = o;
    // A stateful graph runs on one replica (the lease holder) with the graph's own session, which a new holder resumes;
    // a stateless one runs on every replica, each with its own session in one shared subscription group.
    const shared = !prepared.stateful && !!o.replica;
    const base = `wgs-engine-${o.id.replace(/\//g, '-')}`;
    // One sink connector per destination; a flattened graph's sink operations are named after their Destination node.
    const destinations = plan.destinations.map((d, i) => {
      const clientId = i === 0 ? base : `${base}-${d.node}`;
      const sink = sinkFor(d.url, { qos: 1, clientId: shared ? `${clientId}-${o.replica}` : clientId, connectTimeoutMs: o.connectTimeoutMs, onConnection: (e) => o.log(`${o.id}: ${e.connector}: ${e.type}${e.reason ? `: ${e.reason}` : ''}`) });
      return { ...d, sink };
    });
    const bySink = new Map(destinations.map((d) => [d.node, d]));
    let runner: GraphRunner;
    try {
      runner = await GraphRunner.start({
        ...prepared.run,
        stateSeed: o.state,
        latenessMs: 2000,
        onOutput: ({ sink, item }) => {
          const d = plan.flattened ? bySink.get(sink) : destinations[0];
          return d?.sink.publish(sinkMessage(item, d.topic));
        },
      });
    } catch (e) {
      throw new StartError('InitFailed', (e as Error).message);
    }
    runner.on('error', (e) => o.log(`${o.id}: [${e.operation}] ${e.trap ? 'trap' : 'error'}: ${e.message}`));
    runner.on('restart-failed', (f) => o.log(`${o.id}: graph ${f.message} (attempt ${f.attempt})`));
    const sources = plan.sources.map((s) => sourceFor(s.url, shared && !isKafkaUrl(s.url) ? s.topics.map((t) => `$share/${base}/${t}`) : s.topics, {
      qos: 1,
      // One session per graph and source node (and replica, when shared): a restarted engine resumes it.
      clientId: shared ? `${base}-${s.node}-${o.replica}` : `${base}-${s.node}`,
      // Kafka: one consumer group per graph; its replicas share the partitions.
      groupId: s.groupId ?? base,
      connectTimeoutMs: o.connectTimeoutMs,
      onConnection: (e) => o.log(`${o.id}: ${e.connector}: ${e.type}${e.reason ? `: ${e.reason}` : ''}`),
    }));
    const w = new GraphWorkload(plan, prepared.digest, runner, sources, destinations.map((d) => d.sink));
    try {
      for (const d of destinations) await d.sink.start();
      for (const s of sources) await s.start((m) => runner.push(m));
    } catch (e) {
      await w.stop({ drainMs: 0 });
      throw new StartError('EndpointUnreachable', (e as Error).message);
    }
    return w;
  }

  counters(): Map<string, OperationCounters> {
    return this.runner.counters();
  }

  health(): { graph: RunnerHealth; connections: ConnectionStats[] } {
    return { graph: this.runner.health(), connections: [...this.sources.map((s) => s.connection()), ...this.sinks.map((s) => s.connection())] };
  }

  /** The state store's contents, to carry into the next start of this graph. */
  async state(): Promise<[string, string][] | undefined> {
    try {
      return (await this.runner.fetchStatus()).state;
    } catch {
      return undefined;
    }
  }

  /** Drains the sources (acknowledging what was processed), then stops. */
  async stop(o: { drainMs?: number } = {}): Promise<void> {
    await Promise.all(this.sources.map((s) => s.stop({ drainMs: o.drainMs ?? 5000 }).catch(() => {})));
    await this.runner.stop();
    await Promise.all(this.sinks.map((s) => s.stop().catch(() => {})));
  }
}
