/**
 * The operator mode against a real kube-apiserver (no kubelet, so no pods
 * start: the Deployments themselves are what is checked, read back with
 * kubectl): one engine Deployment per DataflowProfile with replicas =
 * instanceCount, derived from deploy/engine's Deployment; updated when the
 * count changes; removed with its profile.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { DEFAULT_NAMESPACE } from '@wgs/graph-model';
import { ProfileOperator } from './operator.ts';
import { profileDeployment } from './profile-deployments.ts';
import { until as waitUntil } from './testing/until.ts';
import { namespaceWithCrds } from './testing/cluster.ts';

const NS = DEFAULT_NAMESPACE;
let kube: KubeCluster;
let operator: ProfileOperator;
const logs: string[] = [];

const kubectl = (args: string[], input?: string) => kube.kubectl(['-n', NS, ...args], input);
const profile = (name: string, instanceCount: number) => JSON.stringify({ apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowProfile', metadata: { name, namespace: NS }, spec: { instanceCount } });
const replicas = async (name: string) => (await kubectl(['get', 'deployment', name, '-o', 'jsonpath={.spec.replicas}']).catch(() => ({ stdout: 'absent' }))).stdout;

const until = (what: string, probe: () => Promise<boolean>, ms = 30_000) => waitUntil(what, probe, ms, () => logs.slice(-10).join('\n'));

beforeAll(async () => {
  kube = await startKube();
  await namespaceWithCrds(kube, NS, 'dataflowprofiles');
  await kube.kubectl(['apply', '-k', fileURLToPath(new URL('../../../deploy/engine/', import.meta.url))]);
  const kc = new KubeConfig();
  kc.loadFromFile(kube.kubeconfigPath);
  operator = new ProfileOperator({ kubeconfig: kc, namespace: NS, log: (l) => logs.push(l) });
  await operator.start();
}, 300_000);

afterAll(async () => {
  await operator?.stop();
  await kube?.stop();
});

describe('operator mode', () => {
  it('keeps one engine Deployment per profile with replicas = instanceCount', async () => {
    await kubectl(['apply', '-f', '-'], profile('default', 2));
    await kubectl(['apply', '-f', '-'], profile('fast', 3));
    // The template's own profile scales the template; another profile gets its copy.
    await until('wgs-engine at 2', async () => (await replicas('wgs-engine')) === '2');
    await until('wgs-engine-fast at 3', async () => (await replicas('wgs-engine-fast')) === '3');
    const fast = JSON.parse((await kubectl(['get', 'deployment', 'wgs-engine-fast', '-o', 'json'])).stdout);
    expect(fast.spec.selector.matchLabels).toMatchObject({ 'wgs.dev/profile': 'fast' });
    // The template's selector does not match the copy's pods.
    const template = JSON.parse((await kubectl(['get', 'deployment', 'wgs-engine', '-o', 'json'])).stdout);
    const podLabels = fast.spec.template.metadata.labels as Record<string, string>;
    expect(Object.entries(template.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => podLabels[k] === v)).toBe(false);
    expect(fast.spec.template.metadata.labels).toMatchObject({ 'wgs.dev/profile': 'fast' });
    expect(fast.spec.template.spec.containers[0].env).toContainEqual({ name: 'WGS_PROFILE', value: 'fast' });
    expect(fast.spec.template.spec.serviceAccountName).toBe('wgs-engine');

    await kubectl(['patch', 'dataflowprofile', 'fast', '--type', 'merge', '-p', '{"spec":{"instanceCount":1}}']);
    await until('wgs-engine-fast at 1', async () => (await replicas('wgs-engine-fast')) === '1');

    await kubectl(['delete', 'dataflowprofile', 'fast']);
    await until('wgs-engine-fast removed', async () => (await replicas('wgs-engine-fast')) === 'absent');
    expect(await replicas('wgs-engine')).toBe('2');
  }, 120_000);

  it('derives copies from the template without touching the template', () => {
    const template = { metadata: { name: 'wgs-engine', namespace: NS, labels: { a: 'b' } }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'engine', image: 'i', env: [{ name: 'WGS_PROFILE', value: 'default' }] }] } } } };
    const before = JSON.stringify(template);
    const copy = profileDeployment(template, 'p', 4);
    expect(copy.metadata?.name).toBe('wgs-engine-p');
    expect(copy.spec?.replicas).toBe(4);
    expect(JSON.stringify(template)).toBe(before);
    expect(profileDeployment(template, 'default', 5).metadata?.name).toBe('wgs-engine');
  });
});
