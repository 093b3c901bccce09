import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_VERSION, FileStore, KubeStore } from '@wgs/cluster-store';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { buildApp } from '../app.ts';
import { defaultConfig } from '../config.ts';

const NS = 'azure-iot-operations';
const auth = { authorization: 'Bearer t' };
let kube: KubeCluster;
let app: FastifyInstance;

const graph = (name: string, artifact = 'azure-samples/explore-iot-operations/graph-simple:1.0.0') => ({
  apiVersion: API_VERSION,
  kind: 'DataflowGraph',
  metadata: { name, annotations: { 'wgs.dev/layout': '{"source":[10,20]}' } },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
      { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'embedded', artifact } },
      { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'sensor/temperature/processed' } },
    ],
    nodeConnections: [{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }],
  },
});

beforeAll(async () => {
  kube = await startKube();
  await kube.kubectl(['create', 'namespace', NS]);
  await kube.kubectl(['apply', '-f', fileURLToPath(new URL('../../../../deploy/crds/', import.meta.url))]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/dataflowgraphs.connectivity.iotoperations.azure.com']);
  const storeDir = mkdtempSync(join(tmpdir(), 'wgs-deploy-'));
  app = await buildApp(defaultConfig({ token: 't', storeDir, logLevel: 'silent' }), {
    store: new FileStore(storeDir),
    cluster: await KubeStore.fromKubeconfig(kube.kubeconfigPath, NS),
  });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await kube?.stop();
});

const deploy = (name: string, body: object) => app.inject({ method: 'POST', url: `/api/dataflowgraphs/${name}/deploy`, headers: auth, payload: body });

describe('one-click deploy to a real cluster', () => {
  it('warns when a stateful graph sits in a profile of several instances (kubectl applies the profile)', async () => {
    const complex = graph('windowed', 'azure-samples/explore-iot-operations/graph-complex:1.0.0');
    expect((await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: complex })).statusCode).toBe(201);
    // No profile in the cluster: the reference's default runs one instance, nothing to say.
    expect((await deploy('windowed', { apply: false })).json().warnings).toBeUndefined();
    const profile = (count: number) => JSON.stringify({ apiVersion: API_VERSION, kind: 'DataflowProfile', metadata: { name: 'default', namespace: NS }, spec: { instanceCount: count } });
    await kube.kubectl(['apply', '-f', '-'], profile(3));
    const warned = (await deploy('windowed', { apply: false })).json();
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]).toMatchObject({ rule: 'stateful-scale-out', severity: 'warning', path: 'spec.profileRef' });
    expect(warned.warnings[0].message).toMatch(/accumulate "[^"]+".*profile "default" runs 3 instances/);
    // A stateless graph in the same profile scales out: no warning.
    expect((await deploy('windowed', { apply: false, draft: graph('windowed') })).json().warnings).toBeUndefined();
    await kube.kubectl(['apply', '-f', '-'], profile(1));
    expect((await deploy('windowed', { apply: false })).json().warnings).toBeUndefined();
    await kube.kubectl(['delete', 'dataflowprofile', '-n', NS, 'default']);
    expect((await app.inject({ method: 'DELETE', url: '/api/dataflowgraphs/windowed', headers: auth })).statusCode).toBe(204);
  });

  it('plans, applies, and reads the deployment back (also with kubectl)', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: graph('converter') })).statusCode).toBe(201);
    const plan = (await deploy('converter', { apply: false })).json();
    expect(plan).toMatchObject({ applied: false, changes: [{ path: '', kind: 'added' }] });
    expect(plan.clusterResourceVersion).toBeUndefined();
    const applied = (await deploy('converter', { apply: true })).json();
    expect(applied.applied).toBe(true);
    const { stdout } = await kube.kubectl(['get', 'dataflowgraphs', '-n', NS, 'converter', '-o', 'json']);
    const inCluster = JSON.parse(stdout);
    expect(inCluster.spec.nodes[1].graphSettings.artifact).toBe('azure-samples/explore-iot-operations/graph-simple:1.0.0');
    expect(inCluster.metadata.annotations['wgs.dev/layout']).toBe('{"source":[10,20]}');
    const status = (await app.inject({ url: '/api/dataflowgraphs/converter/deployment', headers: auth })).json();
    expect(status).toMatchObject({ deployed: true, resourceVersion: inCluster.metadata.resourceVersion });
    // Nothing changed: the next plan is empty (layout and server fields do not count).
    expect((await deploy('converter', { apply: false })).json().changes).toEqual([]);
  });

  it('shows a semantic diff for an edited draft, and refuses to overwrite a cluster change (409)', async () => {
    const edited = graph('converter', 'azure-samples/explore-iot-operations/graph-complex:1.0.0');
    const plan = (await deploy('converter', { apply: false, draft: edited })).json();
    expect(plan.changes).toEqual([{ path: 'spec.nodes[name=transform].graphSettings.artifact', kind: 'changed', before: 'azure-samples/explore-iot-operations/graph-simple:1.0.0', after: 'azure-samples/explore-iot-operations/graph-complex:1.0.0' }]);
    // Someone changes the cluster copy with kubectl after the plan was shown.
    await kube.kubectl(['annotate', 'dataflowgraphs', '-n', NS, 'converter', 'owner=ops', '--overwrite']);
    const stale = await deploy('converter', { apply: true, draft: edited, expectedClusterResourceVersion: plan.clusterResourceVersion });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', current: { metadata: { annotations: { owner: 'ops' } } } });
    const { stdout } = await kube.kubectl(['get', 'dataflowgraphs', '-n', NS, 'converter', '-o', 'jsonpath={.spec.nodes[1].graphSettings.artifact}']);
    expect(stdout).toBe('azure-samples/explore-iot-operations/graph-simple:1.0.0');
    // With the fresh version the apply goes through.
    const fresh = (await deploy('converter', { apply: false, draft: edited })).json();
    expect(fresh.changes.map((c: { path: string }) => c.path)).toEqual(['metadata.annotations', 'spec.nodes[name=transform].graphSettings.artifact']);
    const done = await deploy('converter', { apply: true, draft: edited, expectedClusterResourceVersion: fresh.clusterResourceVersion });
    expect(done.statusCode).toBe(200);
    expect(done.json().applied).toBe(true);
  });

  it('exports the embedded store as a bundle that kubectl applies as is', async () => {
    const bundle = (await app.inject({ url: '/api/export', headers: auth })).body;
    expect(bundle).toContain('kind: DataflowGraph');
    expect(bundle).not.toContain('resourceVersion');
    const applied = await kube.kubectl(['apply', '-n', NS, '-f', '-'], bundle);
    expect(applied.stdout).toMatch(/dataflowendpoint\.connectivity\.iotoperations\.azure\.com\/default (created|configured|unchanged)/);
    expect(applied.stdout).toMatch(/registryendpoint\.connectivity\.iotoperations\.azure\.com\/embedded (created|configured|unchanged)/);
    const { stdout } = await kube.kubectl(['get', 'dataflowendpoints,registryendpoints', '-n', NS, '-o', 'name']);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['dataflowendpoint.connectivity.iotoperations.azure.com/default', 'registryendpoint.connectivity.iotoperations.azure.com/embedded']));
  });

  it('lists saved and deployed graphs together, including one applied with kubectl, with health and drift', async () => {
    const manual = { ...graph('applied-by-hand'), metadata: { name: 'applied-by-hand', namespace: NS } };
    await kube.kubectl(['apply', '-f', '-'], JSON.stringify(manual));
    // A saved graph, deployed, then edited in the store only: it drifts from the cluster.
    await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: graph('drifting') });
    expect((await deploy('drifting', { apply: true })).json().applied).toBe(true);
    const saved = (await app.inject({ url: '/api/dataflowgraphs/drifting', headers: auth })).json();
    const edited = graph('drifting', 'azure-samples/explore-iot-operations/graph-complex:1.0.0');
    expect((await app.inject({ method: 'PUT', url: '/api/dataflowgraphs/drifting', headers: auth, payload: { ...edited, metadata: { ...edited.metadata, resourceVersion: saved.metadata.resourceVersion } } })).statusCode).toBe(200);
    const overview = (await app.inject({ url: '/api/graph-overview', headers: auth })).json();
    expect(overview).toMatchObject({ storeIsCluster: false, cluster: expect.any(String) });
    const byName = Object.fromEntries(overview.items.map((i: { name: string }) => [i.name, i]));
    expect(byName['applied-by-hand']).toMatchObject({ saved: false, deployed: true, artifacts: ['azure-samples/explore-iot-operations/graph-simple:1.0.0'] });
    expect(byName.drifting).toMatchObject({ saved: true, deployed: true, differsFromCluster: true, artifacts: ['azure-samples/explore-iot-operations/graph-complex:1.0.0'] });
    expect(byName.converter).toMatchObject({ saved: true, deployed: true });
    const status = (await app.inject({ url: '/api/dataflowgraphs/applied-by-hand/deployment', headers: auth })).json();
    expect(status.resource.spec.nodes[0].sourceSettings.dataSources).toEqual(['sensor/temperature/raw']);
  });

  it('refuses an invalid draft before touching the cluster', async () => {
    const bad = graph('converter', 'no-version');
    const r = await deploy('converter', { apply: true, draft: bad });
    expect(r.statusCode).toBe(422);
    expect(r.json().where).toEqual([expect.objectContaining({ rule: 'artifact' })]);
  });

  it('says which Graph nodes a cluster cannot pull (embedded registry) and where they could be copied', async () => {
    const registryEndpoint = { apiVersion: API_VERSION, kind: 'RegistryEndpoint', metadata: { name: 'shared-acr' }, spec: { host: 'registry.example.net', authentication: { method: 'Anonymous', anonymousSettings: {} } } };
    expect((await app.inject({ method: 'POST', url: '/api/registryendpoints', headers: auth, payload: registryEndpoint })).statusCode).toBe(201);
    const plan = (await deploy('pullable', { apply: false, draft: graph('pullable') })).json();
    expect(plan.unpullable).toEqual([{ node: 'transform', registryEndpoint: 'embedded', artifact: 'azure-samples/explore-iot-operations/graph-simple:1.0.0', reason: expect.stringContaining('embedded.wgs.local') }]);
    expect(plan.copyTargets).toEqual(['shared-acr']);
    const onShared = graph('pullable');
    onShared.spec.nodes[1] = { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'shared-acr', artifact: 'azure-samples/explore-iot-operations/graph-simple:1.0.0' } };
    const clean = (await deploy('pullable', { apply: false, draft: onShared })).json();
    expect(clean).not.toHaveProperty('unpullable');
    expect(clean).not.toHaveProperty('copyTargets');
  });

  it('reads the engine\'s status: health, reason, generations and counters, in the deployment and the graph list', async () => {
    const read = async () => (await app.inject({ url: '/api/dataflowgraphs/converter/deployment', headers: auth })).json();
    const before = await read();
    expect(before.live).toMatchObject({ generation: expect.any(Number), caughtUp: false });
    expect(before.live.health).toBeUndefined();
    const generation = before.live.generation as number;
    const status = {
      observedGeneration: generation,
      healthState: { status: 'Available', reasonCode: 'Running', message: 'running', lastTransitionTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-01T00:00:01Z' },
      counters: { messagesIn: 12, messagesOut: 11, dropped: 0, errors: 1 },
      engine: { pod: 'engine-0' },
    };
    await kube.kubectl(['patch', 'dataflowgraphs', '-n', NS, 'converter', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
    expect((await read()).live).toEqual({
      health: 'Available', reasonCode: 'Running', message: 'running', lastUpdateTime: '2026-01-01T00:00:01Z',
      generation, observedGeneration: generation, caughtUp: true, counters: status.counters, pod: 'engine-0',
    });
    const item = (await app.inject({ url: '/api/graph-overview', headers: auth })).json().items.find((i: { name: string }) => i.name === 'converter');
    expect(item).toMatchObject({ health: 'Available', live: { reasonCode: 'Running', counters: { messagesIn: 12, messagesOut: 11, errors: 1 }, caughtUp: true } });
    // A new spec the engine has not seen yet: behind again.
    await kube.kubectl(['patch', 'dataflowgraphs', '-n', NS, 'converter', '--type=merge', '-p', JSON.stringify({ spec: { mode: 'Disabled' } })]);
    expect((await read()).live).toMatchObject({ generation: generation + 1, observedGeneration: generation, caughtUp: false, health: 'Available' });
  });
});
