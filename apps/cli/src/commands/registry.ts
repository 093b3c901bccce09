import { readFileSync } from 'node:fs';
import { parseArtifactReference, type ArtifactReference } from '@wgs/graph-model';
import {
  ArtifactNotFoundError, ContentCache, EMBEDDED, listArtifacts, openRegistry, RegistryAuthError, splitRegistryPath,
  type ArtifactStore, type ListedArtifact,
} from '@wgs/registry';
import { flags } from './args.ts';

/** Flags every registry command takes: transport and credentials. */
export const REGISTRY_FLAGS = {
  'plain-http': { type: 'boolean' },
  username: { type: 'string', short: 'u' },
  password: { type: 'string', short: 'p' },
  'password-stdin': { type: 'boolean' },
  'registry-config': { type: 'string' },
  'timeout-ms': { type: 'string' },
} as const;

export const REGISTRY_FLAGS_USAGE = '[--plain-http] [-u user (-p password | --password-stdin)] [--registry-config docker-config.json] [--timeout-ms N]';

export interface RegistryFlagValues {
  'plain-http'?: boolean;
  username?: string;
  password?: string;
  'password-stdin'?: boolean;
  'registry-config'?: string;
  'timeout-ms'?: string;
}

const CREDENTIAL_HINT = 'give credentials with -u/-p, WGS_REGISTRY_USERNAME/WGS_REGISTRY_PASSWORD, or a docker config (--registry-config, ~/.docker/config.json)';

/**
 * Opens `registry` (a host, or `embedded`) with the command's flags;
 * credentials: flags, then WGS_REGISTRY_USERNAME/PASSWORD, then the docker config.
 */
export async function openFromFlags(registry: string, v: RegistryFlagValues): Promise<ArtifactStore> {
  let password = v.password;
  if (v['password-stdin']) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  const timeoutMs = v['timeout-ms'] === undefined ? undefined : Number(v['timeout-ms']);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new Error(`--timeout-ms expects a positive number, got "${v['timeout-ms']}"`);
  return openRegistry(registry, {
    plainHttp: v['plain-http'],
    username: v.username,
    password,
    configFile: v['registry-config'],
    timeoutMs,
  });
}

/** Adds what to do about an authentication failure to its message. */
export function withHint(e: unknown): Error {
  if (e instanceof RegistryAuthError && !/credentials with/.test(e.message) && e.status === 401) return new Error(`${e.message}; ${CREDENTIAL_HINT}`);
  return e as Error;
}

/** A reference to an artifact in a named registry: `host[:port]/repo:tag` or `embedded/repo:tag`. */
export function parseRegistryReference(text: string): { registry: string; ref: ArtifactReference; reference: string } {
  if (text.startsWith(`${EMBEDDED}/`)) {
    const ref = parseArtifactReference(text.slice(EMBEDDED.length + 1));
    return { registry: EMBEDDED, ref, reference: ref.digest ?? ref.tag! };
  }
  const ref = parseArtifactReference(text);
  if (!ref.registry) throw new Error(`"${text}" names no registry: use host[:port]/repository:tag (or embedded/repository:tag)`);
  return { registry: ref.registry, ref, reference: ref.digest ?? ref.tag! };
}

export function defaultCache(registry: string): ContentCache | undefined {
  return registry === EMBEDDED ? undefined : new ContentCache();
}

function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function tagRow(a: ListedArtifact): string[] {
  const note = a.error ? `(${a.error})` : a.detail ? `(${a.detail})` : '';
  return [a.tag, a.kind, a.digest ?? '-', note];
}

const USAGE = `usage: wgs registry ls <registry>[/<repository>] ${REGISTRY_FLAGS_USAGE}
  <registry> is host[:port] or "embedded"; lists repositories (one per line), or a repository's tags with kind and digest`;

export async function registryCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'ls' && sub !== 'list') throw new Error(sub ? `unknown registry command "${sub}"\n${USAGE}` : USAGE);
  const { values, positionals } = flags(rest, REGISTRY_FLAGS, USAGE);
  if (positionals.length !== 1) throw new Error(USAGE);
  const { registry, repository } = splitRegistryPath(positionals[0]!);
  const store = await openFromFlags(registry, values);
  try {
    if (!repository) {
      for (const r of await store.listRepositories()) console.log(r);
      return 0;
    }
    let listed: ListedArtifact[];
    try {
      listed = await listArtifacts(store, repository);
    } catch (e) {
      if (!(e instanceof ArtifactNotFoundError) || e.what !== 'repository') throw e;
      // Not a repository: list the repositories under it as a path prefix (the host-with-path form).
      const under = (await store.listRepositories().catch(() => [])).filter((r) => r.startsWith(`${repository}/`));
      if (!under.length) throw e;
      for (const r of under) console.log(r);
      return 0;
    }
    if (listed.length) console.log(table(listed.map(tagRow)));
    else console.error(`${registry}/${repository}: no tags`);
    return 0;
  } catch (e) {
    throw withHint(e);
  }
}
