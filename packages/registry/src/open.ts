/**
 * Opening a registry by name, as the CLI and server take it: `embedded` is
 * the embedded default registry (an OCI layout folder); anything else is a
 * remote registry `host[:port]`. Both are {@link ArtifactStore}s.
 */
import { ANONYMOUS, credentialsFromDockerConfig, defaultDockerConfigPath, loadDockerConfigFile, type Credentials } from './auth.ts';
import { RegistryClient, type RegistryClientOptions } from './client.ts';
import { embeddedRegistry } from './embedded.ts';
import type { ArtifactStore } from './store.ts';

export const EMBEDDED = 'embedded';

export interface CredentialSources {
  username?: string;
  password?: string;
  /** A docker-style config file; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  configFile?: string;
  /** Default process.env: WGS_REGISTRY_USERNAME and WGS_REGISTRY_PASSWORD. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Credentials for `registry`, first found wins: explicit username/password,
 * then WGS_REGISTRY_USERNAME/WGS_REGISTRY_PASSWORD, then the docker config's
 * entry for the registry; anonymous otherwise.
 */
export async function resolveCredentials(registry: string, sources: CredentialSources = {}): Promise<{ credentials: Credentials; from: string }> {
  const env = sources.env ?? process.env;
  if (sources.username !== undefined || sources.password !== undefined) {
    if (sources.username === undefined || sources.password === undefined) throw new Error('give both a username and a password');
    return { credentials: { kind: 'basic', username: sources.username, password: sources.password }, from: 'flags' };
  }
  if (env.WGS_REGISTRY_USERNAME !== undefined || env.WGS_REGISTRY_PASSWORD !== undefined) {
    if (env.WGS_REGISTRY_USERNAME === undefined || env.WGS_REGISTRY_PASSWORD === undefined) {
      throw new Error('set both WGS_REGISTRY_USERNAME and WGS_REGISTRY_PASSWORD');
    }
    return { credentials: { kind: 'basic', username: env.WGS_REGISTRY_USERNAME, password: env.WGS_REGISTRY_PASSWORD }, from: 'environment' };
  }
  const path = sources.configFile ?? defaultDockerConfigPath();
  const config = await loadDockerConfigFile(path);
  if (sources.configFile && !config) throw new Error(`docker config ${path} not found`);
  const found = config ? credentialsFromDockerConfig(config, registry) : undefined;
  if (found) return { credentials: found, from: path };
  return { credentials: ANONYMOUS, from: 'anonymous' };
}

/** `<registry>[/<repository>]` → its parts; the registry is the text before the first '/'. */
export function splitRegistryPath(text: string): { registry: string; repository?: string } {
  const trimmed = text.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  if (!trimmed || slash === 0) throw new Error(`"${text}" names no registry`);
  return slash < 0 ? { registry: trimmed } : { registry: trimmed.slice(0, slash), repository: trimmed.slice(slash + 1) };
}

export type OpenOptions = Omit<RegistryClientOptions, 'registry' | 'credentials'> & CredentialSources;

/** The embedded registry for `embedded`, else a client for the remote registry with resolved credentials. */
export async function openRegistry(registry: string, options: OpenOptions = {}): Promise<ArtifactStore> {
  if (registry === EMBEDDED) return embeddedRegistry();
  const { credentials } = await resolveCredentials(registry, options);
  return new RegistryClient({ ...options, registry, credentials });
}
