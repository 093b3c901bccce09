/**
 * One running DataflowGraph: its graph artifact and modules pulled from the
 * registry endpoint (pinned to the digest pulled), a GraphRunner, one source
 * connector per Source node and a sink for the destination, delivering at
 * least once exactly like `wgs run`. Start failures carry the reason code the
 * status reports.
 */
import { isKafkaUrl, sinkFor, sourceFor, type ConnectionStats, type SinkConnector, type SourceConnector } from '@wgs/connectors';
import { parseArtifactReference, statefulReason } from '@wgs/graph-model';
import { EMBEDDED_HOST, graphImageReference, type OpenedEndpoint } from '@wgs/registry';
import { GraphRunner, pullGraphWithModules, sinkMessage, type OperationCounters, type PulledGraph, type RunnerHealth } from '@wgs/runtime';
import type { GraphPlan, ReasonCode } from './plan.ts';

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
  pulled: PulledGraph;
  digest: string;
  /** accumulate or delay operations: it must run on exactly one replica. */
  stateful: boolean;
}

export async function prepareGraph(o: Pick<WorkloadOptions, 'id' | 'plan' | 'openRegistry' | 'log'>): Promise<PreparedGraph> {
  const { plan } = o;
  let opened: OpenedEndpoint;
  try {
    opened = await o.openRegistry(plan.transform.registryEndpoint);
  } catch (e) {
    throw new StartError('RegistryEndpointNotFound', `registry endpoint "${plan.transform.registryEndpoint}": ${(e as Error).message}`);
  }
  let graphPulled = false;
  try {
    const ref = parseArtifactReference(opened.host === EMBEDDED_HOST ? plan.transform.artifact : graphImageReference(opened.host, plan.transform.artifact));
    const pulled = await pullGraphWithModules({
      store: opened.store,
      endpointHost: opened.host,
      repository: ref.repository,
      reference: ref.digest ?? ref.tag!,
      label: plan.transform.artifact,
      log: (line) => {
        if (line.startsWith('graph ')) graphPulled = true;
        o.log(`${o.id}: ${line}`);
      },
    });
    const stateful = statefulReason(pulled.graph, plan.transform.artifact) !== undefined;
    return { pulled, digest: pulled.digest, stateful };
  } catch (e) {
    const message = (e as Error).message;
    throw graphPulled
      ? new StartError('ModuleNotResolvable', `a module of ${plan.transform.artifact} does not resolve: ${message}`)
      : new StartError('ArtifactNotFound', `graph artifact ${plan.transform.artifact} on ${opened.host}: ${message}`);
  }
}

export class GraphWorkload {
  private constructor(
    readonly plan: GraphPlan,
    readonly digest: string,
    private readonly runner: GraphRunner,
    private readonly sources: SourceConnector[],
    private readonly sink: SinkConnector,
  ) {}

  static async start(o: WorkloadOptions & { prepared: PreparedGraph; replica?: string }): Promise<GraphWorkload> {
    const { plan, prepared } = o;
    const pulled = prepared.pulled;
    // A stateful graph runs on one replica (the lease holder) with the graph's own session, which a new holder resumes;
    // a stateless one runs on every replica, each with its own session in one shared subscription group.
    const shared = !prepared.stateful && !!o.replica;
    const base = `wgs-engine-${o.id.replace(/\//g, '-')}`;
    const sink = sinkFor(plan.destination.url, { qos: 1, clientId: shared ? `${base}-${o.replica}` : base, connectTimeoutMs: o.connectTimeoutMs, onConnection: (e) => o.log(`${o.id}: ${e.connector}: ${e.type}${e.reason ? `: ${e.reason}` : ''}`) });
    let runner: GraphRunner;
    try {
      runner = await GraphRunner.start({
        graph: pulled.graph,
        registryDir: pulled.registryDir,
        configuration: plan.transform.configuration,
        stateSeed: o.state,
        latenessMs: 2000,
        onOutput: ({ item }) => sink.publish(sinkMessage(item, plan.destination.topic)),
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
    const w = new GraphWorkload(plan, pulled.digest, runner, sources, sink);
    try {
      await sink.start();
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
    return { graph: this.runner.health(), connections: [...this.sources.map((s) => s.connection()), this.sink.connection()] };
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
    await this.sink.stop().catch(() => {});
  }
}
