import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { artifactKind, MEDIA_TYPES, type ArtifactKind, type Descriptor, type ImageManifest } from './media-types.ts';

const REF_NAME = 'org.opencontainers.image.ref.name';
const TITLE = 'org.opencontainers.image.title';

export function sha256(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface PulledArtifact {
  kind: ArtifactKind;
  manifest: ImageManifest;
  manifestDigest: string;
  /** Bytes of the first layer: the YAML of a graph, the component of a module. */
  content: Uint8Array;
}

export class ArtifactNotFoundError extends Error {
  constructor(readonly reference: string, detail: string) {
    super(`${reference}: ${detail}`);
    this.name = 'ArtifactNotFoundError';
  }
}

/**
 * A registry kept as OCI image layouts on disk, one layout per repository
 * (`<root>/<repository>/{oci-layout,index.json,blobs/}`), so `oras
 * --oci-layout <root>/<repository>:<tag>` reads it too. The embedded default
 * registry is one of these.
 */
export class OciLayoutRegistry {
  constructor(readonly root: string) {}

  private dir(repository: string): string {
    if (repository.split('/').some((p) => p === '..' || p === '.' || p === '')) throw new Error(`invalid repository "${repository}"`);
    return join(this.root, repository);
  }

  private async readIndex(repository: string): Promise<{ schemaVersion: 2; manifests: Descriptor[] }> {
    try {
      return JSON.parse(await readFile(join(this.dir(repository), 'index.json'), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, manifests: [] };
      throw e;
    }
  }

  async readBlob(repository: string, digest: string): Promise<Uint8Array> {
    const [alg, hex] = digest.split(':');
    let data: Uint8Array;
    try {
      data = await readFile(join(this.dir(repository), 'blobs', alg!, hex!));
    } catch {
      throw new ArtifactNotFoundError(`${repository}@${digest}`, 'blob not found');
    }
    if (sha256(data) !== digest) throw new Error(`${repository}@${digest}: blob content does not match its digest`);
    return data;
  }

  async writeBlob(repository: string, data: Uint8Array): Promise<Descriptor & { mediaType: '' }> {
    const digest = sha256(data);
    const dir = join(this.dir(repository), 'blobs', 'sha256');
    await mkdir(dir, { recursive: true });
    const path = join(dir, digest.slice(7));
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
    return { mediaType: '', digest, size: data.length };
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

  async listTags(repository: string): Promise<{ tag: string; digest: string }[]> {
    const index = await this.readIndex(repository);
    return index.manifests
      .filter((m) => m.annotations?.[REF_NAME])
      .map((m) => ({ tag: m.annotations![REF_NAME]!, digest: m.digest }));
  }

  async resolve(repository: string, tagOrDigest: string): Promise<Descriptor> {
    const index = await this.readIndex(repository);
    const found = tagOrDigest.startsWith('sha256:')
      ? index.manifests.find((m) => m.digest === tagOrDigest)
      : index.manifests.find((m) => m.annotations?.[REF_NAME] === tagOrDigest);
    if (!found) {
      const detail = index.manifests.length ? `tag "${tagOrDigest}" not found` : 'repository not found';
      throw new ArtifactNotFoundError(`${repository}:${tagOrDigest}`, detail);
    }
    return found;
  }

  async pull(repository: string, tagOrDigest: string): Promise<PulledArtifact> {
    const desc = await this.resolve(repository, tagOrDigest);
    const manifestBytes = await this.readBlob(repository, desc.digest);
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as ImageManifest;
    const layer = manifest.layers?.[0];
    if (!layer) throw new Error(`${repository}:${tagOrDigest}: manifest has no layers`);
    const content = await this.readBlob(repository, layer.digest);
    return { kind: artifactKind(manifest), manifest, manifestDigest: desc.digest, content };
  }

  /** Stores a single-layer artifact and tags it; returns the manifest digest. */
  async push(repository: string, tag: string, artifact: { kind: 'graph' | 'module'; content: Uint8Array; fileName: string }): Promise<string> {
    const isGraph = artifact.kind === 'graph';
    const configBytes = isGraph ? new Uint8Array() : new TextEncoder().encode('{}');
    const config = await this.writeBlob(repository, configBytes);
    const layer = await this.writeBlob(repository, artifact.content);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      ...(isGraph ? {} : { artifactType: MEDIA_TYPES.moduleArtifact }),
      config: { ...config, mediaType: isGraph ? MEDIA_TYPES.graphConfig : MEDIA_TYPES.emptyJson },
      layers: [{ ...layer, mediaType: isGraph ? MEDIA_TYPES.graphLayer : MEDIA_TYPES.moduleLayer, annotations: { [TITLE]: artifact.fileName } }],
    };
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
    const m = await this.writeBlob(repository, manifestBytes);
    const dir = this.dir(repository);
    await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const index = await this.readIndex(repository);
    index.manifests = index.manifests.filter((d) => d.annotations?.[REF_NAME] !== tag);
    index.manifests.push({ mediaType: MEDIA_TYPES.ociManifest, digest: m.digest, size: m.size, annotations: { [REF_NAME]: tag } });
    const tmp = join(dir, `index.json.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(index, null, 2));
    await rename(tmp, join(dir, 'index.json'));
    return m.digest;
  }

  async exists(): Promise<boolean> {
    return stat(this.root).then(() => true, () => false);
  }
}
