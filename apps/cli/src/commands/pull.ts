import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadGraphDefinition, parseArtifactReference, type GraphDefinition } from '@wgs/graph-model';
import { ContentCache, copyArtifact, OciLayoutRegistry, pullArtifact, splitEndpointHost, type PulledArtifact } from '@wgs/registry';
import { RegistryModuleResolver } from '@wgs/runtime';
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

export interface PulledGraph {
  graph: GraphDefinition;
  /** An OCI layout holding exactly the graph's modules, under the names the graph uses (for the runner's worker). */
  registryDir: string;
  /** Removes the layout (also done when the process exits). */
  cleanup(): Promise<void>;
}

/**
 * Pulls a graph from a registry and every module it references from the same
 * registry endpoint (through the content cache), and lays the modules out in
 * a private OCI layout so the runner resolves them from there and nowhere else.
 */
export async function pullGraphForRun(text: string, v: RegistryFlagValues & { 'endpoint-host'?: string }, log: (line: string) => void): Promise<PulledGraph> {
  const { registry, ref, reference } = parseRegistryReference(text);
  const store = await openFromFlags(registry, v);
  const cache = new ContentCache();
  const endpointHost = v['endpoint-host'] ?? registry;
  if (splitEndpointHost(endpointHost).registry !== registry) {
    throw new Error(`--endpoint-host ${endpointHost} is not on the graph's registry ${registry}: modules resolve against the graph's registry endpoint`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'wgs-run-modules-'));
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  const cleanup = async () => {
    process.off('exit', onExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pulled = await pullArtifact(store, ref.repository, reference, { cache, expect: 'graph' });
    log(`graph ${text}: ${pulled.manifestDigest}${pulled.source === 'registry' ? '' : ` (${pulled.source === 'cache' ? 'cached' : 'cached, registry unreachable'})`}`);
    const graph = loadGraphDefinition(new TextDecoder().decode(pulled.content), text);
    const resolver = new RegistryModuleResolver({ endpointHost, store, cache });
    const layout = new OciLayoutRegistry(dir);
    const modules = [...new Set(graph.operations.flatMap((op) => (op.module ? [op.module] : [])))];
    for (const module of modules) {
      const m = await resolver.pull(module);
      const local = parseArtifactReference(module);
      await copyArtifact(store, m.repository, m.manifestDigest, layout, local.repository, local.digest ? [] : [local.tag!], { cache });
      log(`module ${module}: ${m.reference} ${m.manifestDigest}${m.source === 'registry' ? '' : ` (${m.source === 'cache' ? 'cached' : 'cached, registry unreachable'})`}`);
    }
    return { graph, registryDir: dir, cleanup };
  } catch (e) {
    await cleanup();
    throw withHint(e);
  }
}
