import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, readdir, stat, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pullArtifact, pushArtifact, type ArtifactContent, type PulledArtifact } from './artifacts.ts';
import { digestOf, isDigest, parseDigest, sha256 } from './digest.ts';
import { ArtifactNotFoundError, DigestMismatchError, RegistryError } from './errors.ts';
import { parseManifest } from './manifest.ts';
import { ANNOTATIONS, isIndex, type Descriptor } from './media-types.ts';
import type { ArtifactStore, FetchedManifest, PushedBlob } from './store.ts';

interface LayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/** Writes a file atomically: a uniquely named temporary file, then rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A registry kept as OCI image layouts on disk, one layout per repository
 * (`<root>/<repository>/{oci-layout,index.json,blobs/}`), so `oras
 * --oci-layout <root>/<repository>:<tag>` reads and writes it too. The embedded
 * default registry is one of these. Implements the same {@link ArtifactStore}
 * interface as the remote client.
 */
export class OciLayoutRegistry implements ArtifactStore {
  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  private dir(repository: string): string {
    if (!repository || repository.split('/').some((p) => p === '..' || p === '.' || p === '' || p === 'blobs')) {
      throw new RegistryError(this.root, `invalid repository "${repository}"`);
    }
    return join(this.root, repository);
  }

  private async isRepository(repository: string): Promise<boolean> {
    return stat(join(this.dir(repository), 'oci-layout')).then(() => true, () => false);
  }

  private async readIndex(repository: string): Promise<LayoutIndex> {
    let text: string;
    try {
      text = await readFile(join(this.dir(repository), 'index.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, manifests: [] };
      throw e;
    }
    try {
      const index = JSON.parse(text) as LayoutIndex;
      if (!Array.isArray(index.manifests)) throw new Error('no manifests');
      return index;
    } catch {
      throw new RegistryError(this.root, `${repository}/index.json is not a valid OCI image index`);
    }
  }

  private async writeIndex(repository: string, index: LayoutIndex): Promise<void> {
    const dir = this.dir(repository);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFileAtomic(join(dir, 'index.json'), JSON.stringify(index, null, 2));
  }

  private blobPath(repository: string, digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.dir(repository), 'blobs', algorithm, hex);
  }

  /** A blob's bytes, verified against its digest (and size when given). */
  async readBlob(repository: string, digest: string, size?: number): Promise<Uint8Array> {
    let data: Uint8Array;
    try {
      const buf = await readFile(this.blobPath(repository, digest));
      data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      if (e instanceof Error && !(e as NodeJS.ErrnoException).code) throw new RegistryError(this.root, e.message);
      throw new ArtifactNotFoundError(this.root, 'blob', `${repository}@${digest}`);
    }
    const actual = digestOf(data, digest);
    if (actual !== digest) throw new DigestMismatchError(this.root, `blob ${repository}@${digest}`, digest, actual);
    if (size !== undefined && data.length !== size) {
      throw new RegistryError(this.root, `blob ${repository}@${digest} has ${data.length} bytes, the manifest says ${size}`);
    }
    return data;
  }

  async writeBlob(repository: string, data: Uint8Array): Promise<{ digest: string; size: number }> {
    const digest = sha256(data);
    const path = this.blobPath(repository, digest);
    await mkdir(join(path, '..'), { recursive: true });
    if (!(await stat(path).then((s) => s.size === data.length, () => false))) await writeFileAtomic(path, data);
    return { digest, size: data.length };
  }

  async listRepositories(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      if (entries.some((e) => e.name === 'oci-layout')) out.push(relative(this.root, dir).split(sep).join('/'));
      for (const e of entries) if (e.isDirectory() && e.name !== 'blobs') await walk(join(dir, e.name));
    };
    await walk(this.root);
    return out.sort();
  }

  async listTags(repository: string): Promise<string[]> {
    if (!(await this.isRepository(repository))) throw new ArtifactNotFoundError(this.root, 'repository', repository);
    const index = await this.readIndex(repository);
    return index.manifests.flatMap((m) => (m.annotations?.[ANNOTATIONS.refName] ? [m.annotations[ANNOTATIONS.refName]!] : []));
  }

  async resolve(repository: string, reference: string): Promise<Descriptor> {
    if (!(await this.isRepository(repository))) throw new ArtifactNotFoundError(this.root, 'repository', repository);
    const index = await this.readIndex(repository);
    if (isDigest(reference)) {
      const listed = index.manifests.find((m) => m.digest === reference);
      if (listed) return listed;
      // A manifest stored only as a blob (e.g. a child of an index).
      const bytes = await this.readBlob(repository, reference).catch((e: unknown) => {
        if (e instanceof ArtifactNotFoundError) throw new ArtifactNotFoundError(this.root, 'manifest', `${repository}@${reference}`);
        throw e;
      });
      const { mediaType } = parseManifest(bytes, undefined, this.root, `${repository}@${reference}`);
      return { mediaType, digest: reference, size: bytes.length };
    }
    const found = index.manifests.find((m) => m.annotations?.[ANNOTATIONS.refName] === reference);
    if (!found) throw new ArtifactNotFoundError(this.root, 'tag', `${repository}:${reference}`);
    return found;
  }

  async fetchManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const descriptor = await this.resolve(repository, reference);
    const where = `${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
    const bytes = await this.readBlob(repository, descriptor.digest, descriptor.size);
    const { manifest, mediaType } = parseManifest(bytes, descriptor.mediaType, this.root, where);
    return { descriptor: { ...descriptor, mediaType }, bytes, manifest };
  }

  async fetchBlob(repository: string, descriptor: Pick<Descriptor, 'digest'> & { size?: number }): Promise<Uint8Array> {
    return this.readBlob(repository, descriptor.digest, descriptor.size);
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    return stat(this.blobPath(repository, digest)).then(() => true, () => false);
  }

  async pushBlob(repository: string, data: Uint8Array): Promise<PushedBlob> {
    const existed = await this.hasBlob(repository, sha256(data));
    const { digest, size } = await this.writeBlob(repository, data);
    return { digest, size, via: existed ? 'existing' : 'upload' };
  }

  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    if (await this.hasBlob(repository, digest)) return true;
    let data: Uint8Array;
    try {
      data = await this.readBlob(fromRepository, digest);
    } catch {
      return false;
    }
    await this.writeBlob(repository, data);
    return true;
  }

  async pushManifest(repository: string, bytes: Uint8Array, mediaType: string, tag?: string): Promise<Descriptor> {
    const { digest, size } = await this.writeBlob(repository, bytes);
    const index = await this.readIndex(repository);
    if (tag) {
      index.manifests = index.manifests.filter((d) => d.annotations?.[ANNOTATIONS.refName] !== tag);
      index.manifests.push({ mediaType, digest, size, annotations: { [ANNOTATIONS.refName]: tag } });
    } else if (!index.manifests.some((d) => d.digest === digest)) {
      index.manifests.push({ mediaType, digest, size });
    }
    await this.writeIndex(repository, index);
    return { mediaType, digest, size };
  }

  async referrers(repository: string, digest: string, artifactType?: string): Promise<Descriptor[]> {
    if (!(await this.isRepository(repository))) throw new ArtifactNotFoundError(this.root, 'repository', repository);
    const index = await this.readIndex(repository);
    const out: Descriptor[] = [];
    const seen = new Set<string>();
    for (const d of index.manifests) {
      if (seen.has(d.digest)) continue;
      seen.add(d.digest);
      const { manifest } = await this.fetchManifest(repository, d.digest).catch(() => ({ manifest: undefined }));
      if (!manifest || manifest.subject?.digest !== digest) continue;
      const type = manifest.artifactType ?? (isIndex(manifest) ? undefined : manifest.config.mediaType);
      if (artifactType && type !== artifactType) continue;
      out.push({ mediaType: d.mediaType, digest: d.digest, size: d.size, ...(type ? { artifactType: type } : {}), ...(manifest.annotations ? { annotations: manifest.annotations } : {}) });
    }
    return out;
  }

  /** Pulls a graph or module by tag or digest (first layer = content). */
  pull(repository: string, tagOrDigest: string): Promise<PulledArtifact> {
    return pullArtifact(this, repository, tagOrDigest);
  }

  /** Stores a single-layer graph or module artifact and tags it; returns the manifest digest. */
  async push(repository: string, tag: string, artifact: ArtifactContent): Promise<string> {
    return (await pushArtifact(this, repository, [tag], artifact)).digest;
  }

  async exists(): Promise<boolean> {
    return stat(this.root).then(() => true, () => false);
  }
}

