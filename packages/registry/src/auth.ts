import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How to authenticate to one registry. */
export type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'basic'; username: string; password: string }
  /** A refresh token (docker config `identitytoken`), exchanged at the token service. */
  | { kind: 'identity-token'; token: string }
  /** A registry bearer token used as is (docker config `registrytoken`). */
  | { kind: 'bearer'; token: string };

export const ANONYMOUS: Credentials = { kind: 'anonymous' };

export function describeCredentials(c: Credentials | undefined): string {
  if (!c || c.kind === 'anonymous') return 'anonymous';
  if (c.kind === 'basic') return `user "${c.username}"`;
  return c.kind;
}

export interface Challenge {
  /** Lower case: `basic`, `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate header (RFC 9110 §11.6.1): one or more challenges,
 * each a scheme followed by comma-separated `name=value` or `name="quoted, value"`.
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (chars: string) => {
    while (i < n && chars.includes(header[i]!)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && !' \t,="'.includes(header[i]!)) i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skip(' \t,');
    if (i >= n) break;
    const name = token();
    if (!name) {
      i++;
      continue;
    }
    skip(' \t');
    if (header[i] === '=' && current) {
      i++;
      skip(' \t');
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        value = token();
      }
      current.params[name.toLowerCase()] = value;
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}

/** A docker-style config file (`~/.docker/config.json`) or a Kubernetes `.dockerconfigjson`. */
export interface DockerConfig {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `https://index.docker.io/v1/` → `docker.io`, `http://host:5000/` → `host:5000`. */
export function normalizeRegistryHost(key: string): string {
  let host = key.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.split('/')[0] ?? host;
  return DOCKER_HUB.has(host) ? 'docker.io' : host;
}

function decodeBase64Text(text: string): string | undefined {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('utf8');
}

/**
 * Reads docker config data as found in a config file or in a Kubernetes
 * `kubernetes.io/dockerconfigjson` secret's `.dockerconfigjson` (JSON text,
 * its base64 as stored in the secret's `data`, bytes, or the parsed object);
 * the legacy `.dockercfg` form (entries without `auths`) is accepted too.
 */
export function parseDockerConfig(data: string | Uint8Array | DockerConfig): DockerConfig {
  let value: unknown = data;
  if (typeof data === 'string' || data instanceof Uint8Array) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    try {
      value = JSON.parse(text);
    } catch {
      const decoded = decodeBase64Text(text);
      try {
        value = decoded === undefined ? undefined : JSON.parse(decoded);
      } catch {
        value = undefined;
      }
      if (value === undefined) throw new Error('docker config is neither JSON nor base64-encoded JSON');
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('docker config is not a JSON object');
  const obj = value as Record<string, unknown>;
  if (obj.auths || obj.credsStore || obj.credHelpers) return obj as DockerConfig;
  const legacy = Object.entries(obj).filter(([, v]) => v && typeof v === 'object' && ('auth' in v || 'username' in v));
  return { auths: Object.fromEntries(legacy) as Record<string, DockerAuthEntry> };
}

/** The credentials a docker config holds for `registry` (host[:port]), if any. */
export function credentialsFromDockerConfig(config: string | Uint8Array | DockerConfig, registry: string): Credentials | undefined {
  const parsed = parseDockerConfig(config);
  const want = normalizeRegistryHost(registry);
  const entry = Object.entries(parsed.auths ?? {}).find(([k]) => normalizeRegistryHost(k) === want)?.[1];
  if (!entry) return undefined;
  if (entry.registrytoken) return { kind: 'bearer', token: entry.registrytoken };
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  if (entry.username !== undefined && entry.password !== undefined) return { kind: 'basic', username: entry.username, password: entry.password };
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) throw new Error(`docker config entry for ${registry}: "auth" is not base64 of user:password`);
    return { kind: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  return undefined;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigPath(): string {
  return join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/** Reads a docker config file; a missing file is `undefined`, a broken one an error naming it. */
export async function loadDockerConfigFile(path = defaultDockerConfigPath()): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read docker config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseDockerConfig(text);
  } catch (e) {
    throw new Error(`docker config ${path}: ${(e as Error).message}`);
  }
}

/** The part of a RegistryEndpoint resource the credentials depend on (structurally the model's type). */
export interface RegistryEndpointLike {
  metadata?: { name?: string };
  spec: {
    host: string;
    authentication: { method: string; artifactPullSecretSettings?: { secretRef?: string } } & Record<string, unknown>;
  };
}

/** A RegistryEndpoint authentication method that cannot be used from here. */
export class UnusableAuthenticationError extends Error {
  constructor(readonly endpoint: string, readonly method: string, detail: string) {
    super(`RegistryEndpoint ${endpoint}: ${method} ${detail}`);
    this.name = 'UnusableAuthenticationError';
  }
}

/**
 * The credentials of a RegistryEndpoint. `Anonymous` needs nothing;
 * `ArtifactPullSecret` needs the `.dockerconfigjson` data of the Kubernetes
 * docker-registry secret it names (reading it from the cluster is the caller's
 * part); the managed-identity methods stay valid in the model but only work
 * inside Azure, so they are reported as not usable here.
 */
export function registryEndpointCredentials(endpoint: RegistryEndpointLike, pullSecretData?: string | Uint8Array | DockerConfig): Credentials {
  const name = endpoint.metadata?.name ?? endpoint.spec.host;
  const auth = endpoint.spec.authentication;
  const registry = endpoint.spec.host.replace(/\/+$/, '').split('/')[0]!;
  switch (auth.method) {
    case 'Anonymous':
      return ANONYMOUS;
    case 'ArtifactPullSecret': {
      const ref = auth.artifactPullSecretSettings?.secretRef;
      if (!ref) throw new UnusableAuthenticationError(name, auth.method, 'has no artifactPullSecretSettings.secretRef');
      if (pullSecretData === undefined) {
        throw new UnusableAuthenticationError(name, auth.method, `needs the .dockerconfigjson of the Kubernetes secret "${ref}", which was not given`);
      }
      let creds: Credentials | undefined;
      try {
        creds = credentialsFromDockerConfig(pullSecretData, registry);
      } catch (e) {
        throw new UnusableAuthenticationError(name, auth.method, `secret "${ref}": ${(e as Error).message}`);
      }
      if (!creds) throw new UnusableAuthenticationError(name, auth.method, `secret "${ref}" has no credentials for ${registry}`);
      return creds;
    }
    case 'SystemAssignedManagedIdentity':
    case 'UserAssignedManagedIdentity':
      throw new UnusableAuthenticationError(name, auth.method,
        'works only inside Azure (the Azure IoT Operations extension identity on an Arc-enabled cluster) and cannot be used here; use Anonymous or ArtifactPullSecret to reach the registry from this machine');
    default:
      throw new UnusableAuthenticationError(name, auth.method, 'is not a known authentication method');
  }
}
