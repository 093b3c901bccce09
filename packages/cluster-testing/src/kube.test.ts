/**
 * The real control plane: etcd + kube-apiserver from startKube, the CRDs in
 * deploy/crds applied with the real kubectl, and a DataflowGraph written and
 * read back through kubectl and plain HTTPS. Needs the binaries that
 * `.ci/kube/build-apiserver.sh` builds; without them every test here fails
 * with a message saying to run it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubeBinaries, KubeBinariesMissingError, startKube, type KubeCluster } from './kube.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const crdDir = join(repoRoot, 'deploy', 'crds');
const group = 'connectivity.iotoperations.azure.com';
const namespace = 'azure-iot-operations';
const plurals = ['dataflowgraphs', 'dataflowendpoints', 'registryendpoints', 'dataflowprofiles', 'dataflows'];

// The minimal DataflowGraph of the reference (§4.2), as a user would write it.
const graphYaml = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: temp-converter, namespace: azure-iot-operations }
spec:
  profileRef: default
  mode: Enabled
  requestDiskPersistence: Disabled
  nodes:
    - nodeType: Source
      name: temperature-source
      sourceSettings: { endpointRef: default, dataSources: [sensor/temperature/raw] }
    - nodeType: Graph
      name: temperature-processor
      graphSettings:
        registryEndpointRef: public-ghcr
        artifact: graph-simple:1.0.0
        configuration:
          - { key: key1, value: example-value }
    - nodeType: Destination
      name: temperature-destination
      destinationSettings: { endpointRef: default, dataDestination: sensor/temperature/processed }
  nodeConnections:
    - { from: { name: temperature-source }, to: { name: temperature-processor } }
    - { from: { name: temperature-processor }, to: { name: temperature-destination } }
`;

// The same spec as JSON: what the API server must hand back, field for field.
const graphSpec = {
  profileRef: 'default',
  mode: 'Enabled',
  requestDiskPersistence: 'Disabled',
  nodes: [
    { nodeType: 'Source', name: 'temperature-source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
    {
      nodeType: 'Graph',
      name: 'temperature-processor',
      graphSettings: { registryEndpointRef: 'public-ghcr', artifact: 'graph-simple:1.0.0', configuration: [{ key: 'key1', value: 'example-value' }] },
    },
    { nodeType: 'Destination', name: 'temperature-destination', destinationSettings: { endpointRef: 'default', dataDestination: 'sensor/temperature/processed' } },
  ],
  nodeConnections: [
    { from: { name: 'temperature-source' }, to: { name: 'temperature-processor' } },
    { from: { name: 'temperature-processor' }, to: { name: 'temperature-destination' } },
  ],
};

const graphPath = (version: string) => `/apis/${group}/${version}/namespaces/${namespace}/dataflowgraphs/temp-converter`;

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion: string; generation?: number };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

describe('findKubeBinaries', () => {
  it('says to run the build script when the binaries are missing', () => {
    const missing = () => findKubeBinaries('/nonexistent/wgs-kube-bin');
    expect(missing).toThrow(KubeBinariesMissingError);
    expect(missing).toThrow(/bash \.ci\/kube\/build-apiserver\.sh/);
  });
});

describe('a real kube-apiserver on etcd', () => {
  let started: KubeCluster | undefined;
  let startError: unknown;
  // A cluster that did not start fails each test with the reason (missing
  // binaries: run the build script), rather than skipping them.
  const cluster = (): KubeCluster => {
    if (!started) throw startError;
    return started;
  };

  beforeAll(async () => {
    try {
      started = await startKube();
      console.log(`kube-apiserver ready at ${started.url} in ${started.startupMs} ms`);
    } catch (e) {
      startError = e;
    }
  }, 180_000);

  afterAll(async () => {
    await started?.stop();
  });

  it('takes the CRDs from deploy/crds with kubectl apply and establishes them', async () => {
    const kube = cluster();
    const applied = await kube.kubectl(['apply', '-f', crdDir]);
    for (const plural of plurals) expect(applied.stdout).toContain(`${plural}.${group}`);
    await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...plurals.map((p) => `crd/${p}.${group}`)]);

    const crds = JSON.parse((await kube.kubectl(['get', 'crds', '-o', 'json'])).stdout) as {
      items: { metadata: { name: string }; spec: { versions: { name: string; served: boolean; storage: boolean }[] }; status: { conditions: { type: string; status: string }[] } }[];
    };
    const ours = crds.items.filter((c) => c.metadata.name.endsWith(`.${group}`));
    expect(ours.map((c) => c.metadata.name).sort()).toEqual(plurals.map((p) => `${p}.${group}`).sort());
    for (const crd of ours) {
      expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1', true, true], ['v1beta1', true, false]]);
    }
  });

  it('applies a DataflowGraph with kubectl and reads it back with kubectl and over HTTPS', async () => {
    const kube = cluster();
    await kube.kubectl(['create', 'namespace', namespace]);
    // Discovery may lag a moment behind Established: retry only "no matches for kind".
    let applied = '';
    for (let attempt = 0; ; attempt++) {
      try {
        applied = (await kube.kubectl(['apply', '-f', '-'], graphYaml)).stdout;
        break;
      } catch (e) {
        if (attempt >= 20 || !/no matches for kind/i.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect(applied).toContain(`dataflowgraph.${group}/temp-converter created`);

    const listed = JSON.parse((await kube.kubectl(['get', 'dataflowgraphs', '-n', namespace, '-o', 'json'])).stdout) as { items: Resource[] };
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]?.metadata.name).toBe('temp-converter');
    expect(listed.items[0]?.spec).toEqual(graphSpec);

    const got = await kube.request('GET', graphPath('v1'));
    expect(got.status).toBe(200);
    const graph = got.body as Resource;
    expect(graph.apiVersion).toBe(`${group}/v1`);
    expect(graph.kind).toBe('DataflowGraph');
    expect(graph.metadata.namespace).toBe(namespace);
    expect(graph.spec).toEqual(graphSpec);

    // v1beta1 serves the same object.
    const beta = await kube.request('GET', graphPath('v1beta1'));
    expect(beta.status).toBe(200);
    expect((beta.body as Resource).apiVersion).toBe(`${group}/v1beta1`);
    expect((beta.body as Resource).spec).toEqual(graphSpec);

    // Without the token: anonymous, and RBAC gives it nothing here.
    const anonymous = await kube.request('GET', graphPath('v1'), undefined, { authorization: '' });
    expect(anonymous.status).toBe(403);
  });

  it('refuses an update carrying a stale resourceVersion with 409 Conflict', async () => {
    const kube = cluster();
    const original = (await kube.request('GET', graphPath('v1'))).body as Resource;

    const disabled = await kube.request('PUT', graphPath('v1'), { ...original, spec: { ...original.spec, mode: 'Disabled' } });
    expect(disabled.status).toBe(200);
    const updated = disabled.body as Resource;
    expect(updated.spec.mode).toBe('Disabled');
    expect(updated.metadata.resourceVersion).not.toBe(original.metadata.resourceVersion);

    // Written from the copy read before the update: the server must refuse it.
    const stale = await kube.request('PUT', graphPath('v1'), { ...original, spec: { ...original.spec, requestDiskPersistence: 'Enabled' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });

    const after = (await kube.request('GET', graphPath('v1'))).body as Resource;
    expect(after.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    expect(after.spec).toEqual({ ...graphSpec, mode: 'Disabled' });
  });

  it('keeps status a subresource: written through /status, ignored on the main resource', async () => {
    const kube = cluster();
    const current = (await kube.request('GET', graphPath('v1'))).body as Resource;
    const status = { provisioningState: 'Succeeded', healthState: { status: 'Available' } };
    const written = await kube.request('PUT', `${graphPath('v1')}/status`, { ...current, status });
    expect(written.status).toBe(200);
    expect((written.body as Resource).status).toEqual(status);
    expect((written.body as Resource).metadata.generation).toBe(current.metadata.generation);

    const viaMain = await kube.request('PUT', graphPath('v1'), { ...(written.body as Resource), status: { provisioningState: 'Failed' } });
    expect(viaMain.status).toBe(200);
    expect((viaMain.body as Resource).status).toEqual(status);
  });

  it('stops both servers and removes their folder', async () => {
    const kube = cluster();
    const folder = dirname(kube.kubeconfigPath);
    await kube.stop();
    expect(existsSync(folder)).toBe(false);
    await expect(kube.request('GET', '/readyz')).rejects.toThrow(/ECONNREFUSED/);
    await kube.stop(); // a second stop (afterAll's) is harmless
  });
});
