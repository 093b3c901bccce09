/** Checks the benchmarks depend on, with errors that say what to do. */
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GRAPH_FILE = join(ROOT, 'packages/operators/graphs/graph-simple.yaml');
export const TEMPERATURE_MODULE = 'azure-samples/explore-iot-operations/temperature:1.0.0';

export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

/** The mosquitto binary: $WGS_MOSQUITTO, the Debian location, or PATH. */
export function findMosquitto(): string {
  const explicit = process.env.WGS_MOSQUITTO;
  if (explicit) {
    if (existsSync(explicit) && statSync(explicit).isFile()) return explicit;
    throw new PreflightError(`WGS_MOSQUITTO=${explicit}: no such file (unset it to use the mosquitto package: apt-get install mosquitto mosquitto-clients)`);
  }
  const candidates = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/local/bin/mosquitto',
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'mosquitto'))];
  for (const c of candidates) {
    if (c && existsSync(c) && statSync(c).isFile()) return c;
  }
  throw new PreflightError('mosquitto not found (looked at $WGS_MOSQUITTO, /usr/sbin/mosquitto and PATH). Install the Debian package: apt-get install mosquitto mosquitto-clients');
}

/** The embedded registry must hold the sample modules (written by `pnpm build`). */
export async function checkRegistry(): Promise<Uint8Array> {
  const { embeddedRegistryDir } = await import('../../packages/registry/src/index.ts');
  const dir = embeddedRegistryDir();
  if (!existsSync(dir)) throw new PreflightError(`the embedded OCI registry ${dir} does not exist: run \`pnpm build\` first`);
  if (!existsSync(GRAPH_FILE)) throw new PreflightError(`graph file ${GRAPH_FILE} is missing`);
  const { LayoutModuleResolver } = await import('../../packages/runtime/src/index.ts');
  try {
    return await new LayoutModuleResolver().resolve(TEMPERATURE_MODULE);
  } catch (e) {
    throw new PreflightError(`the registry is not built (or incomplete): ${(e as Error).message}. Run \`pnpm build\` first`);
  }
}
