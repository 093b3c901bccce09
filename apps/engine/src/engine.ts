/**
 * The data flow engine: watches DataflowGraphs, DataflowEndpoints and
 * RegistryEndpoints of one namespace with client-node informers and runs each
 * enabled graph of its profile (GraphWorkload), restarting a graph when what
 * it was planned from changes (its spec, an endpoint, its registry endpoint),
 * stopping it when it is disabled or deleted, and writing its status through
 * the status subresource: at once when its health changes, its counters at
 * most every `statusIntervalMs`.
 */
import { CoreV1Api, CustomObjectsApi, makeInformer, PatchStrategy, setHeaderOptions, type Informer, type KubeConfig, type KubernetesObject, type ObjectCache, type V1ConfigMap } from '@kubernetes/client-node';
import { RESOURCE_GROUP, SCHEMA_LABEL_SELECTOR, schemaFromConfigMap, type DataflowGraphResource, type RegistrySchema } from '@wgs/graph-model';
import { openRegistryEndpoint, resolveRegistryEndpoint, type RegistryEndpointLikeResource } from '@wgs/registry';
import type { OperationCounters } from '@wgs/runtime';
import { isFailure, planArtifacts, planGraph, type GraphPlan, type ReasonCode } from './plan.ts';
import { buildStatus, shouldWrite, type GraphEnds, type GraphStatus, type HealthStatus } from './status.ts';
import { GraphLease } from './lease.ts';
import { GraphWorkload, prepareGraph, StartError, type PreparedGraph } from './workload.ts';

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
  /** Lease duration per graph: how long a stateful graph waits before another replica takes it over. */
  leaseSeconds?: number;
  connectTimeoutMs?: number;
  log?(line: string): void;
}

type Resource = KubernetesObject & { spec: unknown };

interface Entry {
  /** Start, stop and restart of one graph run one at a time. */
  queue: Promise<void>;
  workload?: GraphWorkload;
  /** Pulled and waiting (a stateful graph on a replica without its lease). */
  prepared?: PreparedGraph;
  /** A start after getting the lease is queued. */
  starting?: boolean;
  plan?: GraphPlan;
  state?: [string, string][];
  lease?: GraphLease;
  /** This replica's share of the status, last written. */
  replicaWritten?: { key: string; at: number };
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
  private readonly leases: ReturnType<typeof GraphLease.api>;
  private readonly informers = {} as Record<keyof typeof PLURALS, Informer<Resource> & ObjectCache<Resource>>;
  /** Message schemas: the namespace's ConfigMaps labelled wgs.dev/schema-name (graph-model SCHEMA_LABELS). */
  private schemaInformer?: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>;
  /** Schema ConfigMaps that cannot be read, last logged (each problem once). */
  private schemaProblems = new Set<string>();
  private readonly entries = new Map<string, Entry>();
  private reconcileTimer?: NodeJS.Timeout;
  private statusTimer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  private leasing = false;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly o: EngineOptions) {
    this.api = o.kubeconfig.makeApiClient(CustomObjectsApi);
    this.core = o.kubeconfig.makeApiClient(CoreV1Api);
    this.leases = GraphLease.api(o.kubeconfig);
    this.log = o.log ?? ((line) => console.log(line));
  }

  get profile(): string {
    return this.o.profile ?? 'default';
  }

  async start(): Promise<void> {
    for (const [key, plural] of Object.entries(PLURALS) as [keyof typeof PLURALS, string][]) {
      const path = `/apis/${RESOURCE_GROUP}/${VERSION}/namespaces/${this.o.namespace}/${plural}`;
      const informer = makeInformer<Resource>(this.o.kubeconfig, path, () => this.api.listNamespacedCustomObject({ group: RESOURCE_GROUP, version: VERSION, namespace: this.o.namespace, plural }));
      this.watch(informer, plural);
      this.informers[key] = informer;
    }
    this.schemaInformer = makeInformer<V1ConfigMap>(this.o.kubeconfig, `/api/v1/namespaces/${this.o.namespace}/configmaps`,
      () => this.core.listNamespacedConfigMap({ namespace: this.o.namespace, labelSelector: SCHEMA_LABEL_SELECTOR }), SCHEMA_LABEL_SELECTOR);
    this.watch(this.schemaInformer, 'schema configmaps');
    await Promise.all([...Object.values(this.informers), this.schemaInformer].map((i) => i.start()));
    this.log(`engine watching namespace ${this.o.namespace}, profile ${this.profile}`);
    this.statusTimer = setInterval(() => void this.tick(), Math.min(1000, this.o.statusIntervalMs ?? 3000));
    this.leaseTimer = setInterval(() => void this.leaseTick(), 250);
    this.scheduleReconcile();
  }

  /** Any change reconciles; a failed watch is started again. */
  private watch<T extends KubernetesObject>(informer: Informer<T>, what: string): void {
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, () => this.scheduleReconcile());
    informer.on('error', (e) => {
      if (this.stopped) return;
      this.log(`watch of ${what} failed: ${(e as Error)?.message ?? e}; watching again in 2 s`);
      setTimeout(() => void (!this.stopped && informer.start().catch(() => {})), 2000);
    });
  }

  /** The schemas the ConfigMaps hold; one that cannot be read is logged once and left out. */
  private schemas(): RegistrySchema[] {
    const out: RegistrySchema[] = [];
    const problems = new Set<string>();
    for (const cm of this.schemaInformer?.list(this.o.namespace) ?? []) {
      const s = schemaFromConfigMap(cm);
      if ('error' in s) problems.add(s.error);
      else out.push(s);
    }
    for (const p of problems) if (!this.schemaProblems.has(p)) this.log(`schema ConfigMap skipped: ${p}`);
    this.schemaProblems = problems;
    return out;
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
    const schemas = this.schemas();
    const present = new Set<string>();
    for (const g of graphs) {
      if ((g.spec?.profileRef ?? 'default') !== this.profile) continue;
      const name = g.metadata.name;
      present.add(name);
      const plan = planGraph(g, {
        dataflowEndpoint: (n) => this.informers.endpoints.get(n, this.o.namespace),
        registryEndpoint: (n) => this.registryEndpoint(n),
        schemas,
        schemaSource: `the schema ConfigMaps (labelled ${SCHEMA_LABEL_SELECTOR}) of namespace ${this.o.namespace}`,
      });
      const e = this.entry(name);
      e.deleted = false;
      const generation = (g.metadata as { generation?: number }).generation;
      if (isFailure(plan)) {
        if (e.fingerprint === `failed:${plan.reasonCode}:${plan.message}` && e.generation === generation) continue;
        e.fingerprint = `failed:${plan.reasonCode}:${plan.message}`;
        e.generation = generation;
        this.enqueue(name, async () => {
          await this.dropGraph(name, e);
          this.log(`${this.o.namespace}/${name}: not running (${plan.reasonCode}): ${plan.message}`);
          this.observe(e, plan.reasonCode === 'Disabled' ? 'Unknown' : 'Unavailable', plan.reasonCode, plan.reasonCode === 'Disabled' ? 'mode is Disabled: not running' : plan.message);
        });
        continue;
      }
      const retryDue = e.failedAt !== undefined && Date.now() - e.failedAt >= (this.o.retryMs ?? 10_000);
      if (e.fingerprint === plan.fingerprint && e.generation === generation && !retryDue) continue;
      e.fingerprint = plan.fingerprint;
      e.generation = generation;
      // Cleared now, not when the run begins: reconciles meanwhile must not queue the retry again.
      e.failedAt = undefined;
      this.enqueue(name, () => this.run(name, e, plan));
    }
    for (const [name, e] of this.entries) {
      if (present.has(name) || e.deleted) continue;
      e.deleted = true;
      this.enqueue(name, async () => {
        await this.dropGraph(name, e);
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

  private get pod(): string {
    return this.o.pod ?? 'local';
  }

  private async run(name: string, e: Entry, plan: GraphPlan): Promise<void> {
    // A configuration change keeps what the graph's state store holds.
    const state = (await e.workload?.state()) ?? e.state;
    await this.stopWorkload(name, e);
    await e.prepared?.cleanup();
    e.prepared = undefined;
    e.failedAt = undefined;
    e.plan = plan;
    e.state = state;
    this.observe(e, 'Unknown', 'Starting', 'pulling the graph and starting its operators');
    const id = `${this.o.namespace}/${name}`;
    e.lease ??= new GraphLease(this.leases, this.o.namespace, `wgs-graph-${name}`, this.pod, this.o.leaseSeconds ?? 15, (m) => this.log(`${id}: ${m}`));
    await e.lease.tick();
    try {
      e.prepared = await prepareGraph({ id, plan, log: this.log, openRegistry: (registry) => this.openRegistry(registry) });
      await this.startIfMine(name, e);
    } catch (err) {
      this.failed(id, e, err);
    }
    await this.writeStatus(name, e);
  }

  /** Starts the prepared graph here unless it is stateful and another replica holds its lease. */
  private async startIfMine(name: string, e: Entry): Promise<void> {
    const prepared = e.prepared;
    if (!prepared || !e.plan || e.workload) return;
    const id = `${this.o.namespace}/${name}`;
    if (prepared.stateful && !e.lease?.held) {
      this.observe(e, 'Unknown', 'Standby', 'stateful graph: another replica holds its lease');
      return;
    }
    e.workload = await GraphWorkload.start({
      id,
      plan: e.plan,
      prepared,
      state: e.state,
      replica: this.pod,
      connectTimeoutMs: this.o.connectTimeoutMs,
      log: this.log,
      openRegistry: (registry) => this.openRegistry(registry),
    });
    const from = e.plan.sources.map((s) => `${s.url} [${s.topics.join(', ')}]`).join('; ');
    const to = e.plan.destinations.map((d) => `${d.url} ${d.topic}`).join('; ');
    this.log(`${id}: running ${planArtifacts(e.plan)} (${e.workload.digest}${prepared.stateful ? ', stateful: this replica holds the lease' : ''}): ${from} -> ${to}`);
    this.observe(e, 'Available', 'Running', `running ${planArtifacts(e.plan)}`);
  }

  private failed(id: string, e: Entry, err: unknown): void {
    e.failedAt = Date.now();
    const reason = err instanceof StartError ? err.reasonCode : 'InitFailed';
    this.log(`${id}: not started (${reason}): ${(err as Error).message}`);
    this.observe(e, 'Unavailable', reason, (err as Error).message);
  }

  /**
   * A RegistryEndpoint by name; `default` without a resource of that name is
   * the engine's own embedded registry, which ships the built-in transforms
   * (as the reference's `default` points at its public registry).
   */
  private registryEndpoint(name: string): RegistryEndpointLikeResource & { metadata: { resourceVersion?: string } } | undefined {
    return resolveRegistryEndpoint(name, this.informers.registries.get(name, this.o.namespace) as (RegistryEndpointLikeResource & { metadata: { resourceVersion?: string } }) | undefined);
  }

  private async openRegistry(registry: string) {
    const r = this.registryEndpoint(registry);
    if (!r) throw new Error('not found');
    return openRegistryEndpoint(r, (secret) => this.readPullSecret(secret));
  }

  private async stopWorkload(name: string, e: Entry): Promise<void> {
    const w = e.workload;
    e.workload = undefined;
    if (!w) return;
    e.state = await w.state();
    await w.stop();
    this.log(`${this.o.namespace}/${name}: stopped`);
  }

  /** Stops and forgets a graph: its pulled modules and its lease go too. */
  private async dropGraph(name: string, e: Entry): Promise<void> {
    await this.stopWorkload(name, e);
    await e.prepared?.cleanup();
    e.prepared = undefined;
    e.plan = undefined;
    await e.lease?.release();
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

  /** Renews or takes the graphs' leases; a stateful graph follows its lease: started when this replica gets it, stopped when it loses it. */
  private async leaseTick(): Promise<void> {
    if (this.stopped || this.leasing) return;
    this.leasing = true;
    try {
      for (const [name, e] of this.entries) {
        if (!e.lease || !e.plan) continue;
        const held = await e.lease.tick();
        if (e.prepared?.stateful && held && !e.workload && !e.starting) {
          e.starting = true;
          this.enqueue(name, () => this.startIfMine(name, e).catch((err) => this.failed(`${this.o.namespace}/${name}`, e, err)).finally(() => (e.starting = false)));
        } else if (e.prepared?.stateful && !held && e.workload) {
          this.log(`${this.o.namespace}/${name}: lease lost; stopping`);
          this.enqueue(name, async () => {
            await this.stopWorkload(name, e);
            this.observe(e, 'Unknown', 'Standby', 'stateful graph: another replica holds its lease');
          });
        }
      }
    } finally {
      this.leasing = false;
    }
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
      else this.observe(e, 'Available', 'Running', `running ${planArtifacts(w.plan)}`);
    }
    await Promise.all([...this.entries].map(([name, e]) => this.writeStatus(name, e)));
  }

  /**
   * Every replica writes its own entry under `status.replicas.<pod>` (a merge
   * patch touches nothing else); the replica holding the graph's lease also
   * writes the overall status, its counters summed over the fresh entries.
   */
  private async writeStatus(name: string, e: Entry): Promise<void> {
    if (e.deleted || this.stopped) return;
    const now = Date.now();
    const interval = this.o.statusIntervalMs ?? 3000;
    const ends = e.prepared?.ends;
    const mine = replicaEntry(e.health, e.reasonCode, e.workload?.counters(), now, ends);
    const key = JSON.stringify([mine.health, mine.reasonCode, mine.counters]);
    const patch: Record<string, unknown> = {};
    const healthChanged = e.replicaWritten && JSON.parse(e.replicaWritten.key)[0] !== mine.health;
    if (!e.replicaWritten || (key !== e.replicaWritten.key && (healthChanged || now - e.replicaWritten.at >= interval))) patch.replicas = { [this.pod]: mine };
    if (!e.plan || !e.lease || e.lease.held) {
      const others = this.replicaEntries(name);
      const fresh = Object.entries(others).filter(([pod, r]) => pod !== this.pod && now - r.at < 5 * interval);
      const counters = sumCounters([e.workload?.counters(), ...fresh.map(([, r]) => r.operations)]);
      const status = buildStatus({
        health: e.health,
        reasonCode: e.reasonCode,
        message: e.message,
        generation: e.generation,
        digest: e.workload?.digest ?? e.prepared?.digest,
        counters,
        ends,
        pod: this.pod,
      }, e.written?.status, new Date(now));
      if (shouldWrite(status, e.written, now, interval)) {
        Object.assign(patch, status);
        // Entries of replicas that stopped writing long ago (gone pods) are removed.
        const stale = Object.entries(others).filter(([pod, r]) => pod !== this.pod && now - r.at > 20 * interval);
        if (stale.length) patch.replicas = { ...(patch.replicas as object | undefined), ...Object.fromEntries(stale.map(([pod]) => [pod, null])) };
        e.written = { status, at: now };
      }
    }
    if (!Object.keys(patch).length) return;
    try {
      await this.api.patchNamespacedCustomObjectStatus(
        { group: RESOURCE_GROUP, version: VERSION, namespace: this.o.namespace, plural: PLURALS.graphs, name, body: { status: patch } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      if (patch.replicas) e.replicaWritten = { key, at: now };
    } catch (err) {
      e.written = undefined;
      this.log(`${this.o.namespace}/${name}: writing status failed: ${(err as Error).message}`);
    }
  }

  private replicaEntries(name: string): Record<string, ReplicaEntry> {
    const g = this.informers.graphs.get(name, this.o.namespace) as { status?: { replicas?: Record<string, ReplicaEntry> } } | undefined;
    return g?.status?.replicas ?? {};
  }

  /** Status of each graph as last written (for tests and the CLI). */
  statuses(): Map<string, GraphStatus | undefined> {
    return new Map([...this.entries].map(([n, e]) => [n, e.written?.status]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconcileTimer);
    clearInterval(this.statusTimer);
    clearInterval(this.leaseTimer);
    await Promise.all([...Object.values(this.informers), this.schemaInformer].map((i) => i?.stop().catch(() => {})));
    // Leases are given up, so another replica takes the stateful graphs over at once.
    await Promise.all([...this.entries].map(async ([name, e]) => {
      await e.queue;
      await this.dropGraph(name, e);
    }));
  }
}

/** One replica's share of a graph's status. */
export interface ReplicaEntry {
  health: HealthStatus;
  reasonCode: ReasonCode;
  counters?: { messagesIn: number; messagesOut: number; errors: number };
  operations?: Record<string, OperationCounters>;
  at: number;
}

function replicaEntry(health: HealthStatus, reasonCode: ReasonCode, counters: Map<string, OperationCounters> | undefined, at: number, ends?: GraphEnds): ReplicaEntry {
  const ops = counters ? Object.fromEntries(counters) : undefined;
  const total = ops ? buildStatus({ health, reasonCode, message: '', counters, ends, pod: '' }, undefined, new Date(at)).counters : undefined;
  return { health, reasonCode, ...(total ? { counters: { messagesIn: total.messagesIn, messagesOut: total.messagesOut, errors: total.errors } } : {}), ...(ops ? { operations: ops } : {}), at };
}

/** Operation counters added up over replicas. */
function sumCounters(parts: (Map<string, OperationCounters> | Record<string, OperationCounters> | undefined)[]): Map<string, OperationCounters> | undefined {
  const present = parts.filter((p): p is Map<string, OperationCounters> | Record<string, OperationCounters> => !!p);
  if (!present.length) return undefined;
  const out = new Map<string, OperationCounters>();
  for (const p of present) {
    for (const [op, c] of p instanceof Map ? p : Object.entries(p)) {
      const t = out.get(op) ?? { in: 0, out: 0, dropped: 0, errors: 0 };
      out.set(op, { in: t.in + c.in, out: t.out + c.out, dropped: t.dropped + c.dropped, errors: t.errors + c.errors });
    }
  }
  return out;
}
