/** The version a "save as new version" suggests: one patch above the highest of the definition's and the repository's. */
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)$/;

function parts(v: string): [number, number, number] | undefined {
  const m = SEMVER.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

export function nextVersion(current: string | undefined, existingTags: readonly string[]): string {
  const known = [current ?? '', ...existingTags].map(parts).filter((p): p is [number, number, number] => !!p);
  if (!known.length) return '1.0.0';
  const [major, minor, patch] = known.sort(compare).at(-1)!;
  return `${major}.${minor}.${patch + 1}`;
}

/** The repository's last path segment is a graph's usual artifact name (`graph-simple`). */
export const repositoryName = (repository: string): string => repository.split('/').pop() ?? repository;
