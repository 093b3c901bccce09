/**
 * Message schemas in the cluster, against real parts: etcd + kube-apiserver,
 * Mosquitto, the engine in this process. The sample schema ConfigMap
 * (deploy/schemas) applied with kubectl, a DataflowGraph whose source
 * connection names it and whose REAL built-in filter has `validateSchema:
 * true` (from the engine's embedded registry, `default`): only conforming
 * messages reach the destination. A schema that is not there is the
 * graph's status reason until a ConfigMap for it is applied.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { Engine } from './engine.ts';
import { until as waitUntil } from './testing/until.ts';
import { collectMessages, namespaceWithCrds, startTestEngine } from './testing/cluster.ts';

const run = promisify(execFile);
const NS = 'engine-schemas';
const SAMPLE_SCHEMA = fileURLToPath(new URL('../../../deploy/schemas/temperature-schema.yaml', import.meta.url));

let kube: KubeCluster;
let broker: Broker;
let engine: Engine;
let client: mqtt.MqttClient;
const logs: string[] = [];
const outputs: { topic: string; payload: string }[] = [];

const kubectl = (args: string[], input?: string) => kube.kubectl(['-n', NS, ...args], input);
const jsonpath = async (name: string, path: string) => (await kubectl(['get', 'dataflowgraph', name, '-o', `jsonpath={${path}}`])).stdout;

const until = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000) => waitUntil(what, probe, ms, () => logs.slice(-15).join('\n'));

/** Source -> built-in filter (validateSchema, no rules) -> destination; the source connection names `schemaRef`. */
const validating = (name: string, schemaRef: string) => JSON.stringify({
  apiVersion: 'connectivity.iotoperations.azure.com/v1',
  kind: 'DataflowGraph',
  metadata: { name, namespace: NS },
  spec: {
    nodes: [
      { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'broker', dataSources: [`${name}/in`] } },
      { nodeType: 'Graph', name: 'check', graphSettings: { registryEndpointRef: 'default', artifact: 'azureiotoperations/graph-dataflow-filter:1.0.0', configuration: [{ key: 'rules', value: '{"validateSchema":true,"filter":[]}' }] } },
      { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'broker', dataDestination: `${name}/out` } },
    ],
    nodeConnections: [
      { from: { name: 'sensors', schema: { schemaRef, serializationFormat: 'Json' } }, to: { name: 'check' } },
      { from: { name: 'check' }, to: { name: 'out' } },
    ],
  },
});

const publish = (topic: string, payload: unknown) => run('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', topic, '-m', JSON.stringify(payload)]);
const payloadsAt = (topic: string) => outputs.filter((o) => o.topic === topic).map((o) => JSON.parse(o.payload) as unknown);

beforeAll(async () => {
  [kube, broker] = await Promise.all([startKube(), startMosquitto()]);
  await namespaceWithCrds(kube, NS);
  await kubectl(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'broker', namespace: NS },
    spec: { endpointType: 'Mqtt', mqttSettings: { host: `127.0.0.1:${broker.port}` } },
  }));
  client = await collectMessages(broker.url, '+/out', outputs);
  engine = await startTestEngine(kube, NS, (l) => logs.push(l));
}, 300_000);

afterAll(async () => {
  await engine?.stop();
  await client?.endAsync(true);
  await Promise.all([kube?.stop(), broker?.stop()]);
});

describe('engine: message schemas from ConfigMaps', () => {
  it('a filter with validateSchema passes only the messages that conform to the schema ConfigMap the connection names', async () => {
    await kubectl(['apply', '-f', SAMPLE_SCHEMA]);
    // kubectl's view of the convention: the labels the engine selects by.
    expect((await kubectl(['get', 'configmaps', '-l', 'wgs.dev/schema-name=temperature,wgs.dev/schema-version=1', '-o', 'name'])).stdout.trim()).toBe('configmap/schema-factory-temperature-1');
    await kubectl(['apply', '-f', '-'], validating('valid', 'aio-sr://factory/temperature:1'));
    await until('Available', async () => (await jsonpath('valid', '.status.healthState.status')) === 'Available');
    const sent = [{ temperature: 21.5, unit: 'C' }, { temperature: 'warm' }, { humidity: 40 }, { temperature: 1, unit: 'K' }, { temperature: 70, unit: 'F' }];
    for (const m of sent) await publish('valid/in', m);
    await until('two outputs', () => payloadsAt('valid/out').length >= 2 || undefined);
    // The dropped ones are counted (status counters, written at most every second).
    await until('all five counted', async () => Number(await jsonpath('valid', '.status.counters.messagesIn')) >= 5 || undefined);
    expect(payloadsAt('valid/out')).toEqual([{ temperature: 21.5, unit: 'C' }, { temperature: 70, unit: 'F' }]);
    expect(Number(await jsonpath('valid', '.status.counters.messagesOut'))).toBe(2);
  });

  it('a schema that is not there is the status reason, located; applying its ConfigMap starts the graph', async () => {
    await kubectl(['apply', '-f', '-'], validating('missing', 'aio-sr://factory/pressure:2'));
    await until('SchemaNotFound', async () => (await jsonpath('missing', '.status.healthState.reasonCode')) === 'SchemaNotFound');
    expect(await jsonpath('missing', '.status.healthState.status')).toBe('Unavailable');
    expect(await jsonpath('missing', '.status.healthState.message')).toBe(
      `schema aio-sr://factory/pressure:2 (read by "check") is not in the schema ConfigMaps (labelled wgs.dev/schema-name) of namespace ${NS} (at spec.nodeConnections[0].from.schema.schemaRef)`);
    // The other graph keeps running meanwhile.
    expect(await jsonpath('valid', '.status.healthState.status')).toBe('Available');
    await kubectl(['create', 'configmap', 'pressure-schema', '--from-literal=schema={"type":"object","required":["pressure"]}']);
    await kubectl(['label', 'configmap', 'pressure-schema', 'wgs.dev/schema-namespace=factory', 'wgs.dev/schema-name=pressure', 'wgs.dev/schema-version=2']);
    await until('Available once the schema exists', async () => (await jsonpath('missing', '.status.healthState.status')) === 'Available');
    await publish('missing/in', { temperature: 1 });
    await publish('missing/in', { pressure: 1013 });
    await until('the conforming message', () => payloadsAt('missing/out').length >= 1 || undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(payloadsAt('missing/out')).toEqual([{ pressure: 1013 }]);
  });
});
