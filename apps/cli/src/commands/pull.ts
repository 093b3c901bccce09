import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArtifactReference } from '@wgs/graph-model';
import { pullArtifact, splitEndpointHost, type PulledArtifact } from '@wgs/registry';
import { pullGraphWithModules, type PulledGraph } from '@wgs/runtime';
import { flags } from './args.ts';
import { defaultCache, openFromFlags, parseRegistryReference, REGISTRY_FLAGS, REGISTRY_FLAGS_USAGE, withHint, type RegistryFlagValues } from './registry.ts';

const USAGE = `usage: wgs pull <registry>/<repository>:<tag|@digest> [-o file|-] ${REGISTRY_FLAGS_USAGE}
  <registry> is host[:port] or "embedded"; writes the graph YAML or module component`;

/** The file name to write: the layer's title (as oras names it), else the repository's last part. */
function outputName(pulled: PulledArtifact, repository: string): string {
  const title = pulled.fileName ? basename(pulled.fileName) : '';
  if (title && title !== '.' && title !== '..') return title;
  return `${repository.split('/').pop()}${pulled.kind === 'graph' ? '.yaml' : '.wasm'}`;
}

export async function pullCommand(args: string[]): Promise<number> {
  const { values, positionals } = flags(args, { ...REGISTRY_FLAGS, output: { type: 'string', short: 'o' } }, USAGE);
  if (positionals.length !== 1) throw new Error(USAGE);
  const { registry, ref, reference } = parseRegistryReference(positionals[0]!);
  const store = await openFromFlags(registry, values);
  let pulled: PulledArtifact;
  try {
    pulled = await pullArtifact(store, ref.repository, reference, { cache: defaultCache(registry) });
  } catch (e) {
    throw withHint(e);
  }
  const out = values.output ?? outputName(pulled, ref.repository);
  const from = pulled.source === 'registry' ? '' : pulled.source === 'cache' ? ', from the cache' : ', from the cache: registry unreachable';
  const line = `pulled ${positionals[0]} (${pulled.kind} ${pulled.manifestDigest}, ${pulled.content.length} bytes${from})`;
  if (out === '-') {
    process.stdout.write(pulled.content);
    console.error(line);
  } else {
    await writeFile(out, pulled.content);
    console.log(`${line} -> ${out}`);
  }
  return 0;
}

/** True when `--graph` names an artifact in a registry rather than a file. */
export function isRegistryGraphReference(text: string): boolean {
  if (existsSync(text)) return false;
  try {
    return !!parseArtifactReference(text).registry;
  } catch {
    return false;
  }
}

/**
 * Pulls a graph from a registry and every module it references from the same
 * registry endpoint, into a private OCI layout for the runner.
 */
export async function pullGraphForRun(text: string, v: RegistryFlagValues & { 'endpoint-host'?: string }, log: (line: string) => void): Promise<PulledGraph> {
  const { registry, ref, reference } = parseRegistryReference(text);
  const store = await openFromFlags(registry, v);
  const endpointHost = v['endpoint-host'] ?? registry;
  if (splitEndpointHost(endpointHost).registry !== registry) {
    throw new Error(`--endpoint-host ${endpointHost} is not on the graph's registry ${registry}: modules resolve against the graph's registry endpoint`);
  }
  try {
    return await pullGraphWithModules({ store, endpointHost, repository: ref.repository, reference, label: text, log });
  } catch (e) {
    throw withHint(e);
  }
}
