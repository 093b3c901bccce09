/**
 * Two engine replicas of one profile, as local processes (`wgs engine` with
 * POD_NAME set, as in pods; no kubelet), against a real kube-apiserver, a
 * docker-registry and Mosquitto. A stateless graph's messages are split
 * between the replicas (MQTT shared subscription): 20,000 QoS 1 messages,
 * each replica gets a share, none lost, none twice. A stateful graph runs on
 * the replica holding its Lease; SIGKILL that one and the other takes the
 * lease within its duration and the graph's output goes on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { copyArtifact, embeddedRegistry, pushArtifact, RegistryClient } from '@wgs/registry';
import { startDockerRegistry, type TestRegistry } from '@wgs/registry/testing';
import { publishDurably, startCollector, tally } from '../../cli/src/testing/fault-harness.ts';
import { until as waitUntil } from './testing/until.ts';
import { namespaceWithCrds } from './testing/cluster.ts';

const NS = 'replicas-test';
const SAMPLES = 'azure-samples/explore-iot-operations';
const LEASE_SECONDS = 4;
const COUNT = 20_000;
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Stateful: every reading goes through an accumulate (one epoch per timestamp), so it must run on one replica. */
const STATEFUL_GRAPH = `
metadata: { $schema: x, name: stateful, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: module-temperature/map, module: ${SAMPLES}/temperature:1.0.0 }
  - { operationType: accumulate, name: module-temperature/accumulate, module: ${SAMPLES}/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: module-temperature/map } }
  - { from: { name: module-temperature/map }, to: { name: module-temperature/accumulate } }
  - { from: { name: module-temperature/accumulate }, to: { name: sink } }
`;

let kube: KubeCluster;
let broker: Broker;
let registry: TestRegistry;
const replicas = new Map<string, { child: ChildProcess; log: string[]; exited: Promise<unknown> }>();

const kubectl = (args: string[], input?: string) => kube.kubectl(['-n', NS, ...args], input);

const until = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000) =>
  waitUntil(what, probe, ms, () => [...replicas].map(([p, r]) => `${p}:\n${r.log.slice(-8).join('')}`).join('\n'));

function startReplica(pod: string): void {
  const child = spawn('node', ['--import', 'tsx', 'apps/cli/src/main.ts', 'engine', '--kubeconfig', kube.kubeconfigPath, '--namespace', NS,
    '--status-interval-ms', '1000', '--lease-seconds', String(LEASE_SECONDS)], { cwd: repoRoot, env: { ...process.env, POD_NAME: pod } });
  const log: string[] = [];
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  replicas.set(pod, { child, log, exited: new Promise((r) => child.once('exit', r)) });
}

function graphManifest(name: string, artifact: string, topic: string): string {
  return JSON.stringify({
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name, namespace: NS },
    spec: {
      profileRef: 'default',
      nodes: [
        { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'broker', dataSources: [`${topic}/in`] } },
        { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'registry', artifact } },
        { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'broker', dataDestination: `${topic}/out` } },
      ],
      nodeConnections: [{ from: { name: 'sensors' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'out' } }],
    },
  });
}

const status = async (name: string) => JSON.parse((await kubectl(['get', 'dataflowgraph', name, '-o', 'json'])).stdout).status as {
  healthState?: { status: string };
  replicas?: Record<string, { health: string; reasonCode: string; counters?: { messagesIn: number } }>;
} | undefined;

beforeAll(async () => {
  [kube, broker, registry] = await Promise.all([startKube(), startMosquitto(), startDockerRegistry()]);
  await namespaceWithCrds(kube, NS);
  const target = new RegistryClient({ registry: registry.host });
  for (const repo of ['graph-simple', 'temperature']) await copyArtifact(embeddedRegistry(), `${SAMPLES}/${repo}`, '1.0.0', target, `${SAMPLES}/${repo}`, ['1.0.0']);
  await pushArtifact(target, 'graphs/stateful', ['1.0.0'], { kind: 'graph', content: new TextEncoder().encode(STATEFUL_GRAPH), fileName: 'stateful.yaml' });
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowProfile', metadata: { name: 'default', namespace: NS }, spec: { instanceCount: 2 } },
    { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'broker', namespace: NS }, spec: { endpointType: 'Mqtt', mqttSettings: { host: `127.0.0.1:${broker.port}` } } },
    { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'RegistryEndpoint', metadata: { name: 'registry', namespace: NS }, spec: { host: registry.host, authentication: { method: 'Anonymous', anonymousSettings: {} } } },
  ] }));
  startReplica('engine-a');
  startReplica('engine-b');
}, 300_000);

afterAll(async () => {
  for (const r of replicas.values()) {
    r.child.kill('SIGKILL');
    await r.exited;
  }
  await Promise.all([kube?.stop(), broker?.stop(), registry?.stop()]);
});

describe('two engine replicas', () => {
  it('share a stateless graph: 20,000 QoS 1 messages split between them, none lost, none twice', async () => {
    await kubectl(['apply', '-f', '-'], graphManifest('shared', `${SAMPLES}/graph-simple:1.0.0`, 'replicas/shared'));
    await until('both replicas running it', async () => {
      const s = await status('shared');
      return s?.replicas?.['engine-a']?.reasonCode === 'Running' && s.replicas['engine-b']?.reasonCode === 'Running' && s.healthState?.status === 'Available';
    }, 120_000);
    const out = await startCollector(broker.port, 'replicas/shared/out', 'replicas-collector');
    try {
      await publishDurably(broker.url, 'replicas/shared/in', COUNT);
      await out.waitFor(COUNT, 120_000);
      const { lost, duplicates } = tally(out.seen, COUNT);
      const shares = await until('each replica reports its share', async () => {
        const s = await status('shared');
        const a = s?.replicas?.['engine-a']?.counters?.messagesIn ?? 0;
        const b = s?.replicas?.['engine-b']?.counters?.messagesIn ?? 0;
        return a + b >= COUNT ? [a, b] : undefined;
      });
      console.log(`two replicas: ${COUNT} published, engine-a ${shares[0]}, engine-b ${shares[1]}, ${lost.length} lost, ${duplicates} duplicates`);
      expect(lost).toEqual([]);
      expect(duplicates).toBe(0);
      expect(shares[0]).toBeGreaterThan(0);
      expect(shares[1]).toBeGreaterThan(0);
      expect(shares[0]! + shares[1]!).toBe(COUNT);
    } finally {
      await out.stop();
    }
  }, 300_000);

  it('run a stateful graph on the lease holder only; when it is killed the other takes over within the lease duration', async () => {
    await kubectl(['apply', '-f', '-'], graphManifest('stateful', 'graphs/stateful:1.0.0', 'replicas/stateful'));
    const holder = await until('a lease holder', async () => (await kubectl(['get', 'lease', 'wgs-graph-stateful', '-o', 'jsonpath={.spec.holderIdentity}']).catch(() => ({ stdout: '' }))).stdout || undefined);
    const other = holder === 'engine-a' ? 'engine-b' : 'engine-a';
    await until('the holder runs it, the other stands by', async () => {
      const s = await status('stateful');
      return s?.replicas?.[holder]?.reasonCode === 'Running' && s.replicas[other]?.reasonCode === 'Standby';
    }, 120_000);
    const client = mqtt.connect(broker.url, { protocolVersion: 5 });
    await new Promise((r) => client.once('connect', r));
    const outputs: number[] = [];
    client.on('message', () => outputs.push(Date.now()));
    await client.subscribeAsync('replicas/stateful/out', { qos: 1 });
    try {
      const reading = JSON.stringify({ temperature: { value: 212, unit: 'F' } });
      await client.publishAsync('replicas/stateful/in', reading, { qos: 1 });
      await until('a window result from the holder', () => outputs.length >= 1);
      const killedAt = Date.now();
      replicas.get(holder)!.child.kill('SIGKILL');
      await replicas.get(holder)!.exited;
      const taken = await until('the other replica holds the lease', async () => {
        const h = (await kubectl(['get', 'lease', 'wgs-graph-stateful', '-o', 'jsonpath={.spec.holderIdentity}'])).stdout;
        return h === other ? Date.now() : undefined;
      }, 30_000);
      console.log(`lease taken over ${taken - killedAt} ms after the holder was killed (lease ${LEASE_SECONDS} s)`);
      // The lease expires at most its duration after the holder's last renewal (before the kill); the survivor looks every 0.5 s.
      expect(taken - killedAt).toBeLessThan(LEASE_SECONDS * 1000 + 1000);
      const before = outputs.length;
      await client.publishAsync('replicas/stateful/in', reading, { qos: 1 });
      await until('window output continues on the new holder', () => outputs.length > before, 60_000);
      await until('status says the survivor runs it', async () => (await status('stateful'))?.replicas?.[other]?.reasonCode === 'Running');
    } finally {
      await client.endAsync(true);
    }
  }, 300_000);
});
