/** `[registry/]repository:tag` or `...@sha256:digest`, as used by graph `module` fields and artifacts. */
export interface ArtifactReference {
  /** Registry host (with port) when the reference names one. */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** The first path component is a registry host when it has a dot, a colon, or is localhost. */
function looksLikeHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

export function parseArtifactReference(ref: string): ArtifactReference {
  const text = ref.trim();
  if (!text) throw new Error('empty artifact reference');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`invalid digest in "${ref}"`);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0 && looksLikeHost(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`invalid tag "${tag}" in "${ref}"`);
  }
  if (!REPOSITORY.test(rest)) throw new Error(`invalid repository "${rest}" in "${ref}"`);
  if (!tag && !digest) throw new Error(`"${ref}" names no tag or digest (expected name:version)`);
  return { registry, repository: rest, tag, digest };
}

export function formatArtifactReference(r: ArtifactReference): string {
  return `${r.registry ? `${r.registry}/` : ''}${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
