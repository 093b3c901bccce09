import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FileSchemaStore } from './schema-store.ts';
import { API_VERSION, ConflictError, DEFAULT_NAMESPACE, InvalidNameError, KINDS, NotFoundError, StoreUnavailableError, type Kind, type ResourceStore, type StoredResource } from './store.ts';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The embedded store: one YAML manifest per resource in
 * `<root>/<plural>/<name>.yaml`, as `kubectl get -o yaml` would show it.
 * Writes are atomic (rename) and serialized per process.
 */
export class FileStore implements ResourceStore {
  private queue: Promise<unknown> = Promise.resolve();

  /** Message schemas: files under `<root>/schemas`. */
  readonly schemas: FileSchemaStore;

  constructor(readonly root: string, readonly namespace = DEFAULT_NAMESPACE) {
    this.schemas = new FileSchemaStore(root);
  }

  get description(): string {
    return `embedded store ${this.root}`;
  }

  private path(kind: Kind, name: string): string {
    if (!NAME.test(name) || name.length > 63) throw new InvalidNameError(`invalid name "${name}": the embedded store keeps lowercase letters, digits and '-', at most 63`);
    return join(this.root, KINDS[kind], `${name}.yaml`);
  }

  /** Runs writes one after another so read-check-write is atomic within the process. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async read(path: string): Promise<StoredResource | undefined> {
    try {
      return parse(await readFile(path, 'utf8')) as StoredResource;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreUnavailableError(this.description, `${path}: ${(e as Error).message}`);
    }
  }

  private async write(r: StoredResource): Promise<void> {
    const path = this.path(r.kind, r.metadata.name);
    await mkdir(join(this.root, KINDS[r.kind]), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, stringify(r));
    await rename(tmp, path);
  }

  async list(kind: Kind): Promise<StoredResource[]> {
    let files: string[];
    try {
      files = (await readdir(join(this.root, KINDS[kind]))).filter((f) => f.endsWith('.yaml'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StoreUnavailableError(this.description, (e as Error).message);
    }
    const out: StoredResource[] = [];
    for (const f of files.sort()) {
      const r = await this.read(join(this.root, KINDS[kind], f));
      if (r) out.push(r);
    }
    return out;
  }

  async get(kind: Kind, name: string): Promise<StoredResource | undefined> {
    return this.read(this.path(kind, name));
  }

  create(resource: StoredResource): Promise<StoredResource> {
    return this.serial(async () => {
      const existing = await this.get(resource.kind, resource.metadata.name);
      if (existing) throw new ConflictError(`${resource.kind} "${resource.metadata.name}" already exists`, existing);
      const stored: StoredResource = {
        ...resource,
        apiVersion: resource.apiVersion ?? API_VERSION,
        metadata: {
          ...resource.metadata,
          namespace: this.namespace,
          resourceVersion: '1',
          uid: randomUUID(),
          creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          generation: 1,
        },
      };
      await this.write(stored);
      return stored;
    });
  }

  replace(resource: StoredResource): Promise<StoredResource> {
    return this.serial(async () => {
      const current = await this.get(resource.kind, resource.metadata.name);
      if (!current) throw new NotFoundError(resource.kind, resource.metadata.name);
      const version = resource.metadata.resourceVersion;
      if (!version) throw new ConflictError('metadata.resourceVersion is required to update', current);
      if (version !== current.metadata.resourceVersion) {
        throw new ConflictError(`${resource.kind} "${resource.metadata.name}" was changed (version ${current.metadata.resourceVersion}, yours ${version})`, current);
      }
      const specChanged = JSON.stringify(resource.spec) !== JSON.stringify(current.spec);
      const stored: StoredResource = {
        ...resource,
        metadata: {
          ...resource.metadata,
          namespace: this.namespace,
          uid: current.metadata.uid,
          creationTimestamp: current.metadata.creationTimestamp,
          resourceVersion: String(Number(current.metadata.resourceVersion) + 1),
          generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
        },
      };
      await this.write(stored);
      return stored;
    });
  }

  /** Embedded secrets: `<root>/secrets/<name>.dockerconfigjson` (keep the folder private). */
  async readPullSecret(name: string): Promise<string | undefined> {
    if (!NAME.test(name)) throw new InvalidNameError(`invalid secret name "${name}"`);
    try {
      return await readFile(join(this.root, 'secrets', `${name}.dockerconfigjson`), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreUnavailableError(this.description, (e as Error).message);
    }
  }

  delete(kind: Kind, name: string): Promise<void> {
    return this.serial(async () => {
      const path = this.path(kind, name);
      if (!(await this.read(path))) throw new NotFoundError(kind, name);
      await rm(path);
    });
  }
}

/** Every resource as one multi-document YAML that `kubectl apply -f` accepts. */
export async function exportBundle(store: ResourceStore): Promise<string> {
  const docs: string[] = [];
  for (const kind of Object.keys(KINDS) as Kind[]) {
    for (const r of await store.list(kind)) {
      const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, generation: _g, ...metadata } = r.metadata;
      docs.push(stringify({ apiVersion: r.apiVersion, kind: r.kind, metadata, spec: r.spec }));
    }
  }
  return docs.map((d) => `---\n${d}`).join('');
}
