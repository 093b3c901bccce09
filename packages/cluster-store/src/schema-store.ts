/**
 * Where message schemas (`aio-sr://<namespace>/<name>:<version>`) live for the
 * preview and the engine: without a cluster, files in the embedded store's
 * folder (`<root>/schemas/<namespace>/<name>/<version>.json`, the schema text
 * itself; `.delta` for a Delta schema); with one, labelled ConfigMaps
 * (graph-model `SCHEMA_LABELS`, kube-schema-store.ts).
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { schemaIdProblem, type RegistrySchema, type SchemaFormat, type SchemaId } from '@wgs/graph-model';
import { InvalidNameError, StoreUnavailableError } from './store.ts';

export interface SchemaListing {
  schemas: RegistrySchema[];
  /** Objects that look like schemas but cannot be read (a ConfigMap without data.schema, …), each with the reason. */
  problems: string[];
}

export interface SchemaStore {
  readonly description: string;
  list(): Promise<SchemaListing>;
  get(id: SchemaId): Promise<RegistrySchema | undefined>;
  /** Creates or replaces; `created` says which. */
  put(schema: RegistrySchema): Promise<{ created: boolean }>;
  /** False when there was no such schema. */
  delete(id: SchemaId): Promise<boolean>;
}

/** Throws InvalidNameError for an id the stores cannot hold. */
export function checkSchemaId(id: SchemaId): void {
  const problem = schemaIdProblem(id);
  if (problem) throw new InvalidNameError(problem);
}

const EXTENSIONS: Record<SchemaFormat, string> = { json: '.json', delta: '.delta' };
const formatOf = (file: string): SchemaFormat | undefined => (Object.entries(EXTENSIONS).find(([, ext]) => file.endsWith(ext))?.[0] as SchemaFormat | undefined);

/** Schemas as files under `<root>/schemas`; writes atomic (rename). */
export class FileSchemaStore implements SchemaStore {
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'schemas');
  }

  get description(): string {
    return `schema folder ${this.dir}`;
  }

  private async entries(path: string): Promise<string[]> {
    try {
      return (await readdir(path)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw new StoreUnavailableError(this.description, (e as Error).message);
    }
  }

  async list(): Promise<SchemaListing> {
    const schemas: RegistrySchema[] = [];
    const problems: string[] = [];
    for (const namespace of await this.entries(this.dir)) {
      for (const name of await this.entries(join(this.dir, namespace))) {
        for (const file of await this.entries(join(this.dir, namespace, name))) {
          const format = formatOf(file);
          if (!format) continue;
          const id = { namespace, name, version: file.slice(0, -EXTENSIONS[format].length) };
          const problem = schemaIdProblem(id);
          if (problem) problems.push(`${join(namespace, name, file)}: ${problem}`);
          else schemas.push({ ...id, format, content: await readFile(join(this.dir, namespace, name, file), 'utf8') });
        }
      }
    }
    return { schemas, problems };
  }

  async get(id: SchemaId): Promise<RegistrySchema | undefined> {
    checkSchemaId(id);
    for (const format of Object.keys(EXTENSIONS) as SchemaFormat[]) {
      try {
        return { ...pick(id), format, content: await readFile(this.file(id, format), 'utf8') };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreUnavailableError(this.description, (e as Error).message);
      }
    }
    return undefined;
  }

  private file(id: SchemaId, format: SchemaFormat): string {
    return join(this.dir, id.namespace, id.name, `${id.version}${EXTENSIONS[format]}`);
  }

  async put(s: RegistrySchema): Promise<{ created: boolean }> {
    checkSchemaId(s);
    const existing = await this.get(s);
    await mkdir(join(this.dir, s.namespace, s.name), { recursive: true });
    const path = this.file(s, s.format);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, s.content);
    await rename(tmp, path);
    // A schema changing format leaves no file of the old one behind.
    if (existing && existing.format !== s.format) await rm(this.file(s, existing.format), { force: true });
    return { created: !existing };
  }

  async delete(id: SchemaId): Promise<boolean> {
    const existing = await this.get(id);
    if (!existing) return false;
    await rm(this.file(id, existing.format), { force: true });
    return true;
  }
}

const pick = (id: SchemaId): SchemaId => ({ namespace: id.namespace, name: id.name, version: id.version });

