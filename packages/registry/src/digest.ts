import { createHash } from 'node:crypto';

const ALGORITHMS: Record<string, { node: string; hexLength: number }> = {
  sha256: { node: 'sha256', hexLength: 64 },
  sha512: { node: 'sha512', hexLength: 128 },
};

export function sha256(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** `alg:hex` with a supported algorithm and a well-formed hex part. */
export function parseDigest(digest: string): { algorithm: string; hex: string } {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const alg = ALGORITHMS[algorithm];
  if (colon <= 0 || !alg) throw new Error(`unsupported digest "${digest}" (sha256 or sha512 expected)`);
  if (hex.length !== alg.hexLength || !/^[a-f0-9]+$/.test(hex)) throw new Error(`malformed digest "${digest}"`);
  return { algorithm, hex };
}

export function isDigest(text: string): boolean {
  try {
    parseDigest(text);
    return true;
  } catch {
    return false;
  }
}

/** The digest of `data` computed with the algorithm of `like`. */
export function digestOf(data: Uint8Array, like: string): string {
  const { algorithm } = parseDigest(like);
  return `${algorithm}:${createHash(ALGORITHMS[algorithm]!.node).update(data).digest('hex')}`;
}
