/**
 * Data flows with several Graph nodes, flattened into one composite graph
 * (graph-model flattenDataflow) and run by the real GraphRunner on the REAL
 * built-in components (`pnpm build` first). Each result is compared with
 * running the nodes' graphs one after another, the output of one being the
 * input of the next.
 */
import {
  flattenDataflow, formatHlc, hlcFromMillis, isFlattenError, loadGraphDefinition,
  type DataflowGraphResource, type FlattenedDataflow, type GraphDefinition,
} from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { embeddedRegistry, pullArtifact } from '@wgs/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type Item, type MessageItem } from '../data-model.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import { GraphRunner } from '../worker/graph-runner.ts';
import { GraphEngine } from './graph-engine.ts';
import { instantiateGraph } from './graph-instance.ts';
import { sourceItem } from './messages.ts';
import { HybridClock } from '@wgs/graph-model';

async function builtin(kind: string): Promise<GraphDefinition> {
  const pulled = await pullArtifact(embeddedRegistry(), `azureiotoperations/graph-dataflow-${kind}`, '1.0.0', { expect: 'graph' });
  return loadGraphDefinition(new TextDecoder().decode(pulled.content));
}

type Rules = Record<string, unknown>;
interface Transform { name: string; kind: string; configuration: Rules }

function resource(transforms: Transform[], destinations: string[], connections: [string, string][]): DataflowGraphResource {
  return {
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name: 'chain' },
    spec: {
      nodes: [
        { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/in'] } },
        ...transforms.map((t) => ({
          nodeType: 'Graph' as const,
          name: t.name,
          graphSettings: {
            registryEndpointRef: 'default',
            artifact: `azureiotoperations/graph-dataflow-${t.kind}:1.0.0`,
            configuration: Object.entries(t.configuration).map(([key, v]) => ({ key, value: JSON.stringify(v) })),
          },
        })),
        ...destinations.map((d) => ({ nodeType: 'Destination' as const, name: d, destinationSettings: { endpointRef: 'default', dataDestination: `sensor/${d}` } })),
      ],
      nodeConnections: connections.map(([from, to]) => ({ from: { name: from }, to: { name: to } })),
    },
  };
}

async function flatten(r: DataflowGraphResource, transforms: Transform[]): Promise<FlattenedDataflow> {
  const definitions = new Map(await Promise.all(transforms.map(async (t) => [t.name, await builtin(t.kind)] as const)));
  const f = flattenDataflow(r, definitions);
  if (isFlattenError(f)) throw new Error(f.errors.map((e) => e.message).join('\n'));
  return f;
}

const message = (payload: object, ms: number): ConnectorMessage => ({
  topic: 'sensor/in',
  payload: utf8(JSON.stringify(payload)),
  userProperties: [['__ts', formatHlc(hlcFromMillis(ms, 0n, 'test'))]],
});

const runners: GraphRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

/** The composite graph in a real worker: what reached each destination sink, in order. */
async function runFlattened(f: FlattenedDataflow, messages: ConnectorMessage[]) {
  const outputs: { sink: string; payload: string }[] = [];
  const runner = await GraphRunner.start({
    graph: f.graph,
    operationConfiguration: f.configuration,
    onOutput: ({ sink, item }) => void outputs.push({ sink, payload: fromUtf8((item as MessageItem).payload) }),
  });
  runners.push(runner);
  for (const m of messages) await runner.push(m);
  await runner.drain();
  await runner.idle();
  return { outputs, counters: runner.counters() };
}

/** One built-in graph on its own, in process: the items in, what each of its sinks gave out. */
async function runAlone(kind: string, configuration: Rules, items: Item[]): Promise<{ sink: string; item: Item }[]> {
  const graph = await builtin(kind);
  const values = Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, JSON.stringify(v)]));
  const gi = await instantiateGraph({ graph, resolver: new LayoutModuleResolver(), configuration: values });
  const out: { sink: string; item: Item }[] = [];
  const engine = new GraphEngine(graph, gi.instances, { onSink: (sink, item) => out.push({ sink, item }) });
  for (const i of items) engine.ingest(i);
  engine.advance();
  return out;
}

const payloads = (out: { item: Item }[]) => out.map((o) => fromUtf8((o.item as MessageItem).payload));

const convert: Transform = { name: 'convert', kind: 'map', configuration: { rules: { map: [{ inputs: ['id'], output: 'deviceId' }, { inputs: ['temp'], output: 'temperature_f', expression: 'cToF($1)' }] } } };
const hot: Transform = { name: 'hot', kind: 'filter', configuration: { rules: { filter: [{ inputs: ['temperature_f'], expression: '$1 < 100' }] } } }; // true = dropped (reference: a filter drops what matches)
const average: Transform = {
  name: 'average', kind: 'window',
  configuration: { delay: { type: 'duration', delaySeconds: 10 }, rules: { accumulate: [{ inputs: ['temperature_f'], output: 'avg', expression: 'average($1)' }, { inputs: ['temperature_f'], output: 'n', expression: 'count($1)' }] } },
};
const readings = [message({ id: 'a', temp: 20 }, 1_000), message({ id: 'a', temp: 50 }, 2_000), message({ id: 'b', temp: 60 }, 3_000), message({ id: 'b', temp: 70 }, 12_000)];

describe('a data flow of several built-in transforms, flattened', () => {
  it('map (rename + cToF) -> filter -> window equals the three graphs run one after another', async () => {
    const transforms = [convert, hot, average];
    const f = await flatten(resource(transforms, ['out'], [['sensors', 'convert'], ['convert', 'hot'], ['hot', 'average'], ['average', 'out']]), transforms);
    const { outputs, counters } = await runFlattened(f, readings);

    const clock = new HybridClock('test');
    let items: Item[] = readings.map((m) => sourceItem(m, clock));
    for (const t of transforms) items = (await runAlone(t.kind, t.configuration, items)).map((o) => o.item);
    expect(outputs.map((o) => o.payload)).toEqual(payloads(items.map((item) => ({ item }))));
    expect(outputs.map((o) => JSON.parse(o.payload))).toEqual([{ avg: 131, n: 2 }, { avg: 158, n: 1 }]);
    expect(new Set(outputs.map((o) => o.sink))).toEqual(new Set(['out']));
    // Counters per composite operation: what entered each node and what its operator dropped.
    expect(counters.get('convert/source')?.in).toBe(4);
    expect(counters.get('hot/filter')?.dropped).toBe(1);
    expect(counters.get('average/sink')?.out).toBe(2);
  });

  it('a branch sends output.true through a map to one destination and output.false to another', async () => {
    const split: Transform = { name: 'split', kind: 'branch', configuration: { rules: { branch: { inputs: ['temp'], expression: '$1 > 40' } } } };
    const alert: Transform = { name: 'alert', kind: 'map', configuration: { rules: { map: [{ inputs: ['*'], output: '*' }, { inputs: [], output: 'alert', expression: 'true' }] } } };
    const transforms = [split, alert];
    const f = await flatten(resource(transforms, ['alerts', 'normal'], [['sensors', 'split'], ['split.output.true', 'alert'], ['alert', 'alerts'], ['split.output.false', 'normal']]), transforms);
    const { outputs } = await runFlattened(f, readings);

    const clock = new HybridClock('test');
    const branched = await runAlone('branch', split.configuration, readings.map((m) => sourceItem(m, clock)));
    const alerts = await runAlone('map', alert.configuration, branched.filter((o) => o.sink === 'output.true').map((o) => o.item));
    expect(outputs.filter((o) => o.sink === 'alerts').map((o) => o.payload)).toEqual(payloads(alerts));
    expect(outputs.filter((o) => o.sink === 'normal').map((o) => o.payload)).toEqual(payloads(branched.filter((o) => o.sink === 'output.false')));
    expect(outputs.filter((o) => o.sink === 'alerts').map((o) => JSON.parse(o.payload).temp)).toEqual([50, 60, 70]);
    expect(outputs.filter((o) => o.sink === 'alerts').every((o) => JSON.parse(o.payload).alert === true)).toBe(true);
    expect(outputs.filter((o) => o.sink === 'normal').map((o) => JSON.parse(o.payload))).toEqual([{ id: 'a', temp: 20 }]);
  });
});

describe('a connection schema in a data flow', () => {
  it("a filter with validateSchema validates against its incoming connection's schemaRef (map -> filter)", async () => {
    const check: Transform = { name: 'check', kind: 'filter', configuration: { rules: { validateSchema: true, filter: [] } } };
    const transforms = [convert, check];
    const r = resource(transforms, ['out'], [['sensors', 'convert'], ['convert', 'check'], ['check', 'out']]);
    r.spec.nodeConnections[1]!.from.schema = { schemaRef: 'aio-sr://factory/converted:1', serializationFormat: 'Json' };
    const f = await flatten(r, transforms);
    const outputs: string[] = [];
    const runner = await GraphRunner.start({
      graph: f.graph,
      operationConfiguration: f.configuration,
      schemas: [{ name: 'converted', namespace: 'factory', version: '1', format: 'json', content: '{"required":["deviceId","temperature_f"]}' }],
      onOutput: ({ item }) => void outputs.push(fromUtf8((item as MessageItem).payload)),
    });
    runners.push(runner);
    for (const m of [message({ id: 'a', temp: 20 }, 1_000), message({ temp: 30 }, 2_000)]) await runner.push(m);
    await runner.drain();
    await runner.idle();
    expect(outputs).toEqual(['{"deviceId":"a","temperature_f":68.0}']); // the second has no id, so no deviceId: dropped
  });
});
