import { describe, expect, it } from 'vitest';
import { artifactManifest, inlineContent } from './artifacts.ts';
import { sha256 } from './digest.ts';
import { ManifestError } from './errors.ts';
import { parseManifest } from './manifest.ts';
import { artifactKind, MEDIA_TYPES, type ImageManifest, type Manifest } from './media-types.ts';

const d = (mediaType: string, size = 3) => ({ mediaType, digest: sha256(new Uint8Array(size)), size });
const image = (o: Partial<ImageManifest>): ImageManifest => ({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: d(MEDIA_TYPES.emptyJson), layers: [], ...o });
const bytes = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));

describe('artifactKind', () => {
  it('recognises a graph by its config media type, as `oras push --config /dev/null:<graph type>` writes it', () => {
    expect(artifactKind(image({ config: d(MEDIA_TYPES.graphConfig, 0), layers: [d(MEDIA_TYPES.graphLayer)] }))).toBe('graph');
  });

  it('recognises modules by artifactType, by the config type (oras --image-spec v1.0) and by the older layer type', () => {
    expect(artifactKind(image({ artifactType: MEDIA_TYPES.moduleArtifact, layers: [d(MEDIA_TYPES.moduleLayer)] }))).toBe('module');
    expect(artifactKind(image({ config: d(MEDIA_TYPES.moduleArtifact), layers: [d(MEDIA_TYPES.moduleLayer)] }))).toBe('module');
    expect(artifactKind(image({ artifactType: 'application/vnd.unknown.artifact.v1', layers: [d(MEDIA_TYPES.legacyModuleLayer)] }))).toBe('module');
  });

  it('calls everything else other: container images, a plain wasm layer without artifact type, indexes', () => {
    expect(artifactKind(image({ config: d('application/vnd.oci.image.config.v1+json'), layers: [d('application/vnd.oci.image.layer.v1.tar+gzip')] }))).toBe('other');
    expect(artifactKind(image({ layers: [d(MEDIA_TYPES.moduleLayer)] }))).toBe('other');
    const index: Manifest = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [d(MEDIA_TYPES.ociManifest)] };
    expect(artifactKind(index)).toBe('other');
  });

  it('reads a Docker v2 schema 2 manifest like an OCI one', () => {
    const docker = image({ mediaType: MEDIA_TYPES.dockerManifest, config: d('application/vnd.docker.container.image.v1+json'), layers: [d('application/vnd.docker.image.rootfs.diff.tar.gzip')] });
    const parsed = parseManifest(bytes(docker), MEDIA_TYPES.dockerManifest, 'r', 'x:1');
    expect(parsed.mediaType).toBe(MEDIA_TYPES.dockerManifest);
    expect(artifactKind(parsed.manifest)).toBe('other');
  });
});

describe('parseManifest', () => {
  it('takes the media type from the manifest, else the Content-Type, else the shape', () => {
    expect(parseManifest(bytes(image({})), 'application/json', 'r', 'x:1').mediaType).toBe(MEDIA_TYPES.ociManifest);
    const { mediaType: _m, ...bare } = image({});
    expect(parseManifest(bytes(bare), `${MEDIA_TYPES.dockerManifest}; charset=utf-8`, 'r', 'x:1').mediaType).toBe(MEDIA_TYPES.dockerManifest);
    expect(parseManifest(bytes({ schemaVersion: 2, manifests: [] }), undefined, 'r', 'x:1').mediaType).toBe(MEDIA_TYPES.ociIndex);
  });

  it('rejects what is not a usable manifest with a one-line error naming registry and reference', () => {
    const cases: [unknown, RegExp][] = [
      ['<html>oops</html>', /registry r: manifest of x:1 is not JSON \(text\/html, 17 bytes\)/],
      [{ schemaVersion: 1, name: 'x', fsLayers: [] }, /Docker schema 1, which is not supported/],
      [{ schemaVersion: 2 }, /neither config and layers nor manifests/],
      [{ schemaVersion: 2, mediaType: 'application/vnd.example+json', config: d('a'), layers: [] }, /media type application\/vnd.example\+json, expected one of/],
      [{ schemaVersion: 2, config: { digest: 'sha256:x' }, layers: [] }, /descriptor without mediaType, digest and size/],
      [[1, 2], /is not a JSON object/],
    ];
    for (const [input, message] of cases) {
      const data = typeof input === 'string' ? new TextEncoder().encode(input) : bytes(input);
      let err: unknown;
      try {
        parseManifest(data, typeof input === 'string' ? 'text/html' : undefined, 'r', 'x:1');
      } catch (e) {
        err = e;
      }
      expect(err, String(message)).toBeInstanceOf(ManifestError);
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('artifactManifest', () => {
  it('writes the media types of the reference for graphs and modules', () => {
    const graph = artifactManifest({ kind: 'graph', content: new TextEncoder().encode('a: 1'), fileName: 'g.yaml' });
    expect(graph.manifest.config).toEqual({ mediaType: MEDIA_TYPES.graphConfig, digest: sha256(new Uint8Array()), size: 0 });
    expect(graph.manifest.artifactType).toBeUndefined();
    expect(graph.manifest.layers[0]).toMatchObject({ mediaType: 'application/yaml', size: 4, annotations: { 'org.opencontainers.image.title': 'g.yaml' } });
    const mod = artifactManifest({ kind: 'module', content: new Uint8Array([0, 97, 115, 109]), fileName: 'm.wasm' });
    expect(mod.manifest.artifactType).toBe(MEDIA_TYPES.moduleArtifact);
    expect(mod.manifest.config).toMatchObject({ mediaType: MEDIA_TYPES.emptyJson, size: 2, digest: sha256(new TextEncoder().encode('{}')) });
    expect(mod.manifest.layers[0]!.mediaType).toBe('application/wasm');
    expect(artifactKind(graph.manifest)).toBe('graph');
    expect(artifactKind(mod.manifest)).toBe('module');
  });

  it('knows the content of empty and inline descriptors without asking a registry, and only when it matches', () => {
    expect(inlineContent({ mediaType: 'x', digest: sha256(new Uint8Array()), size: 0 })).toEqual(new Uint8Array());
    expect(new TextDecoder().decode(inlineContent({ mediaType: MEDIA_TYPES.emptyJson, digest: sha256(new TextEncoder().encode('{}')), size: 2 }))).toBe('{}');
    expect(inlineContent({ mediaType: 'x', digest: sha256(new TextEncoder().encode('hi')), size: 2, data: Buffer.from('hi').toString('base64') })).toEqual(new TextEncoder().encode('hi'));
    expect(inlineContent({ mediaType: 'x', digest: sha256(new TextEncoder().encode('hi')), size: 2, data: Buffer.from('ho').toString('base64') })).toBeUndefined();
    expect(inlineContent({ mediaType: 'x', digest: sha256(new Uint8Array(5)), size: 5 })).toBeUndefined();
  });
});
