import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  credentialsFromDockerConfig, normalizeRegistryHost, parseDockerConfig, parseWwwAuthenticate,
  registryEndpointCredentials, UnusableAuthenticationError, type RegistryEndpointLike,
} from './auth.ts';
import { resolveCredentials, splitRegistryPath } from './open.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('parseWwwAuthenticate', () => {
  it('reads a bearer challenge with quoted realm, service and a scope containing commas', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push' } },
    ]);
  });

  it('reads several challenges, unquoted values, spaces and escapes', () => {
    expect(parseWwwAuthenticate('Basic realm="Registry \\"x\\"", charset=UTF-8, Bearer realm=https://t/ , service = s')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry "x"', charset: 'UTF-8' } },
      { scheme: 'bearer', params: { realm: 'https://t/', service: 's' } },
    ]);
  });

  it('returns nothing for an empty header', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});

describe('docker config', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hub:hubpass') },
      'myacr.azurecr.io': { username: '00000000-0000-0000-0000-000000000000', password: 'p:with:colons' },
      'http://127.0.0.1:5000': { auth: b64('local:secret:part') },
      'tokens.example.com': { identitytoken: 'refresh-me' },
    },
  };

  it('finds credentials by normalised host: scheme, path and Docker Hub aliases do not matter', () => {
    expect(credentialsFromDockerConfig(config, 'docker.io')).toEqual({ kind: 'basic', username: 'hub', password: 'hubpass' });
    expect(credentialsFromDockerConfig(config, 'registry-1.docker.io')).toEqual({ kind: 'basic', username: 'hub', password: 'hubpass' });
    expect(credentialsFromDockerConfig(config, 'myacr.azurecr.io')).toEqual({ kind: 'basic', username: '00000000-0000-0000-0000-000000000000', password: 'p:with:colons' });
    expect(credentialsFromDockerConfig(config, '127.0.0.1:5000')).toEqual({ kind: 'basic', username: 'local', password: 'secret:part' });
    expect(credentialsFromDockerConfig(config, 'tokens.example.com')).toEqual({ kind: 'identity-token', token: 'refresh-me' });
    expect(credentialsFromDockerConfig(config, '127.0.0.1:5001')).toBeUndefined();
    expect(normalizeRegistryHost('HTTPS://GHCR.IO/v2/')).toBe('ghcr.io');
  });

  it("takes a Kubernetes secret's .dockerconfigjson as JSON text, as its base64 data, or as bytes; and the legacy .dockercfg form", () => {
    const json = JSON.stringify(config);
    for (const data of [json, b64(json), new TextEncoder().encode(json)]) {
      expect(credentialsFromDockerConfig(data, 'myacr.azurecr.io')).toMatchObject({ kind: 'basic', password: 'p:with:colons' });
    }
    expect(parseDockerConfig(JSON.stringify({ 'old.example.com': { auth: b64('u:p'), email: 'x' } })).auths?.['old.example.com']?.auth).toBe(b64('u:p'));
    expect(() => parseDockerConfig('not json, not base64!')).toThrow(/neither JSON nor base64-encoded JSON/);
  });
});

describe('RegistryEndpoint credentials', () => {
  const endpoint = (authentication: RegistryEndpointLike['spec']['authentication']): RegistryEndpointLike => ({
    metadata: { name: 'my-registry' },
    spec: { host: 'myacr.azurecr.io/samples', authentication },
  });
  const secret = JSON.stringify({ auths: { 'myacr.azurecr.io': { auth: b64('puller:s3cret') } } });

  it('Anonymous needs nothing', () => {
    expect(registryEndpointCredentials(endpoint({ method: 'Anonymous', anonymousSettings: {} }))).toEqual({ kind: 'anonymous' });
  });

  it("ArtifactPullSecret takes the secret's .dockerconfigjson and finds the host's entry (the host may carry a path)", () => {
    const e = endpoint({ method: 'ArtifactPullSecret', artifactPullSecretSettings: { secretRef: 'acr-pull' } });
    expect(registryEndpointCredentials(e, secret)).toEqual({ kind: 'basic', username: 'puller', password: 's3cret' });
    expect(registryEndpointCredentials(e, b64(secret))).toEqual({ kind: 'basic', username: 'puller', password: 's3cret' });
    expect(() => registryEndpointCredentials(e)).toThrow('RegistryEndpoint my-registry: ArtifactPullSecret needs the .dockerconfigjson of the Kubernetes secret "acr-pull"');
    expect(() => registryEndpointCredentials(e, JSON.stringify({ auths: { 'other.io': { auth: b64('a:b') } } }))).toThrow('secret "acr-pull" has no credentials for myacr.azurecr.io');
  });

  it('managed identities stay in the model but are reported as not usable outside Azure', () => {
    for (const auth of [
      { method: 'SystemAssignedManagedIdentity', systemAssignedManagedIdentitySettings: { audience: 'https://management.azure.com/' } },
      { method: 'UserAssignedManagedIdentity', userAssignedManagedIdentitySettings: { clientId: 'c', tenantId: 't' } },
    ]) {
      let err: unknown;
      try {
        registryEndpointCredentials(endpoint(auth));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnusableAuthenticationError);
      expect((err as Error).message).toMatch(new RegExp(`^RegistryEndpoint my-registry: ${auth.method} works only inside Azure`));
    }
  });
});

describe('resolveCredentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wgs-auth-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ auths: { 'reg.example.com': { auth: b64('fromfile:pw') } } }));

  it('prefers flags, then the environment, then the docker config; anonymous otherwise', async () => {
    const env = { WGS_REGISTRY_USERNAME: 'envuser', WGS_REGISTRY_PASSWORD: 'envpw' };
    expect(await resolveCredentials('reg.example.com', { username: 'flag', password: 'x', env, configFile: file })).toEqual({ credentials: { kind: 'basic', username: 'flag', password: 'x' }, from: 'flags' });
    expect(await resolveCredentials('reg.example.com', { env, configFile: file })).toEqual({ credentials: { kind: 'basic', username: 'envuser', password: 'envpw' }, from: 'environment' });
    expect(await resolveCredentials('reg.example.com', { env: {}, configFile: file })).toEqual({ credentials: { kind: 'basic', username: 'fromfile', password: 'pw' }, from: file });
    expect((await resolveCredentials('other.example.com', { env: {}, configFile: file })).credentials).toEqual({ kind: 'anonymous' });
  });

  it('refuses half of a username/password pair and a named config file that does not exist', async () => {
    await expect(resolveCredentials('r.io', { username: 'u', env: {} })).rejects.toThrow('give both a username and a password');
    await expect(resolveCredentials('r.io', { env: { WGS_REGISTRY_USERNAME: 'u' } })).rejects.toThrow('set both WGS_REGISTRY_USERNAME and WGS_REGISTRY_PASSWORD');
    await expect(resolveCredentials('r.io', { env: {}, configFile: join(dir, 'missing.json') })).rejects.toThrow(/docker config .*missing.json not found/);
  });

  it('splits <registry>[/<repository>]', () => {
    expect(splitRegistryPath('127.0.0.1:5000')).toEqual({ registry: '127.0.0.1:5000' });
    expect(splitRegistryPath('ghcr.io/azure-samples/explore-iot-operations/')).toEqual({ registry: 'ghcr.io', repository: 'azure-samples/explore-iot-operations' });
    expect(() => splitRegistryPath('/x')).toThrow('names no registry');
  });
});
