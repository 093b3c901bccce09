/**
 * Schemas in a cluster: ConfigMaps of the store's namespace labelled with the
 * schema's namespace, name and version (graph-model `SCHEMA_LABELS`), the text
 * under `data.schema`. kubectl users may name them as they like; schemas
 * written here are named by `schemaConfigMapName`. The engine reads the same
 * objects.
 */
import type { CoreV1Api, V1ConfigMap } from '@kubernetes/client-node';
import { SCHEMA_LABEL_SELECTOR, SCHEMA_LABELS, schemaConfigMap, schemaFromConfigMap, type RegistrySchema, type SchemaId } from '@wgs/graph-model';
import { checkSchemaId, type SchemaListing, type SchemaStore } from './schema-store.ts';
import { StoreUnavailableError } from './store.ts';

const selectorOf = (id: SchemaId): string =>
  `${SCHEMA_LABELS.namespace}=${id.namespace},${SCHEMA_LABELS.name}=${id.name},${SCHEMA_LABELS.version}=${id.version}`;

export class KubeSchemaStore implements SchemaStore {
  constructor(private readonly core: CoreV1Api, readonly namespace: string, private readonly server: string) {}

  get description(): string {
    return `ConfigMaps labelled ${SCHEMA_LABEL_SELECTOR} in cluster ${this.server} (namespace ${this.namespace})`;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const body = (e as { body?: unknown }).body;
      const message = (typeof body === 'string' ? safeMessage(body) : (body as { message?: string } | undefined)?.message) ?? (e as Error).message;
      throw new StoreUnavailableError(this.description, `${what}: ${message}`);
    }
  }

  private async configMaps(labelSelector: string): Promise<V1ConfigMap[]> {
    const list = await this.call('listing schema ConfigMaps', () => this.core.listNamespacedConfigMap({ namespace: this.namespace, labelSelector }));
    return [...(list.items ?? [])].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  async list(): Promise<SchemaListing> {
    const schemas: RegistrySchema[] = [];
    const problems: string[] = [];
    for (const cm of await this.configMaps(SCHEMA_LABEL_SELECTOR)) {
      const s = schemaFromConfigMap(cm);
      if ('error' in s) problems.push(s.error);
      else schemas.push(s);
    }
    return { schemas, problems };
  }

  async get(id: SchemaId): Promise<RegistrySchema | undefined> {
    checkSchemaId(id);
    const found = (await this.configMaps(selectorOf(id))).map(schemaFromConfigMap).find((s): s is RegistrySchema => !('error' in s));
    return found;
  }

  async put(s: RegistrySchema): Promise<{ created: boolean }> {
    checkSchemaId(s);
    const [existing] = await this.configMaps(selectorOf(s));
    const body = schemaConfigMap(s, this.namespace) as V1ConfigMap;
    if (!existing) {
      await this.call('creating the schema ConfigMap', () => this.core.createNamespacedConfigMap({ namespace: this.namespace, body }));
      return { created: true };
    }
    // The object keeps its name and other labels (it may have been applied with kubectl).
    const name = existing.metadata!.name!;
    const replaced: V1ConfigMap = { ...body, metadata: { ...existing.metadata, name, labels: { ...existing.metadata?.labels, ...body.metadata!.labels } }, data: body.data };
    await this.call(`replacing ConfigMap ${name}`, () => this.core.replaceNamespacedConfigMap({ name, namespace: this.namespace, body: replaced }));
    return { created: false };
  }

  async delete(id: SchemaId): Promise<boolean> {
    checkSchemaId(id);
    const found = await this.configMaps(selectorOf(id));
    for (const cm of found) await this.call(`deleting ConfigMap ${cm.metadata?.name}`, () => this.core.deleteNamespacedConfigMap({ name: cm.metadata!.name!, namespace: this.namespace }));
    return found.length > 0;
  }
}

function safeMessage(s: string): string {
  try {
    return (JSON.parse(s) as { message?: string }).message ?? s;
  } catch {
    return s;
  }
}
