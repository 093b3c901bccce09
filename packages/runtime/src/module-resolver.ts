import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { parseArtifactReference } from '@wgs/graph-model';
import {
  ContentCache, embeddedRegistry, moduleImageReference, OciLayoutRegistry, pullArtifact, RegistryError, splitEndpointHost,
  type ArtifactStore, type PulledArtifact,
} from '@wgs/registry';

/** Finds a module's component bytes from the `module` field of an operation. */
export interface ModuleResolver {
  /** `operation`: whose module it is (a resolver per operation may look elsewhere for each). */
  resolve(module: string, operation?: string): Promise<Uint8Array>;
  /** Where an operation's modules come from; equal module references of different origins are different modules. */
  originOf?(operation: string): string;
}

/**
 * Resolves each listed operation's module through its own resolver (a
 * flattened data flow whose Graph nodes come from different registry
 * endpoints), every other operation through `fallback`.
 */
export class OperationModuleResolver implements ModuleResolver {
  constructor(
    private readonly byOperation: ReadonlyMap<string, { origin: string; resolver: ModuleResolver }>,
    private readonly fallback: ModuleResolver,
  ) {}

  resolve(module: string, operation?: string): Promise<Uint8Array> {
    const own = operation === undefined ? undefined : this.byOperation.get(operation);
    return (own?.resolver ?? this.fallback).resolve(module, operation);
  }

  originOf(operation: string): string {
    return this.byOperation.get(operation)?.origin ?? '';
  }
}

/**
 * The worker's resolver: the run's OCI layout, and for the operations in
 * `operationRegistryDirs` their own layout (one resolver per directory).
 */
export function layoutResolverFor(registryDir: string, baseDir: string, operationRegistryDirs?: Record<string, string>): ModuleResolver {
  const fallback = new LayoutModuleResolver(new OciLayoutRegistry(registryDir), baseDir);
  const entries = Object.entries(operationRegistryDirs ?? {});
  if (!entries.length) return fallback;
  const byDir = new Map<string, ModuleResolver>([[registryDir, fallback]]);
  const byOperation = new Map<string, { origin: string; resolver: ModuleResolver }>();
  for (const [operation, dir] of entries) {
    if (!byDir.has(dir)) byDir.set(dir, new LayoutModuleResolver(new OciLayoutRegistry(dir), baseDir));
    byOperation.set(operation, { origin: dir, resolver: byDir.get(dir)! });
  }
  return new OperationModuleResolver(byOperation, fallback);
}

export class ModuleResolutionError extends Error {
  constructor(readonly module: string, detail: string) {
    super(`module "${module}": ${detail}`);
    this.name = 'ModuleResolutionError';
  }
}

/**
 * Resolves `repo/name:tag` against an OCI layout registry (the embedded one by
 * default); a reference ending in `.wasm` is read as a file relative to `baseDir`.
 */
export class LayoutModuleResolver implements ModuleResolver {
  constructor(private readonly registry: OciLayoutRegistry = embeddedRegistry(), private readonly baseDir = process.cwd()) {}

  async resolve(module: string): Promise<Uint8Array> {
    if (module.endsWith('.wasm')) {
      const path = isAbsolute(module) ? module : resolve(this.baseDir, module);
      try {
        return await readFile(path);
      } catch (e) {
        throw new ModuleResolutionError(module, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    let ref;
    try {
      ref = parseArtifactReference(module);
    } catch (e) {
      throw new ModuleResolutionError(module, (e as Error).message);
    }
    try {
      const artifact = await pullArtifact(this.registry, ref.repository, ref.digest ?? ref.tag!, { expect: 'module' });
      return artifact.content;
    } catch (e) {
      const message = (e as Error).message;
      throw new ModuleResolutionError(module, e instanceof RegistryError ? message : `${message} (registry ${this.registry.root})`);
    }
  }
}

export interface RegistryModuleResolverOptions {
  /**
   * The graph's registry endpoint host: `host[:port]` (module references carry
   * their repository path) or `host[:port]/path/prefix` (prefixed to them).
   */
  endpointHost: string;
  /** The endpoint's registry, e.g. a RegistryClient with the endpoint's credentials. */
  store: ArtifactStore;
  /** Content cache shared with the CLI (default: the one under WGS_CACHE_DIR): a module pulled once is not downloaded again. */
  cache?: ContentCache;
}

/**
 * Resolves module references of a graph that came from a registry endpoint
 * against that same endpoint (reference §5.3), through the content cache.
 * Nothing else is consulted: not the embedded registry, not files.
 */
export class RegistryModuleResolver implements ModuleResolver {
  readonly registry: string;
  private readonly cache: ContentCache;

  constructor(private readonly o: RegistryModuleResolverOptions) {
    this.registry = splitEndpointHost(o.endpointHost).registry;
    this.cache = o.cache ?? new ContentCache();
  }

  /** The module's full reference on the endpoint's registry. */
  reference(module: string): { reference: string; repository: string; tagOrDigest: string } {
    if (module.endsWith('.wasm')) {
      throw new ModuleResolutionError(module, `is a file path, but modules of a graph from ${this.o.endpointHost} must be artifacts in that registry`);
    }
    let full: string;
    let ref;
    try {
      full = moduleImageReference(this.o.endpointHost, module);
      ref = parseArtifactReference(full);
    } catch (e) {
      throw new ModuleResolutionError(module, (e as Error).message);
    }
    if (ref.registry !== this.registry) throw new ModuleResolutionError(module, `resolves to ${full}, outside the registry endpoint ${this.o.endpointHost}`);
    return { reference: full, repository: ref.repository, tagOrDigest: ref.digest ?? ref.tag! };
  }

  async pull(module: string): Promise<PulledArtifact & { reference: string; repository: string; tagOrDigest: string }> {
    const where = this.reference(module);
    try {
      const artifact = await pullArtifact(this.o.store, where.repository, where.tagOrDigest, { cache: this.cache, expect: 'module' });
      return { ...artifact, ...where };
    } catch (e) {
      throw new ModuleResolutionError(module, `${where.reference}: ${(e as Error).message}`);
    }
  }

  async resolve(module: string): Promise<Uint8Array> {
    return (await this.pull(module)).content;
  }
}
