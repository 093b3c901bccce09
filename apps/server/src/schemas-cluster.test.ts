/**
 * Message schemas with a cluster as the store: `/api/schemas` on the real app
 * over a KubeStore on a real kube-apiserver keeps them as labelled ConfigMaps,
 * the objects the engine reads. kubectl is the second opinion both ways: it
 * sees what the API wrote, and the API lists what kubectl applied.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeStore } from '@wgs/cluster-store';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';

const NS = 'azure-iot-operations';
const TOKEN = 'cluster-schema-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const SAMPLE_SCHEMA = fileURLToPath(new URL('../../../deploy/schemas/temperature-schema.yaml', import.meta.url));

let kube: KubeCluster;
let app: FastifyInstance;
const kubectl = (args: string[], input?: string) => kube.kubectl(['-n', NS, ...args], input);

beforeAll(async () => {
  kube = await startKube();
  await kube.kubectl(['create', 'namespace', NS]);
  await kube.kubectl(['apply', '-f', fileURLToPath(new URL('../../../deploy/crds/', import.meta.url))]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/dataflowendpoints.connectivity.iotoperations.azure.com', 'crd/registryendpoints.connectivity.iotoperations.azure.com']);
  const store = await KubeStore.fromKubeconfig(kube.kubeconfigPath, NS);
  app = await buildApp(defaultConfig({ token: TOKEN, port: 0, logLevel: 'silent' }), { store, cluster: store, webDir: false });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await kube?.stop();
});

describe('/api/schemas on a cluster', () => {
  it('writes a labelled ConfigMap kubectl reads back, replaces it in place, and deletes it', async () => {
    const content = '{"type":"object","required":["humidity"]}';
    const created = await app.inject({ method: 'PUT', url: '/api/schemas/factory/humidity/1', headers: auth, payload: { content } });
    expect(created.statusCode).toBe(201);
    const seen = JSON.parse((await kubectl(['get', 'configmaps', '-l', 'wgs.dev/schema-name=humidity', '-o', 'json'])).stdout).items;
    expect(seen).toHaveLength(1);
    expect(seen[0].metadata.labels).toEqual({ 'wgs.dev/schema-namespace': 'factory', 'wgs.dev/schema-name': 'humidity', 'wgs.dev/schema-version': '1' });
    expect(seen[0].data).toEqual({ schema: content, format: 'json' });
    const replaced = await app.inject({ method: 'PUT', url: '/api/schemas/factory/humidity/1', headers: auth, payload: { content: '{"type":"object"}' } });
    expect(replaced.statusCode).toBe(200);
    const after = JSON.parse((await kubectl(['get', 'configmaps', '-l', 'wgs.dev/schema-name=humidity', '-o', 'json'])).stdout).items;
    expect(after.map((c: { metadata: { name: string }; data: { schema: string } }) => [c.metadata.name, c.data.schema])).toEqual([[seen[0].metadata.name, '{"type":"object"}']]);
    expect((await app.inject({ method: 'DELETE', url: '/api/schemas/factory/humidity/1', headers: auth })).statusCode).toBe(204);
    expect((await kubectl(['get', 'configmaps', '-l', 'wgs.dev/schema-name=humidity', '-o', 'name'])).stdout.trim()).toBe('');
  });

  it('lists and serves a schema applied with kubectl (the sample in deploy/schemas); an unreadable one is a problem, not an item', async () => {
    await kubectl(['apply', '-f', SAMPLE_SCHEMA]);
    await kubectl(['create', 'configmap', 'broken-schema', '--from-literal=other=x']);
    await kubectl(['label', 'configmap', 'broken-schema', 'wgs.dev/schema-namespace=factory', 'wgs.dev/schema-name=broken', 'wgs.dev/schema-version=1']);
    const list = (await app.inject({ url: '/api/schemas', headers: auth })).json();
    expect(list.items).toEqual([{ namespace: 'factory', name: 'temperature', version: '1', format: 'json', ref: 'aio-sr://factory/temperature:1' }]);
    expect(list.problems).toEqual(['ConfigMap broken-schema: no data.schema']);
    expect(list.store).toContain(`namespace ${NS}`);
    const one = (await app.inject({ url: '/api/schemas/factory/temperature/1', headers: auth })).json();
    expect(JSON.parse(one.content)).toMatchObject({ required: ['temperature'] });
  });
});
