/**
 * The engine tests' shared setup against real parts: a namespace with the
 * repository's CRDs (deploy/crds) applied as kubectl would, an engine in this
 * process, and an MQTT client that keeps what arrives on a topic filter.
 */
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import mqtt from 'mqtt';
import type { KubeCluster } from '@wgs/cluster-testing';
import { Engine } from '../engine.ts';

/** Creates `namespace` and applies the CRDs, waiting until `crd` (a plural name) is served. */
export async function namespaceWithCrds(kube: KubeCluster, namespace: string, crd = 'dataflowgraphs'): Promise<void> {
  await kube.kubectl(['create', 'namespace', namespace]);
  await kube.kubectl(['apply', '-f', fileURLToPath(new URL('../../../../deploy/crds/', import.meta.url))]);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/${crd}.connectivity.iotoperations.azure.com`]);
}

/** An engine (pod engine-0) watching `namespace`, status every second, started. */
export async function startTestEngine(kube: KubeCluster, namespace: string, log: (line: string) => void): Promise<Engine> {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(kube.kubeconfigPath);
  const engine = new Engine({ kubeconfig, namespace, pod: 'engine-0', statusIntervalMs: 1000, retryMs: 2000, log });
  await engine.start();
  return engine;
}

/** A connected MQTT 5 client subscribed (QoS 1) to `filter`, pushing what arrives onto `into`. */
export async function collectMessages(url: string, filter: string, into: { topic: string; payload: string }[]): Promise<mqtt.MqttClient> {
  const client = mqtt.connect(url, { protocolVersion: 5 });
  await new Promise((r) => client.once('connect', r));
  client.on('message', (topic, payload) => into.push({ topic, payload: payload.toString() }));
  await client.subscribeAsync(filter, { qos: 1 });
  return client;
}
