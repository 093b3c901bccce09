import { DEFAULT_NAMESPACE, KIND_PLURALS, RESOURCE_GROUP } from '@wgs/graph-model';
import type { SchemaStore } from './schema-store.ts';

/** The kinds this tool keeps, with their Kubernetes plural names. */
export const KINDS = KIND_PLURALS;

export type Kind = keyof typeof KINDS;

export interface StoredResource {
  apiVersion: string;
  kind: Kind;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    generation?: number;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export const API_VERSION = `${RESOURCE_GROUP}/v1`;

/** Another writer changed the resource since it was read (HTTP 409). */
export class ConflictError extends Error {
  constructor(message: string, readonly current?: StoredResource) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class NotFoundError extends Error {
  constructor(kind: string, name: string) {
    super(`${kind} "${name}" not found`);
    this.name = 'NotFoundError';
  }
}

/** A name the store cannot hold (e.g. the embedded store keeps only DNS-1123 labels, as its file names). */
export class InvalidNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidNameError';
  }
}

/** The store cannot be reached (cluster down, folder unreadable). */
export class StoreUnavailableError extends Error {
  constructor(readonly store: string, detail: string) {
    super(`${store}: ${detail}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Where graphs and endpoints live: a Kubernetes cluster or, without one, a
 * folder of manifests. Optimistic concurrency through resourceVersion:
 * replace() with a stale version fails with ConflictError carrying the current one.
 */
export interface ResourceStore {
  readonly description: string;
  readonly namespace: string;
  /** Where this store keeps message schemas (the preview and the engine read them). */
  readonly schemas?: SchemaStore;
  list(kind: Kind): Promise<StoredResource[]>;
  get(kind: Kind, name: string): Promise<StoredResource | undefined>;
  create(resource: StoredResource): Promise<StoredResource>;
  replace(resource: StoredResource): Promise<StoredResource>;
  delete(kind: Kind, name: string): Promise<void>;
  /**
   * The `.dockerconfigjson` of a docker-registry secret (ArtifactPullSecret);
   * undefined when there is no such secret. Credentials live only there.
   */
  readPullSecret(name: string): Promise<string | undefined>;
  /**
   * `spec.instanceCount` of a DataflowProfile; undefined when the store keeps
   * no profiles or has none of that name (the reference's default profile
   * runs one instance).
   */
  profileInstanceCount?(name: string): Promise<number | undefined>;
}

export { DEFAULT_NAMESPACE };
