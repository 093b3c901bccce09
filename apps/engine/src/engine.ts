/**
 * The data flow engine: watches DataflowGraphs, DataflowEndpoints and
 * RegistryEndpoints of one namespace with client-node informers and runs each
 * enabled graph of its profile (GraphWorkload), restarting a graph when what
 * it was planned from changes (its spec, an endpoint, its registry endpoint),
 * stopping it when it is disabled or deleted, and writing its status through
 * the status subresource: at once when its health changes, its counters at
 * most every `statusIntervalMs`.
 */
import { CoreV1Api, CustomObjectsApi, makeInformer, PatchStrategy, setHeaderOptions, type Informer, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { RESOURCE_GROUP, type DataflowGraphResource } from '@wgs/graph-model';
import { openRegistryEndpoint } from '@wgs/registry';
import { isFailure, planGraph, type GraphPlan, type ReasonCode } from './plan.ts';
import { buildStatus, shouldWrite, type GraphStatus, type HealthStatus } from './status.ts';
import { GraphWorkload, StartError } from './workload.ts';

export interface EngineOptions {
  kubeconfig: KubeConfig;
  namespace: string;
  /** The DataflowProfile whose graphs this engine runs (`spec.profileRef`, default `default`). */
  profile?: string;
  /** Names this replica in the status (a pod's name in a cluster). */
  pod?: string;
  statusIntervalMs?: number;
  /** A graph that failed to start is tried again after this long (an artifact may be pushed later). */
  retryMs?: number;
  connectTimeoutMs?: number;
  log?(line: string): void;
}

type Resource = KubernetesObject & { spec: unknown };

interface Entry {
  /** Start, stop and restart of one graph run one at a time. */
  queue: Promise<void>;
  workload?: GraphWorkload;
  fingerprint?: string;
  generation?: number;
  health: HealthStatus;
  reasonCode: ReasonCode;
  message: string;
  failedAt?: number;
  written?: { status: GraphStatus; at: number };
  deleted?: boolean;
}

const PLURALS = { graphs: 'dataflowgraphs', endpoints: 'dataflowendpoints', registries: 'registryendpoints' } as const;
const VERSION = 'v1';

export class Engine {
  private readonly api: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly informers = {} as Record<keyof typeof PLURALS, Informer<Resource> & ObjectCache<Resource>>;
  private readonly entries = new Map<string, Entry>();
  private reconcileTimer?: NodeJS.Timeout;
  private statusTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly o: EngineOptions) {
    this.api = o.kubeconfig.makeApiClient(CustomObjectsApi);
    this.core = o.kubeconfig.makeApiClient(CoreV1Api);
    this.log = o.log ?? ((line) => console.log(line));
  }

  get profile(): string {
    return this.o.profile ?? 'default';
  }

  async start(): Promise<void> {
    for (const [key, plural] of Object.entries(PLURALS) as [keyof typeof PLURALS, string][]) {
      const path = `/apis/${RESOURCE_GROUP}/${VERSION}/namespaces/${this.o.namespace}/${plural}`;
      const informer = makeInformer<Resource>(this.o.kubeconfig, path, () => this.api.listNamespacedCustomObject({ group: RESOURCE_GROUP, version: VERSION, namespace: this.o.namespace, plural }));
      for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, () => this.scheduleReconcile());
      informer.on('error', (e) => {
        this.log(`watch of ${plural} failed: ${(e as Error)?.message ?? e}; watching again in 2 s`);
        setTimeout(() => void (!this.stopped && informer.start().catch(() => {})), 2000);
      });
      this.informers[key] = informer;
    }
    await Promise.all(Object.values(this.informers).map((i) => i.start()));
    this.log(`engine watching namespace ${this.o.namespace}, profile ${this.profile}`);
    this.statusTimer = setInterval(() => void this.tick(), Math.min(1000, this.o.statusIntervalMs ?? 3000));
    this.scheduleReconcile();
  }

  private scheduleReconcile(): void {
    if (this.stopped || this.reconcileTimer) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = undefined;
      this.reconcile();
    }, 100);
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = { queue: Promise.resolve(), health: 'Unknown', reasonCode: 'Starting', message: 'not started yet' };
      this.entries.set(name, e);
    }
    return e;
  }

  private reconcile(): void {
    const graphs = this.informers.graphs.list(this.o.namespace) as unknown as DataflowGraphResource[];
    const present = new Set<string>();
    for (const g of graphs) {
      if ((g.spec?.profileRef ?? 'default') !== this.profile) continue;
      const name = g.metadata.name;
      present.add(name);
      const plan = planGraph(g, {
        dataflowEndpoint: (n) => this.informers.endpoints.get(n, this.o.namespace),
        registryEndpoint: (n) => this.informers.registries.get(n, this.o.namespace) as { metadata: { resourceVersion?: string }; spec: unknown } | undefined,
      });
      const e = this.entry(name);
      e.deleted = false;
      const generation = (g.metadata as { generation?: number }).generation;
      if (isFailure(plan)) {
        if (e.fingerprint === `failed:${plan.reasonCode}:${plan.message}` && e.generation === generation) continue;
        e.fingerprint = `failed:${plan.reasonCode}:${plan.message}`;
        e.generation = generation;
        this.enqueue(name, async () => {
          await this.stopWorkload(name, e);
          this.observe(e, plan.reasonCode === 'Disabled' ? 'Unknown' : 'Unavailable', plan.reasonCode, plan.reasonCode === 'Disabled' ? 'mode is Disabled: not running' : plan.message);
        });
        continue;
      }
      const retryDue = e.failedAt !== undefined && Date.now() - e.failedAt >= (this.o.retryMs ?? 10_000);
      if (e.fingerprint === plan.fingerprint && e.generation === generation && !retryDue) continue;
      e.fingerprint = plan.fingerprint;
      e.generation = generation;
      this.enqueue(name, () => this.run(name, e, plan));
    }
    for (const [name, e] of this.entries) {
      if (present.has(name) || e.deleted) continue;
      e.deleted = true;
      this.enqueue(name, async () => {
        await this.stopWorkload(name, e);
        if (!e.deleted) return;
        this.entries.delete(name);
        this.log(`${this.o.namespace}/${name}: deleted`);
      });
    }
  }

  private enqueue(name: string, work: () => Promise<void>): void {
    const e = this.entry(name);
    e.queue = e.queue.then(work).catch((err: Error) => this.log(`${this.o.namespace}/${name}: ${err.message}`));
  }

  private async run(name: string, e: Entry, plan: GraphPlan): Promise<void> {
    // A configuration change keeps what the graph's state store holds.
    const state = await e.workload?.state();
    await this.stopWorkload(name, e);
    e.failedAt = undefined;
    this.observe(e, 'Unknown', 'Starting', 'pulling the graph and starting its operators');
    const id = `${this.o.namespace}/${name}`;
    try {
      e.workload = await GraphWorkload.start({
        id,
        plan,
        state,
        connectTimeoutMs: this.o.connectTimeoutMs,
        log: this.log,
        openRegistry: async (registry) => {
          const r = this.informers.registries.get(registry, this.o.namespace);
          if (!r) throw new Error('not found');
          return openRegistryEndpoint(r as Parameters<typeof openRegistryEndpoint>[0], (secret) => this.readPullSecret(secret));
        },
      });
      this.log(`${id}: running ${plan.transform.artifact} (${e.workload.digest})`);
      this.observe(e, 'Available', 'Running', `running ${plan.transform.artifact}`);
    } catch (err) {
      e.failedAt = Date.now();
      const reason = err instanceof StartError ? err.reasonCode : 'InitFailed';
      this.log(`${id}: not started (${reason}): ${(err as Error).message}`);
      this.observe(e, 'Unavailable', reason, (err as Error).message);
    }
    await this.writeStatus(name, e);
  }

  private async stopWorkload(name: string, e: Entry): Promise<void> {
    const w = e.workload;
    e.workload = undefined;
    if (!w) return;
    await w.stop();
    this.log(`${this.o.namespace}/${name}: stopped`);
  }

  private observe(e: Entry, health: HealthStatus, reasonCode: ReasonCode, message: string): void {
    e.health = health;
    e.reasonCode = reasonCode;
    e.message = message;
  }

  private async readPullSecret(name: string): Promise<string | undefined> {
    const s = await this.core.readNamespacedSecret({ name, namespace: this.o.namespace });
    const data = s.data?.['.dockerconfigjson'];
    return data ? Buffer.from(data, 'base64').toString('utf8') : undefined;
  }

  /** Refreshes health from the running workloads, retries failed starts, writes what is due. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    for (const e of this.entries.values()) {
      if (e.failedAt !== undefined && Date.now() - e.failedAt >= (this.o.retryMs ?? 10_000)) this.scheduleReconcile();
      const w = e.workload;
      if (!w) continue;
      const h = w.health();
      if (h.graph.state === 'restarting') this.observe(e, 'Degraded', 'OperatorFaults', `graph restarting: ${h.graph.lastError ?? ''}`);
      else if (h.connections.some((c) => !c.connected)) this.observe(e, 'Degraded', 'EndpointUnreachable', h.connections.find((c) => !c.connected)?.lastError ?? 'an endpoint is disconnected');
      else this.observe(e, 'Available', 'Running', `running ${w.plan.transform.artifact}`);
    }
    await Promise.all([...this.entries].map(([name, e]) => this.writeStatus(name, e)));
  }

  private async writeStatus(name: string, e: Entry): Promise<void> {
    if (e.deleted || this.stopped) return;
    const status = buildStatus({
      health: e.health,
      reasonCode: e.reasonCode,
      message: e.message,
      generation: e.generation,
      digest: e.workload?.digest,
      counters: e.workload?.counters(),
      pod: this.o.pod ?? 'local',
    }, e.written?.status, new Date());
    const now = Date.now();
    if (!shouldWrite(status, e.written, now, this.o.statusIntervalMs ?? 3000)) return;
    try {
      await this.api.patchNamespacedCustomObjectStatus(
        { group: RESOURCE_GROUP, version: VERSION, namespace: this.o.namespace, plural: PLURALS.graphs, name, body: { status } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      e.written = { status, at: now };
    } catch (err) {
      this.log(`${this.o.namespace}/${name}: writing status failed: ${(err as Error).message}`);
    }
  }

  /** Status of each graph as last written (for tests and the CLI). */
  statuses(): Map<string, GraphStatus | undefined> {
    return new Map([...this.entries].map(([n, e]) => [n, e.written?.status]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconcileTimer);
    clearInterval(this.statusTimer);
    await Promise.all(Object.values(this.informers).map((i) => i.stop().catch(() => {})));
    await Promise.all([...this.entries].map(async ([name, e]) => {
      await e.queue;
      await this.stopWorkload(name, e);
    }));
  }
}
