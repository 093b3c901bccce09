/**
 * Source nodes that feed different nodes: the composite source routes each
 * message by its topic (graph-model flattenDataflow gives its connections the
 * Source nodes' topic filters). Real built-ins in a real worker (`pnpm build` first).
 */
import { flattenDataflow, formatHlc, hlcFromMillis, isFlattenError, loadGraphDefinition, type DataflowGraphResource, type GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { embeddedRegistry, pullArtifact } from '@wgs/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type MessageItem } from '../data-model.ts';
import { GraphRunner } from '../worker/graph-runner.ts';

async function builtin(kind: string): Promise<GraphDefinition> {
  const pulled = await pullArtifact(embeddedRegistry(), `azureiotoperations/graph-dataflow-${kind}`, '1.0.0', { expect: 'graph' });
  return loadGraphDefinition(new TextDecoder().decode(pulled.content));
}

const source = (name: string, dataSources: string[]) => ({ nodeType: 'Source' as const, name, sourceSettings: { endpointRef: 'default', dataSources } });
const transform = (name: string, kind: string, rules?: object) => ({
  nodeType: 'Graph' as const, name, graphSettings: { registryEndpointRef: 'default', artifact: `azureiotoperations/graph-dataflow-${kind}:1.0.0`, configuration: rules ? [{ key: 'rules', value: JSON.stringify(rules) }] : [] },
});
const destination = (name: string) => ({ nodeType: 'Destination' as const, name, destinationSettings: { endpointRef: 'default', dataDestination: `out/${name}` } });

/** temps (sensor/temperature/#) → convert (map) → temperatures; humid (sensor/humidity/+) → dry (filter) → humidities; both → every (map) → all. */
const flow: DataflowGraphResource = {
  apiVersion: 'connectivity.iotoperations.azure.com/v1',
  kind: 'DataflowGraph',
  metadata: { name: 'two-sources' },
  spec: {
    nodes: [
      source('temps', ['sensor/temperature/#']),
      source('humid', ['sensor/humidity/+', 'sensor/+/all']),
      transform('convert', 'map', { map: [{ inputs: ['v'], output: 'f', expression: 'cToF($1)' }] }),
      // A filter drops what matches: humidity 50 and over is not dry.
      transform('dry', 'filter', { filter: [{ inputs: ['v'], expression: '$1 >= 50' }] }),
      transform('every', 'map', { map: [{ inputs: ['*'], output: '*' }, { inputs: ['$metadata.topic'], output: 'topic' }] }),
      destination('temperatures'), destination('humidities'), destination('all'),
    ],
    nodeConnections: [
      ['temps', 'convert'], ['convert', 'temperatures'], ['humid', 'dry'], ['dry', 'humidities'],
      ['temps', 'every'], ['humid', 'every'], ['every', 'all'],
    ].map(([from, to]) => ({ from: { name: from! }, to: { name: to! } })),
  },
};

const message = (topic: string, v: number, ms: number): ConnectorMessage => ({
  topic, payload: utf8(JSON.stringify({ v })), userProperties: [['__ts', formatHlc(hlcFromMillis(ms, 0n, 'test'))]],
});

const runners: GraphRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

async function run(resource: DataflowGraphResource, kinds: [string, string][], messages: ConnectorMessage[]) {
  const definitions = new Map(await Promise.all(kinds.map(async ([n, k]) => [n, await builtin(k)] as const)));
  const f = flattenDataflow(resource, definitions);
  if (isFlattenError(f)) throw new Error(f.errors.map((e) => e.message).join('\n'));
  const outputs: string[] = [];
  const runner = await GraphRunner.start({
    graph: f.graph,
    operationConfiguration: f.configuration,
    onOutput: ({ sink, item }) => void outputs.push(`${sink} ${fromUtf8((item as MessageItem).payload)}`),
  });
  runners.push(runner);
  for (const m of messages) await runner.push(m);
  await runner.drain();
  await runner.idle();
  return { outputs, counters: runner.counters() };
}

describe('Source nodes feeding different nodes', () => {
  it('runs two arms, each from its own Source node, that meet at a concatenate', async () => {
    const merged: DataflowGraphResource = {
      ...flow,
      spec: {
        nodes: [
          source('temps', ['sensor/temperature/#']), source('humid', ['sensor/humidity/#']),
          transform('convert', 'map', { map: [{ inputs: ['v'], output: 'f', expression: 'cToF($1)' }] }),
          transform('dry', 'filter', { filter: [{ inputs: ['v'], expression: '$1 >= 50' }] }),
          transform('merge', 'concatenate'), destination('all'),
        ],
        nodeConnections: [['temps', 'convert'], ['humid', 'dry'], ['convert', 'merge'], ['dry', 'merge'], ['merge', 'all']].map(([from, to]) => ({ from: { name: from! }, to: { name: to! } })),
      },
    };
    const { outputs, counters } = await run(merged, [['convert', 'map'], ['dry', 'filter'], ['merge', 'concatenate']], [
      message('sensor/temperature/a', 0, 1), message('sensor/humidity/a', 70, 2), message('sensor/humidity/b', 20, 3),
    ]);
    // The temperature is converted (not filtered), the humidities filtered (not converted), in arrival order.
    expect(outputs).toEqual(['all {"f":32.0}', 'all {"v":20}']);
    expect(counters.get('merge/source')?.in).toBe(2);
  }, 60_000);

  it('sends each message only into the nodes its Source node feeds, once per node, and drops one no Source node reads', async () => {
    const { outputs, counters } = await run(flow, [['convert', 'map'], ['dry', 'filter'], ['every', 'map']], [
      message('sensor/temperature/a', 100, 1), message('sensor/humidity/a', 30, 2), message('sensor/humidity/b', 70, 3),
      // Matches both Source nodes (temps' `#`, humid's `+/all`): enters convert, dry and every, each once.
      message('sensor/temperature/all', 0, 4),
      message('sensor/pressure/a', 5, 5),
    ]);
    expect(outputs.filter((o) => o.startsWith('temperatures '))).toEqual(['temperatures {"f":212.0}', 'temperatures {"f":32.0}']);
    expect(outputs.filter((o) => o.startsWith('humidities '))).toEqual(['humidities {"v":30}', 'humidities {"v":0}']);
    expect(outputs.filter((o) => o.startsWith('all '))).toEqual([
      'all {"topic":"sensor/temperature/a","v":100}', 'all {"topic":"sensor/humidity/a","v":30}', 'all {"topic":"sensor/humidity/b","v":70}',
      'all {"topic":"sensor/temperature/all","v":0}',
    ]);
    expect(counters.get('temps+humid')).toEqual({ in: 5, out: 4, dropped: 1, errors: 0 });
    expect(counters.get('convert/source')?.in).toBe(2);
    expect(counters.get('dry/source')?.in).toBe(3);
    expect(counters.get('every/source')?.in).toBe(4);
  }, 60_000);
});
