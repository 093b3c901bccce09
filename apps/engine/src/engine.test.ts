/**
 * The engine against real parts (envtest style): etcd + kube-apiserver with
 * the CRDs, a docker-registry holding a graph and its module, Mosquitto.
 * Resources are written with the real kubectl; the engine runs in this
 * process (no kubelet). Checks: messages flow once a DataflowGraph is
 * applied and its status says Available with growing counters; a
 * configuration edit changes the output; a missing artifact is Unavailable
 * with its reason; Disabled and delete stop the graph; data flows of several
 * built-ins run flattened (a branch's arms to two destinations; a window,
 * stateful).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { copyArtifact, embeddedRegistry, pushArtifact, RegistryClient } from '@wgs/registry';
import { startDockerRegistry, type TestRegistry } from '@wgs/registry/testing';
import { Engine } from './engine.ts';
import { until as waitUntil } from './testing/until.ts';
import { collectMessages, namespaceWithCrds, startTestEngine } from './testing/cluster.ts';

const run = promisify(execFile);
const NS = 'engine-test';
const SAMPLES = 'azure-samples/explore-iot-operations';

/** Celsius readings kept strictly between the configured bounds (map F→C, then filter). */
const BOUNDED_GRAPH = `
metadata: { $schema: x, name: bounded, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - name: module-temperature/filter
    parameters:
      temperature_upper_bound: { name: temperature_upper_bound, description: upper bound in Celsius }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: module-temperature/map, module: ${SAMPLES}/temperature:1.0.0 }
  - { operationType: filter, name: module-temperature/filter, module: ${SAMPLES}/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: module-temperature/map } }
  - { from: { name: module-temperature/map }, to: { name: module-temperature/filter } }
  - { from: { name: module-temperature/filter }, to: { name: sink } }
`;

let kube: KubeCluster;
let broker: Broker;
let registry: TestRegistry;
let engine: Engine;
let client: mqtt.MqttClient;
const logs: string[] = [];
const outputs: { topic: string; payload: string }[] = [];

const kubectl = (args: string[], input?: string) => kube.kubectl(['-n', NS, ...args], input);
const jsonpath = async (name: string, path: string) => (await kubectl(['get', 'dataflowgraph', name, '-o', `jsonpath={${path}}`])).stdout;

const until = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000) => waitUntil(what, probe, ms, () => logs.slice(-15).join('\n'));

function graphManifest(name: string, o: { artifact: string; topic: string; config?: Record<string, string>; mode?: string; registry?: string }): string {
  const configuration = Object.entries(o.config ?? {}).map(([key, value]) => ({ key, value }));
  return JSON.stringify({
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name, namespace: NS },
    spec: {
      profileRef: 'default',
      ...(o.mode ? { mode: o.mode } : {}),
      nodes: [
        { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'broker', dataSources: [`${o.topic}/in`] } },
        { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: o.registry ?? 'registry', artifact: o.artifact, ...(configuration.length ? { configuration } : {}) } },
        { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'broker', dataDestination: `${o.topic}/out` } },
      ],
      nodeConnections: [{ from: { name: 'sensors' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'out' } }],
    },
  });
}

/** A DataflowGraph Graph node running a built-in from the embedded registry; each configuration value is written as JSON. */
const builtinNode = (name: string, kind: string, configuration: Record<string, unknown>) => ({
  nodeType: 'Graph',
  name,
  graphSettings: {
    registryEndpointRef: 'default',
    artifact: `azureiotoperations/graph-dataflow-${kind}:1.0.0`,
    configuration: Object.entries(configuration).map(([key, value]) => ({ key, value: JSON.stringify(value) })),
  },
});

const publish = (topic: string, fahrenheit: number) => run('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', topic, '-m', JSON.stringify({ temperature: { value: fahrenheit, unit: 'F' } })]);
const celsiusAt = (topic: string) => outputs.filter((o) => o.topic === topic).map((o) => (JSON.parse(o.payload) as { temperature: { value: number } }).temperature.value);

beforeAll(async () => {
  [kube, broker, registry] = await Promise.all([startKube(), startMosquitto(), startDockerRegistry()]);
  await namespaceWithCrds(kube, NS);
  // The graphs and the module in a real registry, as oras would have pushed them.
  const target = new RegistryClient({ registry: registry.host });
  for (const repo of ['graph-simple', 'temperature']) await copyArtifact(embeddedRegistry(), `${SAMPLES}/${repo}`, '1.0.0', target, `${SAMPLES}/${repo}`, ['1.0.0']);
  await pushArtifact(target, 'graphs/bounded', ['1.0.0'], { kind: 'graph', content: new TextEncoder().encode(BOUNDED_GRAPH), fileName: 'bounded.yaml' });
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'broker', namespace: NS }, spec: { endpointType: 'Mqtt', mqttSettings: { host: `127.0.0.1:${broker.port}` } } },
    { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'RegistryEndpoint', metadata: { name: 'registry', namespace: NS }, spec: { host: registry.host, authentication: { method: 'Anonymous', anonymousSettings: {} } } },
  ] }));
  client = await collectMessages(broker.url, 'engine/#', outputs);
  engine = await startTestEngine(kube, NS, (l) => logs.push(l));
}, 300_000);

afterAll(async () => {
  await engine?.stop();
  await client?.endAsync(true);
  await Promise.all([kube?.stop(), broker?.stop(), registry?.stop()]);
});

describe('engine', () => {
  it('runs an applied DataflowGraph: messages flow, status Available with growing counters', async () => {
    await kubectl(['apply', '-f', '-'], graphManifest('simple', { artifact: `${SAMPLES}/graph-simple:1.0.0`, topic: 'engine/simple' }));
    await until('Available', async () => (await jsonpath('simple', '.status.healthState.status')) === 'Available');
    await publish('engine/simple/in', 212);
    expect(await until('output', () => celsiusAt('engine/simple/out')[0])).toBe(100);
    await until('counters', async () => Number(await jsonpath('simple', '.status.counters.messagesIn')) >= 1);
    await publish('engine/simple/in', 32);
    await until('counters grow', async () => Number(await jsonpath('simple', '.status.counters.messagesOut')) >= 2);
    const status = JSON.parse((await kubectl(['get', 'dataflowgraph', 'simple', '-o', 'json'])).stdout).status;
    expect(status).toMatchObject({ provisioningState: 'Succeeded', healthState: { status: 'Available', reasonCode: 'Running' }, observedGeneration: 1, engine: { pod: 'engine-0' } });
    expect(status.artifactDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  }, 120_000);

  it('runs a built-in transform through the implicit `default` registry endpoint (the engine ships them)', async () => {
    // No RegistryEndpoint named default exists in the cluster: as in the reference, a built-in needs no registry setup.
    const rules = JSON.stringify({ map: [{ inputs: ['*'], output: '*' }, { inputs: ['temperature.value'], output: 'celsius', expression: '($1 - 32) * 5 / 9' }] });
    await kubectl(['apply', '-f', '-'], graphManifest('builtin', { artifact: 'azureiotoperations/graph-dataflow-map:1.0.0', registry: 'default', topic: 'engine/builtin', config: { rules } }));
    await until('Available', async () => (await jsonpath('builtin', '.status.healthState.status')) === 'Available');
    await publish('engine/builtin/in', 212);
    const out = await until('output', () => outputs.find((o) => o.topic === 'engine/builtin/out'));
    expect(JSON.parse(out.payload)).toEqual({ celsius: 100, temperature: { unit: 'F', value: 212 } });
    await kubectl(['delete', 'dataflowgraph', 'builtin']);
  }, 120_000);

  it('runs a chain of built-ins flattened into one graph: map -> filter -> branch, each arm to its own destination', async () => {
    const destination = (name: string) => ({ nodeType: 'Destination', name, destinationSettings: { endpointRef: 'broker', dataDestination: `engine/chain/${name}` } });
    await kubectl(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'connectivity.iotoperations.azure.com/v1',
      kind: 'DataflowGraph',
      metadata: { name: 'chain', namespace: NS },
      spec: {
        profileRef: 'default',
        nodes: [
          { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'broker', dataSources: ['engine/chain/in'] } },
          builtinNode('convert', 'map', { rules: { map: [{ inputs: ['*'], output: '*' }, { inputs: ['temperature.value'], output: 'celsius', expression: '($1 - 32) * 5 / 9' }] } }),
          // Both the filter and the branch use the key `rules`: each node gets its own.
          builtinNode('frozen', 'filter', { rules: { filter: [{ inputs: ['celsius'], expression: '$1 < 0' }] } }),
          builtinNode('split', 'branch', { rules: { branch: { inputs: ['celsius'], expression: '$1 > 50' } } }),
          destination('hot'),
          destination('normal'),
        ],
        nodeConnections: [
          { from: { name: 'sensors' }, to: { name: 'convert' } },
          { from: { name: 'convert' }, to: { name: 'frozen' } },
          { from: { name: 'frozen' }, to: { name: 'split' } },
          { from: { name: 'split.output.true' }, to: { name: 'hot' } },
          { from: { name: 'split.output.false' }, to: { name: 'normal' } },
        ],
      },
    }));
    await until('Available', async () => (await jsonpath('chain', '.status.healthState.status')) === 'Available');
    for (const f of [212, 68, 14]) await publish('engine/chain/in', f);
    const celsius = (topic: string) => outputs.filter((o) => o.topic === topic).map((o) => (JSON.parse(o.payload) as { celsius: number }).celsius);
    await until('both destinations', () => celsius('engine/chain/hot').length >= 1 && celsius('engine/chain/normal').length >= 1);
    expect(celsius('engine/chain/hot')).toEqual([100]);
    expect(celsius('engine/chain/normal')).toEqual([20]);
    // Counters per composite operation; messages in and out counted at the Source and Destination nodes.
    await until('counters', async () => Number(await jsonpath('chain', '.status.counters.messagesOut')) >= 2);
    const status = JSON.parse((await kubectl(['get', 'dataflowgraph', 'chain', '-o', 'json'])).stdout).status;
    expect(status.counters).toMatchObject({ messagesIn: 3, messagesOut: 2, dropped: 1 });
    expect(status.operations.find((o: { name: string }) => o.name === 'frozen/filter')).toMatchObject({ in: 3, out: 2, dropped: 1 });
    expect(status.artifactDigest).toMatch(/^convert=sha256:[0-9a-f]{64}, frozen=sha256:/);
    await kubectl(['delete', 'dataflowgraph', 'chain']);
  }, 120_000);

  it('runs Source nodes that feed different nodes: each destination gets only its own Source node\'s messages', async () => {
    const destination = (name: string) => ({ nodeType: 'Destination', name, destinationSettings: { endpointRef: 'broker', dataDestination: `engine/multi/out/${name}` } });
    await kubectl(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'connectivity.iotoperations.azure.com/v1',
      kind: 'DataflowGraph',
      metadata: { name: 'multi', namespace: NS },
      spec: {
        profileRef: 'default',
        nodes: [
          { nodeType: 'Source', name: 'temps', sourceSettings: { endpointRef: 'broker', dataSources: ['engine/multi/temperature/#'] } },
          { nodeType: 'Source', name: 'humid', sourceSettings: { endpointRef: 'broker', dataSources: ['engine/multi/humidity/+'] } },
          builtinNode('convert', 'map', { rules: { map: [{ inputs: ['temperature.value'], output: 'celsius', expression: '($1 - 32) * 5 / 9' }] } }),
          builtinNode('dry', 'filter', { rules: { filter: [{ inputs: ['temperature.value'], expression: '$1 >= 50' }] } }),
          destination('celsius'),
          destination('arid'),
        ],
        nodeConnections: [
          { from: { name: 'temps' }, to: { name: 'convert' } },
          { from: { name: 'convert' }, to: { name: 'celsius' } },
          { from: { name: 'humid' }, to: { name: 'dry' } },
          { from: { name: 'dry' }, to: { name: 'arid' } },
        ],
      },
    }));
    await until('Available', async () => (await jsonpath('multi', '.status.healthState.status')) === 'Available');
    // The humidity readings ride in the same payload shape: 30 is dry, 80 is not.
    for (const [topic, v] of [['temperature/a', 212], ['humidity/a', 30], ['humidity/b', 80], ['temperature/b', 32]] as const) await publish(`engine/multi/${topic}`, v);
    const at = (topic: string) => outputs.filter((o) => o.topic === `engine/multi/out/${topic}`).map((o) => JSON.parse(o.payload) as unknown);
    await until('both destinations', () => at('celsius').length >= 2 && at('arid').length >= 1);
    await until('counters', async () => Number(await jsonpath('multi', '.status.counters.messagesIn')) >= 4);
    expect(at('celsius')).toEqual([{ celsius: 100 }, { celsius: 0 }]);
    expect(at('arid')).toEqual([{ temperature: { value: 30, unit: 'F' } }]);
    const status = JSON.parse((await kubectl(['get', 'dataflowgraph', 'multi', '-o', 'json'])).stdout).status;
    expect(status.operations.find((o: { name: string }) => o.name === 'convert/source')).toMatchObject({ in: 2 });
    expect(status.operations.find((o: { name: string }) => o.name === 'dry/source')).toMatchObject({ in: 2 });
    await kubectl(['delete', 'dataflowgraph', 'multi']);
  }, 120_000);

  it('runs a flattened chain with a window as a stateful graph (the lease holder runs it)', async () => {
    await kubectl(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'connectivity.iotoperations.azure.com/v1',
      kind: 'DataflowGraph',
      metadata: { name: 'windowed', namespace: NS },
      spec: {
        profileRef: 'default',
        nodes: [
          { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'broker', dataSources: ['engine/windowed/in'] } },
          builtinNode('convert', 'map', { rules: { map: [{ inputs: ['temperature.value'], output: 'f' }] } }),
          builtinNode('average', 'window', { delay: { type: 'duration', delaySeconds: 1 }, rules: { accumulate: [{ inputs: ['f'], output: 'avg', expression: 'average($1)' }] } }),
          { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'broker', dataDestination: 'engine/windowed/out' } },
        ],
        nodeConnections: [{ from: { name: 'sensors' }, to: { name: 'convert' } }, { from: { name: 'convert' }, to: { name: 'average' } }, { from: { name: 'average' }, to: { name: 'out' } }],
      },
    }));
    await until('Available', async () => (await jsonpath('windowed', '.status.healthState.status')) === 'Available');
    expect(logs.some((l) => l.startsWith(`${NS}/windowed: running`) && l.includes('stateful'))).toBe(true);
    // One source timestamp: both readings fall in one window, which closes once the wall clock is past it (lateness 2 s).
    const ts = `${Date.now()}:0:df`;
    for (const f of [100, 200]) await run('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'engine/windowed/in', '-D', 'PUBLISH', 'user-property', '__ts', ts, '-m', JSON.stringify({ temperature: { value: f, unit: 'F' } })]);
    const out = await until('the window', () => outputs.find((o) => o.topic === 'engine/windowed/out'));
    expect(JSON.parse(out.payload)).toEqual({ avg: 150 });
    await kubectl(['delete', 'dataflowgraph', 'windowed']);
  }, 120_000);

  it('a configuration edit changes the output', async () => {
    await kubectl(['apply', '-f', '-'], graphManifest('bounded', { artifact: 'graphs/bounded:1.0.0', topic: 'engine/bounded', config: { temperature_upper_bound: '150' } }));
    await until('Available', async () => (await jsonpath('bounded', '.status.healthState.status')) === 'Available');
    await publish('engine/bounded/in', 212);
    expect(await until('100 °C passes below 150', () => celsiusAt('engine/bounded/out')[0])).toBe(100);
    await kubectl(['patch', 'dataflowgraph', 'bounded', '--type', 'json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/nodes/1/graphSettings/configuration/0/value', value: '50' }])]);
    await until('restarted with the new configuration', async () => (await jsonpath('bounded', '.status.observedGeneration')) === '2' && (await jsonpath('bounded', '.status.healthState.status')) === 'Available');
    await publish('engine/bounded/in', 212);
    await publish('engine/bounded/in', 68);
    // 20 °C passes; 100 °C is now above the bound and is filtered out.
    await until('20 °C out', () => celsiusAt('engine/bounded/out').includes(20));
    expect(celsiusAt('engine/bounded/out')).toEqual([100, 20]);
  }, 120_000);

  it('a missing artifact is Unavailable with its reason', async () => {
    await kubectl(['apply', '-f', '-'], graphManifest('missing', { artifact: 'graphs/does-not-exist:9.9.9', topic: 'engine/missing' }));
    await until('Unavailable', async () => (await jsonpath('missing', '.status.healthState.status')) === 'Unavailable');
    expect(await jsonpath('missing', '.status.healthState.reasonCode')).toBe('ArtifactNotFound');
    expect(await jsonpath('missing', '.status.healthState.message')).toMatch(/graphs\/does-not-exist:9\.9\.9/);
    expect(await jsonpath('missing', '.status.provisioningState')).toBe('Failed');
    // Pushed later, it starts on the next retry.
    await copyArtifact(embeddedRegistry(), `${SAMPLES}/graph-simple`, '1.0.0', new RegistryClient({ registry: registry.host }), 'graphs/does-not-exist', ['9.9.9']);
    await until('Available after the push', async () => (await jsonpath('missing', '.status.healthState.status')) === 'Available');
  }, 120_000);

  it('Disabled stops a graph, and delete stops it for good', async () => {
    await kubectl(['apply', '-f', '-'], graphManifest('simple', { artifact: `${SAMPLES}/graph-simple:1.0.0`, topic: 'engine/simple', mode: 'Disabled' }));
    await until('Disabled', async () => (await jsonpath('simple', '.status.healthState.reasonCode')) === 'Disabled');
    const before = celsiusAt('engine/simple/out').length;
    await publish('engine/simple/in', 50);
    await new Promise((r) => setTimeout(r, 1500));
    expect(celsiusAt('engine/simple/out')).toHaveLength(before);
    // Enabled again: the persistent session kept what was published meanwhile.
    await kubectl(['apply', '-f', '-'], graphManifest('simple', { artifact: `${SAMPLES}/graph-simple:1.0.0`, topic: 'engine/simple' }));
    await until('the message sent while disabled', () => celsiusAt('engine/simple/out').includes(10));

    await kubectl(['delete', 'dataflowgraph', 'bounded']);
    await until('bounded stopped', () => logs.some((l) => l === `${NS}/bounded: deleted`));
    const n = celsiusAt('engine/bounded/out').length;
    await publish('engine/bounded/in', 68);
    await new Promise((r) => setTimeout(r, 1500));
    expect(celsiusAt('engine/bounded/out')).toHaveLength(n);
    expect(engine.statuses().has('bounded')).toBe(false);
  }, 120_000);
});
