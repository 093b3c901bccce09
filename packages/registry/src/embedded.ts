import { fileURLToPath } from 'node:url';
import { OciLayoutRegistry } from './oci-layout.ts';

/**
 * The embedded default registry: sample graphs and modules, written by
 * `pnpm build` (packages/operators) and read by the runtime, CLI and server.
 * WGS_REGISTRY_DIR overrides the location.
 */
export function embeddedRegistryDir(): string {
  return process.env.WGS_REGISTRY_DIR ?? fileURLToPath(new URL('../../../.wgs/registry', import.meta.url));
}

export function embeddedRegistry(): OciLayoutRegistry {
  return new OciLayoutRegistry(embeddedRegistryDir());
}
