/**
 * Pulls a graph artifact and every module it references from the same
 * registry endpoint (through the content cache) and lays the modules out in a
 * private OCI layout, so a runner resolves them from there and nowhere else.
 * Used by `wgs run --graph <oci-ref>` and by the engine.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraphDefinition, parseArtifactReference, type GraphDefinition } from '@wgs/graph-model';
import { ContentCache, copyArtifact, OciLayoutRegistry, pullArtifact, type ArtifactStore } from '@wgs/registry';
import { RegistryModuleResolver } from './module-resolver.ts';

export interface PulledGraph {
  graph: GraphDefinition;
  /** The graph artifact's manifest digest (what a deployment is pinned to). */
  digest: string;
  /** An OCI layout holding exactly the graph's modules, under the names the graph uses. */
  registryDir: string;
  /** Removes the layout (also done when the process exits). */
  cleanup(): Promise<void>;
}

export interface PullGraphOptions {
  store: ArtifactStore;
  /** The RegistryEndpoint host the modules resolve against. */
  endpointHost: string;
  repository: string;
  /** Tag or digest. */
  reference: string;
  /** How the graph is named in messages and diagnostics. */
  label: string;
  cache?: ContentCache;
  log?(line: string): void;
}

const origin = (source: string) => (source === 'registry' ? '' : ` (${source === 'cache' ? 'cached' : 'cached, registry unreachable'})`);

export async function pullGraphWithModules(o: PullGraphOptions): Promise<PulledGraph> {
  const cache = o.cache ?? new ContentCache();
  const dir = await mkdtemp(join(tmpdir(), 'wgs-run-modules-'));
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  const cleanup = async () => {
    process.off('exit', onExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pulled = await pullArtifact(o.store, o.repository, o.reference, { cache, expect: 'graph' });
    o.log?.(`graph ${o.label}: ${pulled.manifestDigest}${origin(pulled.source)}`);
    const graph = loadGraphDefinition(new TextDecoder().decode(pulled.content), o.label);
    const resolver = new RegistryModuleResolver({ endpointHost: o.endpointHost, store: o.store, cache });
    const layout = new OciLayoutRegistry(dir);
    const modules = [...new Set(graph.operations.flatMap((op) => (op.module ? [op.module] : [])))];
    for (const module of modules) {
      const m = await resolver.pull(module);
      const local = parseArtifactReference(module);
      await copyArtifact(o.store, m.repository, m.manifestDigest, layout, local.repository, local.digest ? [] : [local.tag!], { cache });
      o.log?.(`module ${module}: ${m.reference} ${m.manifestDigest}${origin(m.source)}`);
    }
    return { graph, digest: pulled.manifestDigest, registryDir: dir, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
