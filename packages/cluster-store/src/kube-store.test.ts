import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { KubeStore } from './kube-store.ts';
import { API_VERSION, ConflictError, NotFoundError, StoreUnavailableError, type StoredResource } from './store.ts';

const crds = fileURLToPath(new URL('../../../deploy/crds/', import.meta.url));
const NS = 'azure-iot-operations';
let kube: KubeCluster;
let store: KubeStore;

const graph = (name: string, artifact = 'graph-simple:1.0.0'): StoredResource => ({
  apiVersion: API_VERSION,
  kind: 'DataflowGraph',
  metadata: { name, annotations: { 'wgs.dev/layout': '{}' } },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 's', sourceSettings: { endpointRef: 'default', dataSources: ['a'] } },
      { nodeType: 'Graph', name: 'g', graphSettings: { registryEndpointRef: 'r', artifact } },
      { nodeType: 'Destination', name: 'd', destinationSettings: { endpointRef: 'default', dataDestination: 'b' } },
    ],
    nodeConnections: [{ from: { name: 's' }, to: { name: 'g' } }, { from: { name: 'g' }, to: { name: 'd' } }],
  },
});

beforeAll(async () => {
  kube = await startKube();
  await kube.kubectl(['create', 'namespace', NS]);
  await kube.kubectl(['apply', '-f', crds]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/dataflowgraphs.connectivity.iotoperations.azure.com', 'crd/registryendpoints.connectivity.iotoperations.azure.com', 'crd/dataflowendpoints.connectivity.iotoperations.azure.com']);
  store = await KubeStore.fromKubeconfig(kube.kubeconfigPath, NS);
}, 180_000);

afterAll(async () => {
  await kube?.stop();
});

describe('KubeStore against a real API server', () => {
  it('writes resources that kubectl reads back', async () => {
    const created = await store.create(graph('from-api'));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    const { stdout } = await kube.kubectl(['get', 'dataflowgraphs', '-n', NS, 'from-api', '-o', 'json']);
    const seen = JSON.parse(stdout);
    expect(seen.spec.nodes[1].graphSettings.artifact).toBe('graph-simple:1.0.0');
    expect(seen.metadata.annotations['wgs.dev/layout']).toBe('{}');
  });

  it('lists graphs that were applied with kubectl', async () => {
    const manifest = { ...graph('from-kubectl'), metadata: { name: 'from-kubectl', namespace: NS } };
    await kube.kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
    const names = (await store.list('DataflowGraph')).map((r) => r.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['from-api', 'from-kubectl']));
    expect((await store.get('DataflowGraph', 'from-kubectl'))?.spec.profileRef).toBe('default');
  });

  it('refuses a stale update with 409 and returns the current version', async () => {
    const v1 = await store.create(graph('contended'));
    const v2 = await store.replace({ ...v1, spec: graph('x', 'graph-complex:1.0.0').spec });
    expect(v2.metadata.resourceVersion).not.toBe(v1.metadata.resourceVersion);
    const err = await store.replace({ ...v1, spec: graph('x', 'other:1').spec }).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).current?.metadata.resourceVersion).toBe(v2.metadata.resourceVersion);
    expect(await store.create(graph('contended')).catch((e) => e)).toBeInstanceOf(ConflictError);
  });

  it('deletes, and reports missing resources', async () => {
    await store.create(graph('doomed'));
    await store.delete('DataflowGraph', 'doomed');
    expect(await store.get('DataflowGraph', 'doomed')).toBeUndefined();
    await expect(store.delete('DataflowGraph', 'doomed')).rejects.toBeInstanceOf(NotFoundError);
    await expect(kube.kubectl(['get', 'dataflowgraphs', '-n', NS, 'doomed'])).rejects.toThrow(/not found/i);
  });

  it('reads docker-registry pull secrets created with kubectl', async () => {
    await kube.kubectl(['create', 'secret', 'docker-registry', 'pull', '-n', NS, '--docker-server=127.0.0.1:5000', '--docker-username=alice', '--docker-password=s3cret']);
    const json = JSON.parse((await store.readPullSecret('pull'))!);
    expect(Buffer.from(json.auths['127.0.0.1:5000'].auth, 'base64').toString()).toBe('alice:s3cret');
    expect(await store.readPullSecret('absent')).toBeUndefined();
  });

  it('rejects what the API server rejects (names) with its message', async () => {
    await expect(store.create(graph('Not_Valid'))).rejects.toThrow(/rejected by the cluster/);
  });

  it('reports an unreachable cluster as unavailable', async () => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const down = await KubeStore.fromConfig(kc, NS);
    await expect(down.list('DataflowGraph')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
