import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { copyArtifact, listArtifacts, pullArtifact, pushArtifact } from './artifacts.ts';
import { ContentCache } from './cache.ts';
import { sha256 } from './digest.ts';
import { embeddedRegistry } from './embedded.ts';
import { ArtifactKindError, ArtifactNotFoundError, DigestMismatchError, ManifestError } from './errors.ts';
import { MEDIA_TYPES } from './media-types.ts';
import { OciLayoutRegistry } from './oci-layout.ts';
import { oras } from './testing/oras.ts';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const YAML = new TextEncoder().encode('metadata: { name: g }\n');
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 1, 2, 3]);

async function sampleLayout(): Promise<OciLayoutRegistry> {
  const layout = new OciLayoutRegistry(tmp('wgs-layout-'));
  await layout.push('team/graph', '1.0.0', { kind: 'graph', content: YAML, fileName: 'graph.yaml' });
  await pushArtifact(layout, 'team/module', ['1.0.0', 'latest'], { kind: 'module', content: WASM, fileName: 'module.wasm' });
  return layout;
}

describe('OCI layout registry (the embedded registry\'s format)', () => {
  it('pushes, lists and pulls graphs and modules through the shared store interface', async () => {
    const layout = await sampleLayout();
    expect(await layout.listRepositories()).toEqual(['team/graph', 'team/module']);
    expect(await layout.listTags('team/module')).toEqual(['1.0.0', 'latest']);
    const listed = await listArtifacts(layout, 'team/module');
    expect(listed.map((a) => [a.tag, a.kind])).toEqual([['1.0.0', 'module'], ['latest', 'module']]);
    expect(listed[0]!.digest).toBe(listed[1]!.digest);
    const graph = await layout.pull('team/graph', '1.0.0');
    expect(graph).toMatchObject({ kind: 'graph', fileName: 'graph.yaml', source: 'registry' });
    expect(graph.content).toEqual(YAML);
    const byDigest = await pullArtifact(layout, 'team/module', listed[0]!.digest!);
    expect(byDigest.content).toEqual(WASM);
  });

  it('reports unknown repositories, tags and kinds clearly', async () => {
    const layout = await sampleLayout();
    await expect(layout.pull('team/nothing', '1.0.0')).rejects.toThrow(`registry ${layout.root}: repository team/nothing not found`);
    await expect(layout.pull('team/graph', '9.9.9')).rejects.toThrow(`registry ${layout.root}: tag team/graph:9.9.9 not found`);
    await expect(pullArtifact(layout, 'team/graph', '1.0.0', { expect: 'module' })).rejects.toThrow(ArtifactKindError);
    await expect(pullArtifact(layout, 'team/graph', '1.0.0', { expect: 'module' })).rejects.toThrow('team/graph:1.0.0 is a graph artifact, not a module');
    await expect(layout.listTags('nope')).rejects.toThrow(ArtifactNotFoundError);
  });

  it('lists an artifact of any other media type as other, and a tag whose manifest is broken without failing the listing', async () => {
    const layout = await sampleLayout();
    const config = await layout.pushBlob('team/mixed', new TextEncoder().encode('{"architecture":"amd64","os":"linux"}'));
    const layer = await layout.pushBlob('team/mixed', new Uint8Array([1, 2, 3]));
    const image = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }] };
    await layout.pushManifest('team/mixed', new TextEncoder().encode(JSON.stringify(image)), MEDIA_TYPES.ociManifest, 'image');
    // A tag pointing at a blob that is not JSON.
    const junk = await layout.writeBlob('team/mixed', new TextEncoder().encode('not a manifest'));
    await layout.pushManifest('team/mixed', new TextEncoder().encode('{}'), MEDIA_TYPES.ociManifest, 'placeholder');
    const indexPath = join(layout.root, 'team/mixed/index.json');
    writeFileSync(indexPath, readFileSync(indexPath, 'utf8').replace(sha256(new TextEncoder().encode('{}')), junk.digest).replace('"size": 2', `"size": ${junk.size}`));
    await copyArtifact(layout, 'team/module', '1.0.0', layout, 'team/mixed', ['module']);

    const listed = await listArtifacts(layout, 'team/mixed');
    const byTag = Object.fromEntries(listed.map((a) => [a.tag, a]));
    expect(byTag.image).toMatchObject({ kind: 'other', detail: 'config application/vnd.oci.image.config.v1+json, layers application/vnd.oci.image.layer.v1.tar' });
    expect(byTag.placeholder).toMatchObject({ kind: 'other' });
    expect(byTag.placeholder!.error).toMatch(/manifest of team\/mixed:placeholder is not JSON/);
    expect(byTag.module).toMatchObject({ kind: 'module' });
    await expect(pullArtifact(layout, 'team/mixed', 'image')).rejects.toThrow(/is not a graph or module artifact \(config application\/vnd.oci.image.config.v1\+json/);
    await expect(pullArtifact(layout, 'team/mixed', 'placeholder')).rejects.toThrow(ManifestError);
  });

  it('verifies every blob it reads against its digest', async () => {
    const layout = await sampleLayout();
    const { layers } = (await layout.pull('team/module', '1.0.0')).manifest;
    const file = join(layout.root, 'team/module/blobs/sha256', layers[0]!.digest.slice(7));
    writeFileSync(file, new Uint8Array([9, 9, 9]));
    await expect(layout.pull('team/module', '1.0.0')).rejects.toThrow(DigestMismatchError);
    await expect(layout.pull('team/module', '1.0.0')).rejects.toThrow(/blob team\/module@sha256:[0-9a-f]{64} does not match its digest/);
  });

  it('finds referrers by subject', async () => {
    const layout = await sampleLayout();
    const subject = await layout.resolve('team/module', '1.0.0');
    const sig = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, artifactType: 'application/vnd.example.signature', config: { mediaType: MEDIA_TYPES.emptyJson, digest: sha256(new TextEncoder().encode('{}')), size: 2 }, layers: [], subject };
    await layout.pushBlob('team/module', new TextEncoder().encode('{}'));
    const pushed = await layout.pushManifest('team/module', new TextEncoder().encode(JSON.stringify(sig)), MEDIA_TYPES.ociManifest);
    expect(await layout.referrers('team/module', subject.digest)).toEqual([expect.objectContaining({ digest: pushed.digest, artifactType: 'application/vnd.example.signature' })]);
    expect(await layout.referrers('team/module', subject.digest, 'application/other')).toEqual([]);
    expect(await layout.listTags('team/module')).toEqual(['1.0.0', 'latest']);
  });

  it('is read and written by the real oras CLI (--oci-layout)', async () => {
    const layout = await sampleLayout();
    const fetched = JSON.parse((await oras(['manifest', 'fetch', '--oci-layout', `${join(layout.root, 'team/module')}:1.0.0`])).stdout);
    expect(fetched.artifactType).toBe(MEDIA_TYPES.moduleArtifact);
    expect(fetched.layers[0].mediaType).toBe('application/wasm');
    const out = tmp('wgs-oras-out-');
    await oras(['pull', '--oci-layout', `${join(layout.root, 'team/graph')}:1.0.0`, '-o', out]);
    expect(readFileSync(join(out, 'graph.yaml'))).toEqual(Buffer.from(YAML));

    const src = tmp('wgs-oras-src-');
    writeFileSync(join(src, 'op.wasm'), WASM);
    await oras(['push', '--oci-layout', `${join(layout.root, 'from-oras/op')}:2.0.0`, '--artifact-type', MEDIA_TYPES.moduleArtifact, 'op.wasm:application/wasm'], { cwd: src });
    expect(await layout.listRepositories()).toContain('from-oras/op');
    const pulled = await layout.pull('from-oras/op', '2.0.0');
    expect(pulled).toMatchObject({ kind: 'module', fileName: 'op.wasm' });
    expect(pulled.content).toEqual(WASM);
  });

  it('the embedded registry lists the sample graphs and modules with their kinds', async () => {
    const embedded = embeddedRegistry();
    const repos = await embedded.listRepositories();
    expect(repos).toEqual(expect.arrayContaining(['azure-samples/explore-iot-operations/temperature', 'azure-samples/explore-iot-operations/graph-simple']));
    expect((await listArtifacts(embedded, 'azure-samples/explore-iot-operations/temperature'))[0]).toMatchObject({ tag: '1.0.0', kind: 'module' });
    expect((await listArtifacts(embedded, 'azure-samples/explore-iot-operations/graph-simple'))[0]).toMatchObject({ tag: '1.0.0', kind: 'graph' });
  });
});

describe('ContentCache', () => {
  it('keeps only content that matches its digest, under blobs/<alg>/<hex>', async () => {
    const cache = new ContentCache(tmp('wgs-cache-'));
    const digest = sha256(WASM);
    await expect(cache.put(digest, new Uint8Array([1]))).rejects.toThrow(DigestMismatchError);
    expect(existsSync(cache.blobPath(digest))).toBe(false);
    await cache.put(digest, WASM);
    expect(cache.blobPath(digest)).toBe(join(cache.root, 'blobs', 'sha256', digest.slice(7)));
    expect(await cache.get(digest)).toEqual(WASM);
  });

  it('drops a cached file that was altered on disk', async () => {
    const cache = new ContentCache(tmp('wgs-cache-'));
    const digest = sha256(WASM);
    await cache.put(digest, WASM);
    writeFileSync(cache.blobPath(digest), 'tampered');
    expect(await cache.get(digest)).toBeUndefined();
    expect(existsSync(cache.blobPath(digest))).toBe(false);
  });

  it('remembers the digest of a tag per registry and repository', async () => {
    const cache = new ContentCache(tmp('wgs-cache-'));
    const d = { mediaType: MEDIA_TYPES.ociManifest, digest: sha256(YAML), size: YAML.length };
    await cache.rememberTag('127.0.0.1:5000', 'a/b', '1.0.0', d);
    expect(await cache.recallTag('127.0.0.1:5000', 'a/b', '1.0.0')).toEqual(d);
    expect(await cache.recallTag('127.0.0.1:5001', 'a/b', '1.0.0')).toBeUndefined();
  });
});
