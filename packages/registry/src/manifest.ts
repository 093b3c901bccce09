import { ManifestError } from './errors.ts';
import { MEDIA_TYPES, type Manifest } from './media-types.ts';

const KNOWN = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.dockerManifestList]);

/** Media types registries send for manifests that are not the ones we read. */
const SCHEMA1 = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

/**
 * Parses manifest bytes: OCI image manifest, OCI index, Docker v2 schema 2
 * manifest or manifest list. `contentType` is what the registry said (or the
 * layout's descriptor); the manifest's own `mediaType` wins when present.
 * Errors name the registry and the reference (`where`).
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined, registry: string, where: string): { manifest: Manifest; mediaType: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ManifestError(registry, `manifest of ${where} is not JSON (${contentType || 'no content type'}, ${bytes.length} bytes)`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ManifestError(registry, `manifest of ${where} is not a JSON object`);
  const m = json as Record<string, unknown>;
  const declared = typeof m.mediaType === 'string' ? m.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  if (m.schemaVersion === 1 || SCHEMA1.includes(declared ?? '') || SCHEMA1.includes(header ?? '')) {
    throw new ManifestError(registry, `manifest of ${where} is Docker schema 1, which is not supported (push it again with a current client)`);
  }
  if (m.schemaVersion !== 2) throw new ManifestError(registry, `manifest of ${where} has schemaVersion ${JSON.stringify(m.schemaVersion)}, expected 2`);
  const isIndex = Array.isArray(m.manifests);
  const isImage = !!m.config && typeof m.config === 'object' && Array.isArray(m.layers);
  if (!isIndex && !isImage) throw new ManifestError(registry, `manifest of ${where} has neither config and layers nor manifests`);
  let mediaType = declared ?? (header && KNOWN.has(header) ? header : isIndex ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  if (!KNOWN.has(mediaType)) {
    throw new ManifestError(registry, `manifest of ${where} has media type ${mediaType}, expected one of ${[...KNOWN].join(', ')}`);
  }
  if (isIndex !== (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList)) {
    mediaType = isIndex ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  }
  const descriptors = isIndex ? (m.manifests as unknown[]) : [m.config, ...(m.layers as unknown[])];
  for (const d of descriptors) {
    const x = d as Record<string, unknown> | null;
    if (!x || typeof x.digest !== 'string' || typeof x.size !== 'number' || typeof x.mediaType !== 'string') {
      throw new ManifestError(registry, `manifest of ${where} has a descriptor without mediaType, digest and size`);
    }
  }
  return { manifest: json as Manifest, mediaType };
}
