import type { Descriptor, Manifest } from './media-types.ts';

export interface FetchedManifest {
  /** The manifest's descriptor: digest and size verified against the bytes. */
  descriptor: Descriptor;
  bytes: Uint8Array;
  manifest: Manifest;
}

export interface PushedBlob {
  digest: string;
  size: number;
  /** How it got there: already present, mounted from another repository, or uploaded. */
  via: 'existing' | 'mount' | 'upload';
}

/**
 * What a registry offers, whether it is a remote OCI distribution registry
 * ({@link RegistryClient}) or an OCI image layout folder ({@link OciLayoutRegistry},
 * the embedded default registry). CLI and server code use only this.
 * Everything read is verified against its digest before it is returned.
 */
export interface ArtifactStore {
  /** For messages: the registry host, or the layout folder. */
  readonly location: string;
  /** Every repository (all pages of the catalog). */
  listRepositories(): Promise<string[]>;
  /** Every tag of a repository (all pages); an unknown repository is an ArtifactNotFoundError. */
  listTags(repository: string): Promise<string[]>;
  /** The manifest descriptor a tag or digest points at. */
  resolve(repository: string, reference: string): Promise<Descriptor>;
  fetchManifest(repository: string, reference: string): Promise<FetchedManifest>;
  fetchBlob(repository: string, descriptor: Pick<Descriptor, 'digest'> & { size?: number }): Promise<Uint8Array>;
  hasBlob(repository: string, digest: string): Promise<boolean>;
  /** Stores a blob; `mountFrom` names a repository of the same registry that already has it. */
  pushBlob(repository: string, data: Uint8Array, options?: { mountFrom?: string }): Promise<PushedBlob>;
  /** Makes a blob of another repository of the same registry available in `repository` without uploading it; false when that is not possible. */
  mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean>;
  /** Stores manifest bytes under a tag (or only by digest when `tag` is omitted). */
  pushManifest(repository: string, bytes: Uint8Array, mediaType: string, tag?: string): Promise<Descriptor>;
  /** Manifests whose `subject` is `digest` (referrers API, or the tag schema fallback). */
  referrers(repository: string, digest: string, artifactType?: string): Promise<Descriptor[]>;
}
