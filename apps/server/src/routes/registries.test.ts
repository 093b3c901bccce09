import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_VERSION, FileStore } from '@wgs/cluster-store';
import { copyArtifact, embeddedRegistry, pushArtifact, RegistryClient } from '@wgs/registry';
import { startDockerRegistry, startSilentServer, type TestRegistry } from '@wgs/registry/testing';
import { buildApp } from '../app.ts';
import { defaultConfig } from '../config.ts';

const auth = { authorization: 'Bearer t' };
const SAMPLES = 'azure-samples/explore-iot-operations';
let app: FastifyInstance;
let registry: TestRegistry;
let silent: { host: string; stop(): Promise<void> };
let store: FileStore;

const endpoint = (name: string, host: string, authentication: Record<string, unknown>) => ({
  apiVersion: API_VERSION, kind: 'RegistryEndpoint', metadata: { name }, spec: { host, authentication },
});

beforeAll(async () => {
  registry = await startDockerRegistry({ htpasswd: { username: 'alice', password: 's3cret' } });
  silent = await startSilentServer();
  // Publish a module and a graph to the real registry, as a user's CI would.
  const target = new RegistryClient({ registry: registry.host, credentials: { kind: 'basic', username: 'alice', password: 's3cret' } });
  await copyArtifact(embeddedRegistry(), `${SAMPLES}/temperature`, '1.0.0', target, `${SAMPLES}/temperature`, ['1.0.0']);
  await copyArtifact(embeddedRegistry(), `${SAMPLES}/graph-simple`, '1.0.0', target, `${SAMPLES}/graph-simple`, ['1.0.0']);
  const strict = (module: string) => new TextEncoder().encode(`
metadata: { $schema: x, name: strict, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - name: map
    parameters:
      threshold: { name: threshold, required: true }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: map, module: ${module} }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: map } }
  - { from: { name: map }, to: { name: sink } }
`);
  await pushArtifact(target, 'graphs/strict', ['1.0.0'], { kind: 'graph', content: strict(`${SAMPLES}/temperature:1.0.0`), fileName: 'strict.yaml' });
  await pushArtifact(target, 'graphs/broken-module', ['1.0.0'], { kind: 'graph', content: strict(`${SAMPLES}/missing:1.0.0`), fileName: 'broken.yaml' });

  const dir = mkdtempSync(join(tmpdir(), 'wgs-reg-routes-'));
  store = new FileStore(dir);
  mkdirSync(join(dir, 'secrets'));
  const dockerconfig = (user: string, pass: string) => JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${user}:${pass}`).toString('base64') } } });
  writeFileSync(join(dir, 'secrets', 'pull-secret.dockerconfigjson'), dockerconfig('alice', 's3cret'));
  writeFileSync(join(dir, 'secrets', 'wrong-secret.dockerconfigjson'), dockerconfig('alice', 'nope'));
  app = await buildApp(defaultConfig({ token: 't', storeDir: dir, logLevel: 'silent' }), { store });
  const create = (body: object) => app.inject({ method: 'POST', url: '/api/registryendpoints', headers: auth, payload: body });
  for (const r of await Promise.all([
    create(endpoint('private', registry.host, { method: 'ArtifactPullSecret', artifactPullSecretSettings: { secretRef: 'pull-secret' } })),
    create(endpoint('private-path', `${registry.host}/${SAMPLES}`, { method: 'ArtifactPullSecret', artifactPullSecretSettings: { secretRef: 'pull-secret' } })),
    create(endpoint('wrong-password', registry.host, { method: 'ArtifactPullSecret', artifactPullSecretSettings: { secretRef: 'wrong-secret' } })),
    create(endpoint('azure-only', 'myacr.azurecr.io', { method: 'SystemAssignedManagedIdentity', systemAssignedManagedIdentitySettings: {} })),
    create(endpoint('silent', silent.host, { method: 'Anonymous', anonymousSettings: {} })),
  ])) expect(r.statusCode).toBe(201);
});

afterAll(async () => {
  await app?.close();
  await registry?.stop();
  await silent?.stop();
});

const get = (url: string) => app.inject({ url, headers: auth });

describe('browsing the embedded registry', () => {
  it('lists the sample repositories and their artifact kinds', async () => {
    const repos = (await get('/api/registryendpoints/embedded/repositories')).json().repositories;
    expect(repos).toEqual(expect.arrayContaining([`${SAMPLES}/graph-simple`, `${SAMPLES}/graph-complex`, `${SAMPLES}/temperature`, `${SAMPLES}/window`]));
    const arts = (await get(`/api/registryendpoints/embedded/artifacts?repository=${SAMPLES}/graph-complex`)).json().artifacts;
    expect(arts).toEqual([expect.objectContaining({ tag: '1.0.0', kind: 'graph', digest: expect.stringMatching(/^sha256:/) })]);
  });

  it('reads a graph definition with its operations and configuration parameters', async () => {
    const r = (await get(`/api/registryendpoints/embedded/graph?artifact=${SAMPLES}/graph-complex:1.0.0`)).json();
    expect(r.graph.operations).toHaveLength(15);
    expect(r.graph.parameters).toEqual(expect.arrayContaining([
      { operation: 'module-snapshot/branch', key: 'snapshot_topic', name: 'snapshot_topic', description: expect.any(String), default: 'sensor/images/raw', required: false },
    ]));
    expect(r.yaml).toContain('module-window/delay');
  });

  it("reads a module's operator kinds from the component itself", async () => {
    const r = (await get(`/api/registryendpoints/embedded/module?module=${SAMPLES}/temperature:1.0.0`)).json();
    expect(r.exportedKinds).toEqual(['map', 'filter', 'branch', 'accumulate']);
    expect((await get(`/api/registryendpoints/embedded/module?module=${SAMPLES}/window:1.0.0`)).json().exportedKinds).toEqual(['delay']);
  });

  it('refuses a graph where a module is expected, and names unknown tags', async () => {
    const wrong = await get(`/api/registryendpoints/embedded/module?module=${SAMPLES}/graph-simple:1.0.0`);
    expect(wrong.statusCode).toBe(422);
    const missing = await get(`/api/registryendpoints/embedded/graph?artifact=${SAMPLES}/graph-simple:9.9.9`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'artifact-not-found', message: expect.stringMatching(/9\.9\.9/) });
  });
});

describe('browsing a real registry through RegistryEndpoints', () => {
  it('uses the ArtifactPullSecret credentials (basic auth against docker-registry)', async () => {
    const repos = (await get('/api/registryendpoints/private/repositories')).json().repositories;
    expect([...repos].sort()).toEqual([`${SAMPLES}/graph-simple`, `${SAMPLES}/temperature`, 'graphs/broken-module', 'graphs/strict']);
    const mod = (await get(`/api/registryendpoints/private/module?module=${SAMPLES}/temperature:1.0.0`)).json();
    expect(mod.exportedKinds).toEqual(['map', 'filter', 'branch', 'accumulate']);
  });

  it('resolves host-with-path endpoints as the reference does', async () => {
    const graph = (await get('/api/registryendpoints/private-path/graph?artifact=graph-simple:1.0.0')).json();
    expect(graph.reference).toBe(`${registry.host}/${SAMPLES}/graph-simple:1.0.0`);
    expect(graph.graph.name).toBe('Simple graph');
    const mod = (await get('/api/registryendpoints/private-path/module?module=temperature:1.0.0')).json();
    expect(mod.reference).toBe(`${registry.host}/${SAMPLES}/temperature:1.0.0`);
  });

  it('reports a wrong password, managed identities, and unreachable registries clearly', async () => {
    const wrong = await get('/api/registryendpoints/wrong-password/repositories');
    expect(wrong.statusCode).toBe(502);
    expect(wrong.json()).toMatchObject({ code: 'registry-auth', message: expect.stringContaining(registry.host) });
    const mi = await get('/api/registryendpoints/azure-only/repositories');
    expect(mi.json()).toMatchObject({ code: 'registry-auth', message: expect.stringMatching(/Azure/) });
    const slow = await get('/api/registryendpoints/silent/repositories');
    expect(slow.statusCode).toBe(502);
    expect(slow.json()).toMatchObject({ code: 'registry-unreachable', message: expect.stringContaining(silent.host) });
    expect((await get('/api/registryendpoints/nope/repositories')).statusCode).toBe(404);
  }, 40_000);
});

describe('DataflowGraph validation against the registry', () => {
  const dataflowGraph = (name: string, artifact: string, configuration?: { key: string; value: string }[]) => ({
    apiVersion: API_VERSION,
    kind: 'DataflowGraph',
    metadata: { name },
    spec: {
      nodes: [
        { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['in'] } },
        { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'private', artifact, ...(configuration ? { configuration } : {}) } },
        { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'out' } },
      ],
      nodeConnections: [{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }],
    },
  });
  const post = (body: object) => app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: body });

  it('requires values for required parameters, as the reference CLI does', async () => {
    const missing = await post(dataflowGraph('strict-missing', 'graphs/strict:1.0.0'));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().where).toEqual([expect.objectContaining({ path: 'spec.nodes[1].graphSettings.configuration', rule: 'required-parameters', message: 'required parameter "threshold" of map has no value' })]);
    const blank = await post(dataflowGraph('strict-blank', 'graphs/strict:1.0.0', [{ key: 'threshold', value: '  ' }]));
    expect(blank.statusCode).toBe(422);
    expect((await post(dataflowGraph('strict-ok', 'graphs/strict:1.0.0', [{ key: 'threshold', value: '5' }]))).statusCode).toBe(201);
  });

  it('requires every module of the graph to resolve in the same registry', async () => {
    const r = await post(dataflowGraph('broken-module', 'graphs/broken-module:1.0.0', [{ key: 'threshold', value: '1' }]));
    expect(r.statusCode).toBe(422);
    expect(r.json().where).toEqual([expect.objectContaining({ rule: 'module-references', message: expect.stringMatching(/missing:1\.0\.0/) })]);
  });
});

describe('plain-HTTP registries off loopback', () => {
  it('are reached over HTTPS unless the endpoint carries the plain-http annotation', async () => {
    const host = `wgs-compose-registry.localtest:${registry.port}`;
    const body = (annotations?: Record<string, string>) => ({
      apiVersion: API_VERSION, kind: 'RegistryEndpoint', metadata: { name: annotations ? 'plain' : 'tls', ...(annotations ? { annotations } : {}) },
      spec: { host, authentication: { method: 'Anonymous', anonymousSettings: {} } },
    });
    expect((await app.inject({ method: 'POST', url: '/api/registryendpoints', headers: auth, payload: body() })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/registryendpoints', headers: auth, payload: body({ 'wgs.dev/plain-http': 'true' }) })).statusCode).toBe(201);
    const { openEndpoint } = await import('../registries.ts');
    const tls = await openEndpoint(store, 'tls');
    const plain = await openEndpoint(store, 'plain');
    // The scheme the client will use (no DNS for this name here, so no request is made).
    expect((tls.store as RegistryClient).baseUrl).toBe(`https://${host}`);
    expect((plain.store as RegistryClient).baseUrl).toBe(`http://${host}`);
  });
});
