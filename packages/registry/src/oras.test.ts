/**
 * Interoperability with the real oras CLI, both ways, through a real
 * registry (docker-registry) on loopback.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArtifacts, pullArtifact, pushArtifact } from './artifacts.ts';
import { ContentCache } from './cache.ts';
import { RegistryClient } from './client.ts';
import { embeddedRegistry } from './embedded.ts';
import { MEDIA_TYPES } from './media-types.ts';
import { oras, startDockerRegistry, type TestRegistry } from './testing/index.ts';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

describe('oras interoperability', () => {
  let reg: TestRegistry;
  let client: RegistryClient;
  let work: string;
  let component: Uint8Array;
  const graphYaml = readFileSync(new URL('../../operators/graphs/graph-simple.yaml', import.meta.url));

  beforeAll(async () => {
    reg = await startDockerRegistry();
    client = new RegistryClient({ registry: reg.host });
    work = tmp('wgs-oras-');
    component = (await embeddedRegistry().pull('azure-samples/explore-iot-operations/temperature', '1.0.0')).content;
    writeFileSync(join(work, 'graph-simple.yaml'), graphYaml);
    writeFileSync(join(work, 'temperature.wasm'), component);
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('lists and pulls a graph pushed by `oras push` exactly as the reference documents it', async () => {
    await oras(['push', '--plain-http', `${reg.host}/samples/graph-simple:1.0.0`,
      '--config', '/dev/null:application/vnd.microsoft.aio.graph.v1+yaml', 'graph-simple.yaml:application/yaml', '--disable-path-validation'], { cwd: work });
    const [listed] = await listArtifacts(client, 'samples/graph-simple');
    expect(listed).toMatchObject({ tag: '1.0.0', kind: 'graph' });
    const pulled = await pullArtifact(client, 'samples/graph-simple', '1.0.0', { expect: 'graph' });
    expect(pulled.fileName).toBe('graph-simple.yaml');
    expect(Buffer.from(pulled.content)).toEqual(graphYaml);
  });

  it('lists and pulls modules pushed by oras in the documented form and the older layer form', async () => {
    await oras(['push', '--plain-http', `${reg.host}/samples/temperature:1.0.0`,
      '--artifact-type', 'application/vnd.module.wasm.content.layer.v1+wasm', 'temperature.wasm:application/wasm'], { cwd: work });
    await oras(['push', '--plain-http', `${reg.host}/samples/temperature-legacy:1.0.0`,
      'temperature.wasm:application/vnd.wasm.content.layer.v1+wasm'], { cwd: work });
    for (const repo of ['samples/temperature', 'samples/temperature-legacy']) {
      expect((await listArtifacts(client, repo))[0]).toMatchObject({ tag: '1.0.0', kind: 'module' });
      const pulled = await pullArtifact(client, repo, '1.0.0', { expect: 'module', cache: new ContentCache(tmp('wgs-cache-')) });
      expect(pulled.content).toEqual(component);
    }
  });

  it('what we push, oras pulls byte for byte and shows with the reference\'s media types', async () => {
    const graph = await pushArtifact(client, 'ours/graph-simple', ['1.0.0'], { kind: 'graph', content: new Uint8Array(graphYaml), fileName: 'graph-simple.yaml' });
    const mod = await pushArtifact(client, 'ours/temperature', ['1.0.0'], { kind: 'module', content: component, fileName: 'temperature.wasm' });

    const out = tmp('wgs-oras-pull-');
    await oras(['pull', '--plain-http', `${reg.host}/ours/graph-simple:1.0.0`, '-o', out]);
    await oras(['pull', '--plain-http', `${reg.host}/ours/temperature:1.0.0`, '-o', out]);
    expect(readFileSync(join(out, 'graph-simple.yaml'))).toEqual(graphYaml);
    expect(new Uint8Array(readFileSync(join(out, 'temperature.wasm')))).toEqual(component);

    const graphManifest = JSON.parse((await oras(['manifest', 'fetch', '--plain-http', `${reg.host}/ours/graph-simple:1.0.0`])).stdout);
    expect(graphManifest.config).toMatchObject({ mediaType: 'application/vnd.microsoft.aio.graph.v1+yaml', size: 0 });
    expect(graphManifest.layers).toEqual([expect.objectContaining({ mediaType: 'application/yaml', annotations: { 'org.opencontainers.image.title': 'graph-simple.yaml' } })]);
    const moduleManifest = JSON.parse((await oras(['manifest', 'fetch', '--plain-http', `${reg.host}/ours/temperature:1.0.0`])).stdout);
    expect(moduleManifest.artifactType).toBe('application/vnd.module.wasm.content.layer.v1+wasm');
    expect(moduleManifest.config.mediaType).toBe(MEDIA_TYPES.emptyJson);
    expect(moduleManifest.layers).toEqual([expect.objectContaining({ mediaType: 'application/wasm', size: component.length })]);
    const descriptor = JSON.parse((await oras(['manifest', 'fetch', '--plain-http', '--descriptor', `${reg.host}/ours/temperature:1.0.0`])).stdout);
    expect(descriptor.digest).toBe(mod.digest);
    expect((await oras(['repo', 'tags', '--plain-http', `${reg.host}/ours/graph-simple`])).stdout.trim()).toBe('1.0.0');
    expect(graph.digest).toMatch(/^sha256:/);
  });

  it('finds what `oras attach` attached (referrers tag schema on a registry without the referrers API)', async () => {
    const subject = await pushArtifact(client, 'ours/attached', ['1.0.0'], { kind: 'module', content: component, fileName: 'temperature.wasm' });
    writeFileSync(join(work, 'notes.txt'), 'reviewed');
    await oras(['attach', '--plain-http', `${reg.host}/ours/attached:1.0.0`, '--artifact-type', 'application/vnd.example.review', 'notes.txt:text/plain'], { cwd: work });
    const referrers = await client.referrers('ours/attached', subject.digest);
    expect(referrers).toEqual([expect.objectContaining({ artifactType: 'application/vnd.example.review' })]);
    const discovered = (await oras(['discover', '--plain-http', '--format', 'json', `${reg.host}/ours/attached:1.0.0`])).stdout;
    expect(discovered).toContain(referrers[0]!.digest);
  });
});
