import type { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { RESOURCE_GROUP } from '@wgs/graph-model';
import { KubeSchemaStore } from './kube-schema-store.ts';
import { ConflictError, DEFAULT_NAMESPACE, KINDS, NotFoundError, StoreUnavailableError, type Kind, type ResourceStore, type StoredResource } from './store.ts';

const VERSION = 'v1';

type KubeClient = typeof import('@kubernetes/client-node');

/**
 * The Kubernetes client is imported when a cluster store is opened, not when
 * this package is: it costs ~80 MiB of RSS, and a designer without a cluster
 * (the default) never needs it.
 */
const loadKubeClient = (): Promise<KubeClient> => import('@kubernetes/client-node');

/**
 * Keeps resources in a Kubernetes cluster as the reference's custom resources
 * (kubeconfig, or in-cluster when the designer runs in a pod). Lists what
 * kubectl created too; stale writes come back as ConflictError (HTTP 409).
 */
export class KubeStore implements ResourceStore {
  private readonly api: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly server: string;
  /** Message schemas: labelled ConfigMaps of the same namespace. */
  readonly schemas: KubeSchemaStore;

  private constructor(
    private readonly k8s: KubeClient,
    kubeconfig: KubeConfig,
    readonly namespace: string,
  ) {
    this.api = kubeconfig.makeApiClient(k8s.CustomObjectsApi);
    this.core = kubeconfig.makeApiClient(k8s.CoreV1Api);
    this.server = kubeconfig.getCurrentCluster()?.server ?? 'cluster';
    this.schemas = new KubeSchemaStore(this.core, namespace, this.server);
  }

  /** From a kubeconfig file, or in-cluster/default config when no file is given. */
  static async fromKubeconfig(file: string | undefined, namespace = DEFAULT_NAMESPACE): Promise<KubeStore> {
    const k8s = await loadKubeClient();
    const kc = new k8s.KubeConfig();
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
    return new KubeStore(k8s, kc, namespace);
  }

  /** From a KubeConfig the caller built. */
  static async fromConfig(kubeconfig: KubeConfig, namespace = DEFAULT_NAMESPACE): Promise<KubeStore> {
    return new KubeStore(await loadKubeClient(), kubeconfig, namespace);
  }

  private notFound(e: unknown): boolean {
    return e instanceof this.k8s.ApiException && e.code === 404;
  }

  get description(): string {
    return `cluster ${this.server} (namespace ${this.namespace})`;
  }

  private base(kind: Kind) {
    return { group: RESOURCE_GROUP, version: VERSION, namespace: this.namespace, plural: KINDS[kind] };
  }

  /** Maps API failures to the store's errors; a cluster that does not answer is "unavailable". */
  private async call<T>(what: string, fn: () => Promise<T>, kind: Kind, name = ''): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof this.k8s.ApiException) {
        const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
        const message = (body as { message?: string } | undefined)?.message ?? e.message;
        if (e.code === 404) {
          if (/the server could not find the requested resource/.test(message)) {
            throw new StoreUnavailableError(this.description, `the ${KINDS[kind]}.${RESOURCE_GROUP} CRD is not installed (kubectl apply -f deploy/crds/)`);
          }
          throw new NotFoundError(kind, name);
        }
        if (e.code === 409) throw new ConflictError(message, name ? await this.get(kind, name).catch(() => undefined) : undefined);
        if (e.code === 422 || e.code === 400) throw new Error(`${what} rejected by the cluster: ${message}`);
        throw new StoreUnavailableError(this.description, `${what}: HTTP ${e.code} ${message}`);
      }
      throw new StoreUnavailableError(this.description, `${what}: ${(e as Error).message}`);
    }
  }

  async list(kind: Kind): Promise<StoredResource[]> {
    const r = await this.call('list', () => this.api.listNamespacedCustomObject(this.base(kind)), kind);
    return ((r as { items?: StoredResource[] }).items ?? []).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  async get(kind: Kind, name: string): Promise<StoredResource | undefined> {
    try {
      return (await this.call('get', () => this.api.getNamespacedCustomObject({ ...this.base(kind), name }), kind, name)) as StoredResource;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async profileInstanceCount(name: string): Promise<number | undefined> {
    try {
      const profile = await this.api.getNamespacedCustomObject({ group: RESOURCE_GROUP, version: VERSION, namespace: this.namespace, plural: 'dataflowprofiles', name });
      const count = (profile as { spec?: { instanceCount?: unknown } }).spec?.instanceCount;
      return typeof count === 'number' ? count : 1;
    } catch (e) {
      // No such profile, or no profile CRD: nothing is known about instances.
      if (this.notFound(e)) return undefined;
      throw new StoreUnavailableError(this.description, `reading DataflowProfile "${name}": ${(e as Error).message}`);
    }
  }

  async create(resource: StoredResource): Promise<StoredResource> {
    const body = { ...resource, metadata: { ...resource.metadata, namespace: this.namespace } };
    return (await this.call('create', () => this.api.createNamespacedCustomObject({ ...this.base(resource.kind), body }), resource.kind, resource.metadata.name)) as StoredResource;
  }

  async replace(resource: StoredResource): Promise<StoredResource> {
    if (!resource.metadata.resourceVersion) {
      throw new ConflictError('metadata.resourceVersion is required to update', await this.get(resource.kind, resource.metadata.name));
    }
    const body = { ...resource, metadata: { ...resource.metadata, namespace: this.namespace } };
    return (await this.call('replace', () => this.api.replaceNamespacedCustomObject({ ...this.base(resource.kind), name: resource.metadata.name, body }), resource.kind, resource.metadata.name)) as StoredResource;
  }

  async readPullSecret(name: string): Promise<string | undefined> {
    try {
      const secret = await this.core.readNamespacedSecret({ name, namespace: this.namespace });
      const data = secret.data?.['.dockerconfigjson'];
      return data ? Buffer.from(data, 'base64').toString('utf8') : undefined;
    } catch (e) {
      if (this.notFound(e)) return undefined;
      throw new StoreUnavailableError(this.description, `secret ${name}: ${(e as Error).message}`);
    }
  }

  async delete(kind: Kind, name: string): Promise<void> {
    await this.call('delete', () => this.api.deleteNamespacedCustomObject({ ...this.base(kind), name }), kind, name);
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { message: s };
  }
}
