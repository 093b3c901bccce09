import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSchemaStore, FileStore, KubeSchemaStore, KubeStore } from '@wgs/cluster-store';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';
import { openStores } from './stores.ts';

/** A kubeconfig pointing at a port where nothing listens. */
function deadKubeconfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wgs-kc-'));
  const path = join(dir, 'config');
  writeFileSync(path, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'x',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  }));
  return path;
}

describe('an unreachable cluster', () => {
  it('falls back to the embedded store with a warning, and the app keeps serving', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'wgs-fallback-'));
    const config = defaultConfig({ token: 't', storeDir, kubeconfig: deadKubeconfig(), logLevel: 'silent' });
    const stores = await openStores(config, 3000);
    expect(stores.store).toBeInstanceOf(FileStore);
    expect(stores.cluster).toBeInstanceOf(KubeStore);
    expect(stores.warning).toMatch(/cluster unavailable .*serving the embedded store/);
    // Schemas follow: the embedded folder while the cluster does not answer.
    expect(stores.schemas).toBeInstanceOf(FileSchemaStore);
    const app = await buildApp(config, stores);
    const list = await app.inject({ url: '/api/dataflowgraphs', headers: { authorization: 'Bearer t' } });
    expect(list.statusCode).toBe(200);
    expect(list.json().store).toContain('embedded store');
    // A deploy names the cluster and why it failed.
    const graph = {
      apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowGraph', metadata: { name: 'g' },
      spec: {
        nodes: [
          { nodeType: 'Source', name: 's', sourceSettings: { endpointRef: 'default', dataSources: ['a'] } },
          { nodeType: 'Graph', name: 't', graphSettings: { registryEndpointRef: 'embedded', artifact: 'azure-samples/explore-iot-operations/graph-simple:1.0.0' } },
          { nodeType: 'Destination', name: 'd', destinationSettings: { endpointRef: 'default', dataDestination: 'b' } },
        ],
        nodeConnections: [{ from: { name: 's' }, to: { name: 't' } }, { from: { name: 't' }, to: { name: 'd' } }],
      },
    };
    expect((await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: { authorization: 'Bearer t' }, payload: graph })).statusCode).toBe(201);
    const d = await app.inject({ method: 'POST', url: '/api/dataflowgraphs/g/deploy', headers: { authorization: 'Bearer t' }, payload: { apply: false } });
    expect(d.statusCode).toBe(503);
    expect(d.json()).toMatchObject({ code: 'store-unavailable', message: expect.stringContaining('https://127.0.0.1:1') });
    await app.close();
  }, 30_000);

  it('keeps drafts in the embedded store when asked (WGS_DRAFTS=embedded), the cluster only for deploys', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'wgs-drafts-'));
    const stores = await openStores(defaultConfig({ token: 't', storeDir, kubeconfig: deadKubeconfig(), drafts: 'embedded', logLevel: 'silent' }), 3000);
    expect(stores.store).toBeInstanceOf(FileStore);
    expect(stores.cluster).toBeInstanceOf(KubeStore);
    // Not probed at start: a cluster that is down shows when deploying.
    expect(stores.warning).toBeUndefined();
    // Drafts stay local, schemas are the cluster's ConfigMaps (the engine reads those).
    expect(stores.schemas).toBeInstanceOf(KubeSchemaStore);
  });
});
