import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { digestOf, parseDigest } from './digest.ts';
import { DigestMismatchError } from './errors.ts';
import type { Descriptor } from './media-types.ts';
import { writeFileAtomic } from './oci-layout.ts';

/** The same root as the runtime's component cache: WGS_CACHE_DIR, else ~/.cache/wgs. */
export function defaultCacheRoot(): string {
  return process.env.WGS_CACHE_DIR ?? join(homedir(), '.cache', 'wgs');
}

/**
 * Content pulled from registries, kept by digest under `<root>/blobs/<alg>/<hex>`
 * (manifests and layers alike), shared by the CLI and the runtime. Only bytes
 * that match their digest are written (atomically); a file that no longer
 * matches is removed and treated as missing. The last digest seen for each
 * tag is kept under `<root>/refs/` so a tag can be used while the registry is
 * unreachable.
 */
export class ContentCache {
  constructor(readonly root = defaultCacheRoot()) {}

  blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.root, 'blobs', algorithm, hex);
  }

  async has(digest: string): Promise<boolean> {
    return stat(this.blobPath(digest)).then(() => true, () => false);
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    const path = this.blobPath(digest);
    let data: Uint8Array;
    try {
      const buf = await readFile(path);
      data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch {
      return undefined;
    }
    if (digestOf(data, digest) !== digest) {
      await rm(path, { force: true });
      return undefined;
    }
    return data;
  }

  /** Keeps `data` under `digest`; refuses (DigestMismatchError) bytes that do not match. */
  async put(digest: string, data: Uint8Array): Promise<void> {
    const actual = digestOf(data, digest);
    if (actual !== digest) throw new DigestMismatchError(`cache ${this.root}`, 'content', digest, actual);
    const path = this.blobPath(digest);
    if (await stat(path).then((s) => s.size === data.length, () => false)) return;
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, data);
  }

  private tagPath(location: string, repository: string, tag: string): string {
    return join(this.root, 'refs', encodeURIComponent(location), ...repository.split('/'), `${tag}.json`);
  }

  async rememberTag(location: string, repository: string, tag: string, descriptor: Descriptor): Promise<void> {
    const path = this.tagPath(location, repository, tag);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, JSON.stringify({ mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size }));
  }

  async recallTag(location: string, repository: string, tag: string): Promise<Descriptor | undefined> {
    try {
      const d = JSON.parse(await readFile(this.tagPath(location, repository, tag), 'utf8')) as Descriptor;
      parseDigest(d.digest);
      return d;
    } catch {
      return undefined;
    }
  }
}
