import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { parseArtifactReference } from '@wgs/graph-model';
import { embeddedRegistry, type OciLayoutRegistry } from '@wgs/registry';

/** Finds a module's component bytes from the `module` field of an operation. */
export interface ModuleResolver {
  resolve(module: string): Promise<Uint8Array>;
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
      const artifact = await this.registry.pull(ref.repository, ref.digest ?? ref.tag!);
      if (artifact.kind !== 'module') throw new Error(`is a ${artifact.kind} artifact, not a module`);
      return artifact.content;
    } catch (e) {
      throw new ModuleResolutionError(module, `${(e as Error).message} (registry ${this.registry.root})`);
    }
  }
}
