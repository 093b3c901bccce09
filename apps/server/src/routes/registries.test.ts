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

describe('saving a graph definition as a new version', () => {
  const graphYaml = (version: string) => `# saved from the designer
metadata: { $schema: https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json, name: Saved graph, version: ${version} }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: module-temperature/map, module: ${SAMPLES}/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: module-temperature/map } }
  - { from: { name: module-temperature/map }, to: { name: sink } }
`;
  const push = (endpointName: string, body: object) =>
    app.inject({ method: 'POST', url: `/api/registryendpoints/${endpointName}/graph`, headers: auth, payload: body });
  let previousDir: string | undefined;

  beforeAll(() => {
    // The embedded endpoint writes to a private layout here, never to the checkout's .wgs/registry.
    previousDir = process.env.WGS_REGISTRY_DIR;
    process.env.WGS_REGISTRY_DIR = mkdtempSync(join(tmpdir(), 'wgs-embedded-push-'));
  });
  afterAll(() => {
    if (previousDir === undefined) delete process.env.WGS_REGISTRY_DIR;
    else process.env.WGS_REGISTRY_DIR = previousDir;
  });

  it('pushes to the embedded registry in the reference format and reads it back', async () => {
    const r = await push('embedded', { repository: 'designer/saved', tag: '1.1.0', yaml: graphYaml('1.1.0') });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({ reference: 'designer/saved:1.1.0', digest: expect.stringMatching(/^sha256:/) });
    const back = (await get('/api/registryendpoints/embedded/graph?artifact=designer/saved:1.1.0')).json();
    expect(back.yaml).toBe(graphYaml('1.1.0'));
    expect(back.digest).toBe(r.json().digest);
    expect(back.graph).toMatchObject({ name: 'Saved graph', version: '1.1.0' });
    const listed = (await get('/api/registryendpoints/embedded/artifacts?repository=designer/saved')).json().artifacts;
    expect(listed).toEqual([expect.objectContaining({ tag: '1.1.0', kind: 'graph' })]);
    // The manifest is what `oras push --config /dev/null:application/vnd.microsoft.aio.graph.v1+yaml file.yaml:application/yaml` makes.
    const { manifest } = await embeddedRegistry().fetchManifest('designer/saved', '1.1.0');
    expect(manifest).toMatchObject({
      config: { mediaType: 'application/vnd.microsoft.aio.graph.v1+yaml', size: 0 },
      layers: [{ mediaType: 'application/yaml', annotations: { 'org.opencontainers.image.title': 'saved.yaml' } }],
    });
  });

  it('refuses to overwrite an existing tag unless asked to', async () => {
    const first = await push('embedded', { repository: 'designer/twice', tag: '1.0.0', yaml: graphYaml('1.0.0') });
    expect(first.statusCode).toBe(201);
    const again = await push('embedded', { repository: 'designer/twice', tag: '1.0.0', yaml: graphYaml('1.0.5') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', message: expect.stringMatching(/designer\/twice:1\.0\.0 already exists/), current: { digest: first.json().digest } });
    expect((await get('/api/registryendpoints/embedded/graph?artifact=designer/twice:1.0.0')).json().yaml).toBe(graphYaml('1.0.0'));
    const forced = await push('embedded', { repository: 'designer/twice', tag: '1.0.0', yaml: graphYaml('1.0.1'), overwrite: true });
    expect(forced.statusCode).toBe(200);
    expect(forced.json()).toMatchObject({ replaced: first.json().digest });
    expect(forced.json().digest).not.toBe(first.json().digest);
    expect((await get('/api/registryendpoints/embedded/graph?artifact=designer/twice:1.0.0')).json().graph.version).toBe('1.0.1');
  });

  it('refuses an invalid definition with located diagnostics, and pushes nothing', async () => {
    const bad = graphYaml('2.0.0').replace('operationType: map,', 'operationType: mapp,');
    const r = await push('embedded', { repository: 'designer/bad', tag: '2.0.0', yaml: bad });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('invalid-resource');
    expect(r.json().where).toEqual(expect.arrayContaining([expect.objectContaining({ line: 6, path: 'operations[1].operationType', severity: 'error' })]));
    expect((await get('/api/registryendpoints/embedded/graph?artifact=designer/bad:2.0.0')).statusCode).toBe(404);
    const badTag = await push('embedded', { repository: 'designer/bad', tag: 'no good', yaml: graphYaml('2.0.0') });
    expect(badTag.statusCode).toBe(400);
    const hostInRepo = await push('embedded', { repository: `${registry.host}/designer/bad`, tag: '1.0.0', yaml: graphYaml('2.0.0') });
    expect(hostInRepo.statusCode).toBe(400);
  });

  it('pushes to a real registry with the endpoint credentials, also under a host-with-path endpoint', async () => {
    const r = await push('private', { repository: 'graphs/saved', tag: '3.0.0', yaml: graphYaml('3.0.0') });
    expect(r.statusCode).toBe(201);
    expect(r.json().reference).toBe(`${registry.host}/graphs/saved:3.0.0`);
    expect((await get('/api/registryendpoints/private/graph?artifact=graphs/saved:3.0.0')).json().yaml).toBe(graphYaml('3.0.0'));
    // Under `host/azure-samples/explore-iot-operations` the artifact is named relative to that path, as graphSettings.artifact is.
    const p = await push('private-path', { repository: 'graph-saved', tag: '1.0.0', yaml: graphYaml('1.0.0') });
    expect(p.json().reference).toBe(`${registry.host}/${SAMPLES}/graph-saved:1.0.0`);
    expect((await get('/api/registryendpoints/private/repositories')).json().repositories).toContain(`${SAMPLES}/graph-saved`);
    // docker-registry itself serves what was pushed, as oras would read it.
    const direct = new RegistryClient({ registry: registry.host, credentials: { kind: 'basic', username: 'alice', password: 's3cret' } });
    expect((await direct.fetchManifest(`${SAMPLES}/graph-saved`, '1.0.0')).manifest).toMatchObject({ config: { mediaType: 'application/vnd.microsoft.aio.graph.v1+yaml' } });
  });

  it('a wrong password is a registry-auth error, not a push', async () => {
    const r = await push('wrong-password', { repository: 'graphs/nope', tag: '1.0.0', yaml: graphYaml('1.0.0') });
    expect(r.statusCode).toBe(502);
    expect(r.json().code).toBe('registry-auth');
  });
});
