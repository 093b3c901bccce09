/** Media types of graph and module artifacts (reference §5). */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  emptyJson: 'application/vnd.oci.empty.v1+json',
  graphConfig: 'application/vnd.microsoft.aio.graph.v1+yaml',
  graphLayer: 'application/yaml',
  moduleArtifact: 'application/vnd.module.wasm.content.layer.v1+wasm',
  moduleLayer: 'application/wasm',
  legacyModuleLayer: 'application/vnd.wasm.content.layer.v1+wasm',
} as const;

export type ArtifactKind = 'graph' | 'module' | 'other';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** Classifies a manifest by the media types the reference and oras use. */
export function artifactKind(m: ImageManifest): ArtifactKind {
  if (m.config?.mediaType === MEDIA_TYPES.graphConfig) return 'graph';
  if (m.artifactType === MEDIA_TYPES.moduleArtifact) return 'module';
  if (m.layers?.some((l) => l.mediaType === MEDIA_TYPES.legacyModuleLayer || l.mediaType === MEDIA_TYPES.moduleArtifact)) return 'module';
  if (m.config?.mediaType === MEDIA_TYPES.moduleArtifact) return 'module';
  return 'other';
}
