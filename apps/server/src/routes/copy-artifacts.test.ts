import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_VERSION, FileStore } from '@wgs/cluster-store';
import { embeddedRegistry, RegistryClient } from '@wgs/registry';
import { freePort, startDockerRegistry, type TestRegistry } from '@wgs/registry/testing';
import { pullGraphWithModules } from '@wgs/runtime';
import { buildApp } from '../app.ts';
import { defaultConfig } from '../config.ts';

const auth = { authorization: 'Bearer t' };
const SAMPLES = 'azure-samples/explore-iot-operations';
const SIMPLE = `${SAMPLES}/graph-simple:1.0.0`;
let app: FastifyInstance;
let registry: TestRegistry;
let alice: RegistryClient;

const endpoint = (name: string, host: string, secretRef?: string) => ({
  apiVersion: API_VERSION, kind: 'RegistryEndpoint', metadata: { name },
  spec: { host, authentication: secretRef ? { method: 'ArtifactPullSecret', artifactPullSecretSettings: { secretRef } } : { method: 'Anonymous', anonymousSettings: {} } },
});

const graph = (name: string, registryEndpointRef = 'embedded') => ({
  apiVersion: API_VERSION,
  kind: 'DataflowGraph',
  metadata: { name },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
      { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef, artifact: SIMPLE } },
      { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'sensor/temperature/processed' } },
    ],
    nodeConnections: [{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }],
  },
});

beforeAll(async () => {
  registry = await startDockerRegistry({ htpasswd: { username: 'alice', password: 's3cret' } });
  alice = new RegistryClient({ registry: registry.host, credentials: { kind: 'basic', username: 'alice', password: 's3cret' } });
  const dir = mkdtempSync(join(tmpdir(), 'wgs-copy-'));
  mkdirSync(join(dir, 'secrets'));
  const dockerconfig = (pass: string) => JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`alice:${pass}`).toString('base64') } } });
  writeFileSync(join(dir, 'secrets', 'pull-secret.dockerconfigjson'), dockerconfig('s3cret'));
  writeFileSync(join(dir, 'secrets', 'wrong-secret.dockerconfigjson'), dockerconfig('nope'));
  app = await buildApp(defaultConfig({ token: 't', storeDir: dir, logLevel: 'silent' }), { store: new FileStore(dir) });
  const closedPort = await freePort();
  for (const body of [
    endpoint('private', registry.host, 'pull-secret'),
    endpoint('mirror', `${registry.host}/mirror`, 'pull-secret'),
    endpoint('wrong-password', registry.host, 'wrong-secret'),
    endpoint('nobody-home', `127.0.0.1:${closedPort}`),
  ]) expect((await app.inject({ method: 'POST', url: '/api/registryendpoints', headers: auth, payload: body })).statusCode).toBe(201);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await registry?.stop();
});

const copy = (name: string, body: object) => app.inject({ method: 'POST', url: `/api/dataflowgraphs/${name}/copy-artifacts`, headers: auth, payload: body });
const embeddedDigest = async (repository: string) => (await embeddedRegistry().resolve(repository, '1.0.0')).digest;

describe('copying a graph and its modules out of the embedded registry', () => {
  it('copies graph and module byte for byte to a private registry and points the draft at it', async () => {
    const r = await copy('converter', { registryEndpoint: 'private', draft: graph('converter') });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.saved).toBe(false);
    expect(body.copied).toEqual([{
      node: 'transform',
      graph: { from: SIMPLE, to: `${registry.host}/${SIMPLE}`, digest: await embeddedDigest(`${SAMPLES}/graph-simple`) },
      modules: [{ module: `${SAMPLES}/temperature:1.0.0`, from: `${SAMPLES}/temperature:1.0.0`, to: `${registry.host}/${SAMPLES}/temperature:1.0.0`, digest: await embeddedDigest(`${SAMPLES}/temperature`) }],
    }]);
    expect(body.draft.spec.nodes[1].graphSettings).toEqual({ registryEndpointRef: 'private', artifact: SIMPLE });
    expect(body.draft.spec.nodes[0]).toEqual(graph('converter').spec.nodes[0]);
    // What the engine does with the rewritten node: pull the graph and every module from that endpoint alone.
    const pulled = await pullGraphWithModules({ store: alice, endpointHost: registry.host, repository: `${SAMPLES}/graph-simple`, reference: '1.0.0', label: SIMPLE });
    try {
      expect(pulled.digest).toBe(body.copied[0].graph.digest);
      expect(pulled.graph.operations.map((o) => o.module).filter(Boolean)).toEqual([`${SAMPLES}/temperature:1.0.0`]);
    } finally {
      await pulled.cleanup();
    }
  });

  it('rewrites and saves the stored draft when none is sent, under an endpoint with a path prefix', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: graph('saved-one') })).statusCode).toBe(201);
    const r = await copy('saved-one', { registryEndpoint: 'mirror' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ saved: true, copied: [{ graph: { to: `${registry.host}/mirror/${SIMPLE}` }, modules: [{ to: `${registry.host}/mirror/${SAMPLES}/temperature:1.0.0` }] }] });
    expect((await alice.resolve(`mirror/${SAMPLES}/temperature`, '1.0.0')).digest).toBe(await embeddedDigest(`${SAMPLES}/temperature`));
    const stored = (await app.inject({ url: '/api/dataflowgraphs/saved-one', headers: auth })).json();
    expect(stored.spec.nodes[1].graphSettings.registryEndpointRef).toBe('mirror');
    // The server's own registry checks now resolve the node against the mirror without a problem.
    const checked = (await app.inject({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: auth, payload: stored })).json();
    expect(checked).toEqual({ valid: true, diagnostics: [] });
  });

  it('leaves nodes that are already on a pullable registry alone', async () => {
    const r = await copy('converter', { registryEndpoint: 'mirror', draft: graph('converter', 'private') });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ copied: [], saved: false, draft: { spec: { nodes: [{}, { graphSettings: { registryEndpointRef: 'private' } }, {}] } } });
  });

  it('answers 502 with the registry\'s reason for wrong credentials and an unreachable registry', async () => {
    const denied = await copy('converter', { registryEndpoint: 'wrong-password', draft: graph('converter') });
    expect(denied.statusCode).toBe(502);
    expect(denied.json()).toMatchObject({ code: 'registry-auth', message: expect.stringMatching(/^copying .*graph-simple:1\.0\.0 \(node transform\) to registry endpoint "wrong-password".*failed: /) });
    const down = await copy('converter', { registryEndpoint: 'nobody-home', draft: graph('converter') });
    expect(down.statusCode).toBe(502);
    expect(down.json()).toMatchObject({ code: 'registry-unreachable', message: expect.stringContaining('"nobody-home"') });
  });

  it('refuses the embedded registry as a target, unknown endpoints and graphs, and a draft under another name', async () => {
    expect((await copy('converter', { registryEndpoint: 'embedded', draft: graph('converter') })).json()).toMatchObject({ code: 'bad-request', message: expect.stringContaining('embedded registry') });
    const missing = await copy('converter', { registryEndpoint: 'nowhere', draft: graph('converter') });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'not-found']);
    expect((await copy('never-saved', { registryEndpoint: 'private' })).statusCode).toBe(404);
    expect((await copy('other', { registryEndpoint: 'private', draft: graph('converter') })).statusCode).toBe(400);
  });
});
