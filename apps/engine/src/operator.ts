/**
 * `wgs engine --operator`: keeps one engine Deployment per DataflowProfile
 * with `replicas = spec.instanceCount` (see profile-deployments.ts), and
 * removes the copies of profiles that are gone. Watches profiles with an
 * informer and also reconciles every 30 s (someone may edit a Deployment).
 */
import { ApiException, AppsV1Api, CustomObjectsApi, makeInformer, type Informer, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { RESOURCE_GROUP } from '@wgs/graph-model';
import { MANAGED_BY, needsUpdate, profileDeployment, PROFILE_LABEL } from './profile-deployments.ts';

export interface OperatorOptions {
  kubeconfig: KubeConfig;
  namespace: string;
  /** The engine Deployment the others are derived from (deploy/engine: `wgs-engine`). */
  template?: string;
  log?(line: string): void;
}

type Profile = KubernetesObject & { spec?: { instanceCount?: number } };

export class ProfileOperator {
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;
  private informer?: Informer<Profile> & ObjectCache<Profile>;
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private running = Promise.resolve();
  private readonly log: (line: string) => void;

  constructor(private readonly o: OperatorOptions) {
    this.apps = o.kubeconfig.makeApiClient(AppsV1Api);
    this.custom = o.kubeconfig.makeApiClient(CustomObjectsApi);
    this.log = o.log ?? ((l) => console.log(l));
  }

  async start(): Promise<void> {
    const plural = 'dataflowprofiles';
    this.informer = makeInformer<Profile>(this.o.kubeconfig, `/apis/${RESOURCE_GROUP}/v1/namespaces/${this.o.namespace}/${plural}`,
      () => this.custom.listNamespacedCustomObject({ group: RESOURCE_GROUP, version: 'v1', namespace: this.o.namespace, plural }));
    for (const verb of ['add', 'update', 'delete'] as const) this.informer.on(verb, () => this.schedule());
    this.informer.on('error', () => setTimeout(() => void this.informer?.start().catch(() => {}), 2000));
    await this.informer.start();
    this.timer = setInterval(() => this.schedule(), 30_000);
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.running = this.running.then(() => this.reconcile()).catch((e: Error) => this.log(`operator: ${e.message}`));
    }, 100);
  }

  /** Waits for the reconcile under way (tests). */
  settled(): Promise<void> {
    return this.running;
  }

  private async reconcile(): Promise<void> {
    const ns = this.o.namespace;
    const templateName = this.o.template ?? 'wgs-engine';
    let template;
    try {
      template = await this.apps.readNamespacedDeployment({ name: templateName, namespace: ns });
    } catch (e) {
      if (e instanceof ApiException && e.code === 404) return this.log(`operator: template Deployment ${ns}/${templateName} not found (kubectl apply -k deploy/engine)`);
      throw e;
    }
    const profiles = this.informer!.list(ns);
    const wanted = new Set<string>();
    for (const p of profiles) {
      const desired = profileDeployment(template, p.metadata!.name!, p.spec?.instanceCount ?? 1);
      const name = desired.metadata!.name!;
      wanted.add(name);
      let current;
      try {
        current = await this.apps.readNamespacedDeployment({ name, namespace: ns });
      } catch (e) {
        if (!(e instanceof ApiException && e.code === 404)) throw e;
      }
      if (!current) {
        await this.apps.createNamespacedDeployment({ namespace: ns, body: desired });
        this.log(`operator: created Deployment ${name} (${desired.spec!.replicas} replicas) for profile ${p.metadata!.name}`);
      } else if (needsUpdate(current, desired)) {
        const body = { ...current, spec: { ...current.spec!, replicas: desired.spec!.replicas, template: desired.spec!.template } };
        await this.apps.replaceNamespacedDeployment({ name, namespace: ns, body });
        this.log(`operator: updated Deployment ${name} (${desired.spec!.replicas} replicas)`);
      }
    }
    const managed = await this.apps.listNamespacedDeployment({ namespace: ns, labelSelector: `app.kubernetes.io/managed-by=${MANAGED_BY}` });
    for (const d of managed.items) {
      if (wanted.has(d.metadata!.name!)) continue;
      await this.apps.deleteNamespacedDeployment({ name: d.metadata!.name!, namespace: ns });
      this.log(`operator: deleted Deployment ${d.metadata!.name} (profile ${d.metadata?.labels?.[PROFILE_LABEL]} is gone)`);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    await this.informer?.stop().catch(() => {});
    await this.running;
  }
}
