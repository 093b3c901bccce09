/** Media types of graph and module artifacts (reference §5) and of the manifests that carry them. */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  emptyJson: 'application/vnd.oci.empty.v1+json',
  graphConfig: 'application/vnd.microsoft.aio.graph.v1+yaml',
  graphLayer: 'application/yaml',
  moduleArtifact: 'application/vnd.module.wasm.content.layer.v1+wasm',
  moduleLayer: 'application/wasm',
  legacyModuleLayer: 'application/vnd.wasm.content.layer.v1+wasm',
} as const;

/** What a manifest request accepts: OCI manifest and index, Docker v2 schema 2 and its list. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
].join(', ');

export const ANNOTATIONS = {
  refName: 'org.opencontainers.image.ref.name',
  title: 'org.opencontainers.image.title',
} as const;

export type ArtifactKind = 'graph' | 'module' | 'other';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
  platform?: Record<string, unknown>;
  data?: string;
}

/** OCI image manifest or Docker v2 schema 2 manifest (same shape). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** OCI image index or Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type Manifest = ImageManifest | ImageIndex;

export function isIndex(m: Manifest): m is ImageIndex {
  return Array.isArray((m as ImageIndex).manifests);
}

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

/**
 * Classifies a manifest by the media types the reference and oras use: a graph
 * has the graph config media type; a module has the module artifact type (or,
 * as oras writes it with `--image-spec v1.0`, that type as config media type),
 * or the older layer media type. An index or anything else is 'other'.
 */
export function artifactKind(m: Manifest): ArtifactKind {
  if (isIndex(m) || !m.config || !Array.isArray(m.layers)) return 'other';
  if (m.config.mediaType === MEDIA_TYPES.graphConfig) return 'graph';
  if (m.artifactType === MEDIA_TYPES.moduleArtifact || m.config.mediaType === MEDIA_TYPES.moduleArtifact) return 'module';
  if (m.layers.some((l) => l.mediaType === MEDIA_TYPES.legacyModuleLayer || l.mediaType === MEDIA_TYPES.moduleArtifact)) return 'module';
  return 'other';
}

/** A short description of what an 'other' manifest is, for listings and errors. */
export function describeManifest(m: Manifest, mediaType: string): string {
  if (isIndex(m)) return `${mediaType || 'index'} of ${m.manifests.length} manifest${m.manifests.length === 1 ? '' : 's'}`;
  const parts = [m.artifactType ? `artifactType ${m.artifactType}` : `config ${m.config?.mediaType ?? '?'}`];
  if (m.layers?.length) parts.push(`layers ${[...new Set(m.layers.map((l) => l.mediaType))].join(', ')}`);
  else parts.push('no layers');
  return parts.join(', ');
}
