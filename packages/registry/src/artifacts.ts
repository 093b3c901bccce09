/**
 * Graph and module artifacts on any {@link ArtifactStore}: pull (through the
 * content cache), push in the reference's (and oras') format, list with kinds,
 * and copy between stores.
 */
import type { ContentCache } from './cache.ts';
import { Buffer } from 'node:buffer';
import { digestOf, isDigest, sha256 } from './digest.ts';
import { ArtifactKindError, ManifestError, RegistryAuthError, RegistryError, RegistryUnreachableError } from './errors.ts';
import { parseManifest } from './manifest.ts';
import { ANNOTATIONS, artifactKind, describeManifest, isIndex, MEDIA_TYPES, type ArtifactKind, type Descriptor, type ImageManifest, type Manifest } from './media-types.ts';
import type { ArtifactStore, FetchedManifest, PushedBlob } from './store.ts';

export interface ArtifactContent {
  kind: 'graph' | 'module';
  content: Uint8Array;
  /** Recorded as the layer's `org.opencontainers.image.title`, as oras does. */
  fileName: string;
}

export interface PulledArtifact {
  kind: ArtifactKind;
  manifest: ImageManifest;
  manifestDigest: string;
  manifestMediaType: string;
  /** The first layer: the YAML of a graph, the component of a module. */
  layer: Descriptor;
  content: Uint8Array;
  /** The layer's title annotation, when it has one. */
  fileName?: string;
  /** 'cache' when nothing had to be downloaded; 'offline' when the registry was unreachable and the cached tag was used. */
  source: 'registry' | 'cache' | 'offline';
}

export interface PullOptions {
  cache?: ContentCache;
  /** Fail unless the artifact is of this kind. */
  expect?: 'graph' | 'module';
}

function where(repository: string, reference: string): string {
  return `${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
}

/** Reads a manifest by digest from the cache, else from the store (verified), then caches it. */
async function manifestByDigest(store: ArtifactStore, repository: string, descriptor: Descriptor, cache: ContentCache | undefined, label: string): Promise<{ fetched: FetchedManifest; cached: boolean }> {
  const cached = await cache?.get(descriptor.digest);
  if (cached) {
    const { manifest, mediaType } = parseManifest(cached, descriptor.mediaType, store.location, label);
    return { fetched: { descriptor: { ...descriptor, mediaType, size: cached.length }, bytes: cached, manifest }, cached: true };
  }
  const fetched = await store.fetchManifest(repository, descriptor.digest);
  await cache?.put(fetched.descriptor.digest, fetched.bytes);
  return { fetched, cached: false };
}

/** The OCI empty descriptor's content, `{}`. */
const EMPTY_JSON = new TextEncoder().encode('{}');
const EMPTY_JSON_DIGEST = sha256(EMPTY_JSON);

/**
 * Content a descriptor determines by itself: the empty blob (size 0) and
 * inline `data` — verified against the digest; undefined otherwise.
 */
export function inlineContent(descriptor: Descriptor): Uint8Array | undefined {
  let data: Uint8Array | undefined;
  if (descriptor.size === 0) data = new Uint8Array();
  else if (typeof descriptor.data === 'string') data = new Uint8Array(Buffer.from(descriptor.data, 'base64'));
  else if (descriptor.digest === EMPTY_JSON_DIGEST) data = EMPTY_JSON;
  return data && data.length === descriptor.size && isDigest(descriptor.digest) && digestOf(data, descriptor.digest) === descriptor.digest ? data : undefined;
}

/** Reads a blob from the cache, else from the store (verified), then caches it. */
export async function blobThroughCache(store: ArtifactStore, repository: string, descriptor: Descriptor, cache: ContentCache | undefined): Promise<{ data: Uint8Array; cached: boolean }> {
  const inline = inlineContent(descriptor);
  if (inline) return { data: inline, cached: true };
  const hit = await cache?.get(descriptor.digest);
  if (hit && hit.length === descriptor.size) return { data: hit, cached: true };
  const data = await store.fetchBlob(repository, descriptor);
  await cache?.put(descriptor.digest, data);
  return { data, cached: false };
}

/**
 * Pulls a graph or module artifact by tag or digest. With a cache, content
 * already pulled is never downloaded again: by digest nothing is asked of the
 * registry at all; by tag only the tag is resolved (tags are mutable), and
 * when the registry cannot be reached the tag's last known digest is used.
 */
export async function pullArtifact(store: ArtifactStore, repository: string, reference: string, options: PullOptions = {}): Promise<PulledArtifact> {
  const { cache } = options;
  const label = where(repository, reference);
  let descriptor: Descriptor | undefined;
  let offline = false;
  if (isDigest(reference) && cache && (await cache.has(reference))) {
    descriptor = { mediaType: '', digest: reference, size: -1 };
  } else {
    try {
      descriptor = await store.resolve(repository, reference);
    } catch (e) {
      const remembered = e instanceof RegistryUnreachableError && cache && !isDigest(reference) ? await cache.recallTag(store.location, repository, reference) : undefined;
      if (!remembered || !(await cache!.has(remembered.digest))) throw e;
      descriptor = remembered;
      offline = true;
    }
  }
  const { fetched, cached: manifestCached } = await manifestByDigest(store, repository, descriptor, cache, label);
  const { manifest, descriptor: md } = fetched;
  const kind = artifactKind(manifest);
  if (isIndex(manifest)) {
    throw new ArtifactKindError(store.location, `${label} is an image index (${describeManifest(manifest, md.mediaType)}), not a graph or module artifact`);
  }
  if (kind === 'other') {
    throw new ArtifactKindError(store.location, `${label} is not a graph or module artifact (${describeManifest(manifest, md.mediaType)}); graphs have config ${MEDIA_TYPES.graphConfig}, modules artifactType ${MEDIA_TYPES.moduleArtifact}`);
  }
  if (options.expect && kind !== options.expect) throw new ArtifactKindError(store.location, `${label} is a ${kind} artifact, not a ${options.expect}`);
  const layer = manifest.layers[0];
  if (!layer) throw new ManifestError(store.location, `manifest of ${label} has no layers`);
  const { data, cached: layerCached } = await blobThroughCache(store, repository, layer, cache);
  if (cache && !isDigest(reference) && !offline) await cache.rememberTag(store.location, repository, reference, md);
  return {
    kind,
    manifest,
    manifestDigest: md.digest,
    manifestMediaType: md.mediaType,
    layer,
    content: data,
    fileName: layer.annotations?.[ANNOTATIONS.title],
    source: offline ? 'offline' : manifestCached && layerCached ? 'cache' : 'registry',
  };
}


/**
 * The manifest the reference's `oras push` commands produce: a graph has a
 * 0-byte config of media type `application/vnd.microsoft.aio.graph.v1+yaml`
 * and one `application/yaml` layer; a module has artifactType
 * `application/vnd.module.wasm.content.layer.v1+wasm`, the empty JSON config
 * and one `application/wasm` layer. The layer is titled with the file name.
 */
export function artifactManifest(artifact: ArtifactContent): { manifest: ImageManifest; config: Uint8Array } {
  const isGraph = artifact.kind === 'graph';
  const config = isGraph ? new Uint8Array() : EMPTY_JSON;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    ...(isGraph ? {} : { artifactType: MEDIA_TYPES.moduleArtifact }),
    config: isGraph
      ? { mediaType: MEDIA_TYPES.graphConfig, digest: sha256(config), size: 0 }
      : { mediaType: MEDIA_TYPES.emptyJson, digest: EMPTY_JSON_DIGEST, size: 2, data: 'e30=' },
    layers: [{
      mediaType: isGraph ? MEDIA_TYPES.graphLayer : MEDIA_TYPES.moduleLayer,
      digest: sha256(artifact.content),
      size: artifact.content.length,
      annotations: { [ANNOTATIONS.title]: artifact.fileName },
    }],
  };
  return { manifest, config };
}

export interface PushResult {
  digest: string;
  size: number;
  mediaType: string;
  tags: string[];
  blobs: PushedBlob[];
}

/** Pushes a graph or module artifact and tags it with every tag given (at least one). */
export async function pushArtifact(store: ArtifactStore, repository: string, tags: string[], artifact: ArtifactContent, options: { cache?: ContentCache } = {}): Promise<PushResult> {
  if (!tags.length) throw new Error('pushArtifact needs a tag');
  const { manifest, config } = artifactManifest(artifact);
  const blobs = [await store.pushBlob(repository, config), await store.pushBlob(repository, artifact.content)];
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  let pushed: Descriptor | undefined;
  for (const tag of tags) pushed = await store.pushManifest(repository, bytes, MEDIA_TYPES.ociManifest, tag);
  if (options.cache) {
    await options.cache.put(manifest.layers[0]!.digest, artifact.content);
    await options.cache.put(pushed!.digest, bytes);
  }
  return { digest: pushed!.digest, size: bytes.length, mediaType: MEDIA_TYPES.ociManifest, tags, blobs };
}

export interface ListedArtifact {
  tag: string;
  kind: ArtifactKind;
  digest?: string;
  mediaType?: string;
  /** Bytes of its config and layers (an image index: undefined, its children are listed elsewhere). */
  size?: number;
  /** For 'other': what it is instead (media types), or why it could not be read. */
  detail?: string;
  error?: string;
}

/**
 * Every tag of a repository with its artifact kind and manifest digest. A tag
 * whose manifest is of another kind, or cannot be read, is listed as 'other'
 * with the reason; only an unreachable registry or refused credentials fail
 * the listing.
 */
export async function listArtifacts(store: ArtifactStore, repository: string, options: { concurrency?: number } = {}): Promise<ListedArtifact[]> {
  const tags = await store.listTags(repository);
  const out: ListedArtifact[] = new Array(tags.length);
  let next = 0;
  const worker = async () => {
    while (next < tags.length) {
      const i = next++;
      const tag = tags[i]!;
      try {
        const { manifest, descriptor } = await store.fetchManifest(repository, tag);
        const kind = artifactKind(manifest);
        const size = isIndex(manifest) ? undefined : [manifest.config, ...manifest.layers].reduce((sum, d) => sum + (d?.size ?? 0), 0);
        out[i] = { tag, kind, digest: descriptor.digest, mediaType: descriptor.mediaType, ...(size !== undefined ? { size } : {}), ...(kind === 'other' ? { detail: describeManifest(manifest, descriptor.mediaType) } : {}) };
      } catch (e) {
        if (e instanceof RegistryUnreachableError || e instanceof RegistryAuthError || !(e instanceof RegistryError)) throw e;
        out[i] = { tag, kind: 'other', error: e.message.replace(/^registry [^:]+(:\d+)?[^ ]*: /, '') };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, tags.length) }, worker));
  return out;
}

/** Blobs and child manifests a manifest refers to. */
function children(manifest: Manifest): { blobs: Descriptor[]; manifests: Descriptor[] } {
  if (isIndex(manifest)) return { blobs: [], manifests: manifest.manifests };
  return { blobs: [manifest.config, ...manifest.layers], manifests: [] };
}

/**
 * Copies an artifact (manifest, child manifests of an index, and blobs) from
 * one store to another, byte for byte, so digests stay the same; tags it with
 * `tags` (none: by digest only). Within one remote registry blobs are mounted
 * instead of uploaded. Returns the manifest descriptor.
 */
export async function copyArtifact(
  from: ArtifactStore, fromRepository: string, reference: string,
  to: ArtifactStore, toRepository: string, tags: string[],
  options: { cache?: ContentCache } = {},
): Promise<Descriptor> {
  const sameRegistry = from === to || from.location === to.location;
  const copyManifest = async (descriptor: Descriptor, tagList: (string | undefined)[]): Promise<Descriptor> => {
    const { fetched } = await manifestByDigest(from, fromRepository, descriptor, options.cache, where(fromRepository, descriptor.digest));
    const { blobs, manifests } = children(fetched.manifest);
    for (const child of manifests) await copyManifest(child, [undefined]);
    for (const blob of blobs) {
      if (sameRegistry && fromRepository !== toRepository) {
        if (await to.mountBlob(toRepository, blob.digest, fromRepository)) continue;
      } else if (await to.hasBlob(toRepository, blob.digest)) {
        continue;
      }
      const { data } = await blobThroughCache(from, fromRepository, blob, options.cache);
      await to.pushBlob(toRepository, data);
    }
    let pushed: Descriptor | undefined;
    for (const tag of tagList) pushed = await to.pushManifest(toRepository, fetched.bytes, fetched.descriptor.mediaType, tag);
    return pushed!;
  };
  const root = isDigest(reference) && options.cache && (await options.cache.has(reference))
    ? { mediaType: '', digest: reference, size: -1 }
    : await from.resolve(fromRepository, reference);
  return copyManifest(root, tags.length ? tags : [undefined]);
}
