/**
 * A preview of a whole DataflowGraph (`{"type":"start","dataflow":…}`): each
 * Graph node's graph and modules fetched through its registry endpoint (the
 * implicit `default`, the embedded registry with the REAL built-ins), flattened
 * into one session; a message published with mosquitto_pub to a real Mosquitto
 * flows map -> filter -> window, counted per `<node>/<op>`.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { openRegistryEndpoint, resolveRegistryEndpoint } from '@wgs/registry';
import { PreviewHub } from './preview-hub.ts';
import { hubClient } from './testing/hub-client.ts';

const exec = promisify(execFile);

const json = (v: unknown) => JSON.stringify(JSON.stringify(v));
const DATAFLOW = `
apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: chain, namespace: azure-iot-operations }
spec:
  profileRef: default
  nodes:
    - nodeType: Source
      name: sensors
      sourceSettings: { endpointRef: default, dataSources: [chain/in] }
    - nodeType: Graph
      name: convert
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration:
          - { key: rules, value: ${json({ map: [{ inputs: ['id'], output: 'deviceId' }, { inputs: ['temp'], output: 'temperature_f', expression: 'cToF($1)' }] })} }
    - nodeType: Graph
      name: hot
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-filter:1.0.0
        configuration:
          - { key: rules, value: ${json({ filter: [{ inputs: ['temperature_f'], expression: '$1 < 100' }] })} }
    - nodeType: Graph
      name: average
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-window:1.0.0
        configuration:
          - { key: delay, value: ${json({ type: 'duration', delaySeconds: 1 })} }
          - { key: rules, value: ${json({ accumulate: [{ inputs: ['temperature_f'], output: 'avg', expression: 'average($1)' }] })} }
    - nodeType: Destination
      name: out
      destinationSettings: { endpointRef: default, dataDestination: chain/out }
  nodeConnections:
    - { from: { name: sensors }, to: { name: convert } }
    - { from: { name: convert }, to: { name: hot } }
    - { from: { name: hot }, to: { name: average } }
    - { from: { name: average }, to: { name: out } }
`;

let broker: Broker;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.stop();
});

const hub = () => new PreviewHub({
  resolveBroker: async () => broker.url,
  openRegistry: (name) => openRegistryEndpoint(resolveRegistryEndpoint(name, undefined)!, async () => undefined),
  maxSessions: 2, maxConnections: 4, idleMs: 60_000, injectLimit: 64_000,
});

describe('preview of a data flow with several transforms', () => {
  it('runs map -> filter -> window in one session on the Source node\'s topic', async () => {
    const c = hubClient(hub());
    try {
      await c.send({ type: 'start', dataflow: DATAFLOW });
      const started = await c.waitFor((m) => m.type === 'started' || m.type === 'error');
      expect(started).toMatchObject({ type: 'started' });
      expect(started.type === 'started' && started.operations).toEqual([
        'sensors', 'convert/source', 'convert/map', 'convert/sink', 'hot/source', 'hot/filter', 'hot/sink',
        'average/source', 'average/window', 'average/accumulate', 'average/sink', 'out',
      ]);
      // One source timestamp for all three: they fall in one window whatever the second.
      const ts = `${Date.now()}:0:df`;
      for (const temp of [50, 60, 10]) {
        await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'chain/in', '-D', 'PUBLISH', 'user-property', '__ts', ts, '-m', JSON.stringify({ id: 'd1', temp })]);
      }
      // The window closes about a second after its end (the preview's lateness); then one message reaches the destination's sink.
      const update = await c.waitFor((m) => m.type === 'update' && (m.counters.out?.in ?? 0) >= 1, 15_000);
      if (update.type !== 'update') throw new Error('not an update');
      expect(update.counters['convert/map']).toMatchObject({ in: 3, out: 3, errors: 0 });
      expect(update.counters['hot/filter']).toMatchObject({ in: 3, out: 2, dropped: 1 });
      expect(update.counters['average/accumulate']?.in).toBe(2);
      // Samples are keyed by the composite names too: what reached the destination is the window's average of 122 °F and 140 °F.
      await c.send({ type: 'inspect', operation: 'out' });
      const inspected = await c.waitFor((m) => m.type === 'inspect');
      const samples = inspected.type === 'inspect' ? inspected.samples as { item: { data: string } }[] : [];
      expect(samples.map((x) => JSON.parse(x.item.data))).toEqual([{ avg: 131 }]);
    } finally {
      await c.connection.dispose();
    }
  });

  it('a live run writes each Destination node\'s outputs to its own topic (a branch\'s two arms)', async () => {
    const branch = `
apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: split, namespace: azure-iot-operations }
spec:
  nodes:
    - { nodeType: Source, name: sensors, sourceSettings: { endpointRef: default, dataSources: [split/in] } }
    - nodeType: Graph
      name: split
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-branch:1.0.0
        configuration: [{ key: rules, value: ${json({ branch: { inputs: ['temp'], expression: '$1 > 40' } })} }]
    - { nodeType: Destination, name: hot, destinationSettings: { endpointRef: default, dataDestination: split/hot } }
    - { nodeType: Destination, name: normal, destinationSettings: { endpointRef: default, dataDestination: split/normal } }
  nodeConnections:
    - { from: { name: sensors }, to: { name: split } }
    - { from: { name: split.output.true }, to: { name: hot } }
    - { from: { name: split.output.false }, to: { name: normal } }
`;
    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'split/+', '-F', '%t|%p']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const c = hubClient(hub());
    try {
      await new Promise((r) => setTimeout(r, 300));
      await c.send({ type: 'start', dataflow: branch, liveRun: true });
      expect(await c.waitFor((m) => m.type === 'started' || m.type === 'error')).toMatchObject({ type: 'started' });
      for (const temp of [50, 10]) await exec('mosquitto_pub', ['-p', String(broker.port), '-t', 'split/in', '-m', JSON.stringify({ temp })]);
      await c.waitFor((m) => m.type === 'update' && (m.counters.hot?.in ?? 0) + (m.counters.normal?.in ?? 0) >= 2);
      const end = Date.now() + 5000;
      while (out.trim().split('\n').filter((l) => !l.startsWith('split/in')).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(out.trim().split('\n').filter((l) => !l.startsWith('split/in')).sort()).toEqual(['split/hot|{"temp":50}', 'split/normal|{"temp":10}']);
    } finally {
      sub.kill();
      await c.connection.dispose();
    }
  });

  it('routes by topic when Source nodes feed different nodes: each node counts only its own Source node\'s messages', async () => {
    const twoSources = `
apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: two, namespace: azure-iot-operations }
spec:
  nodes:
    - { nodeType: Source, name: temps, sourceSettings: { endpointRef: default, dataSources: [two/temperature/+] } }
    - { nodeType: Source, name: humid, sourceSettings: { endpointRef: default, dataSources: [two/humidity/+] } }
    - nodeType: Graph
      name: convert
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration: [{ key: rules, value: ${json({ map: [{ inputs: ['temp'], output: 'temperature_f', expression: 'cToF($1)' }] })} }]
    - nodeType: Graph
      name: dry
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-filter:1.0.0
        configuration: [{ key: rules, value: ${json({ filter: [{ inputs: ['humidity'], expression: '$1 >= 50' }] })} }]
    - { nodeType: Destination, name: temperatures, destinationSettings: { endpointRef: default, dataDestination: two/out/t } }
    - { nodeType: Destination, name: humidities, destinationSettings: { endpointRef: default, dataDestination: two/out/h } }
  nodeConnections:
    - { from: { name: temps }, to: { name: convert } }
    - { from: { name: convert }, to: { name: temperatures } }
    - { from: { name: humid }, to: { name: dry } }
    - { from: { name: dry }, to: { name: humidities } }
`;
    const c = hubClient(hub());
    try {
      await c.send({ type: 'start', dataflow: twoSources });
      expect(await c.waitFor((m) => m.type === 'started' || m.type === 'error')).toMatchObject({ type: 'started' });
      for (const [topic, m] of [['two/temperature/a', { temp: 100 }], ['two/humidity/a', { humidity: 30 }], ['two/humidity/b', { humidity: 80 }]] as const) {
        await exec('mosquitto_pub', ['-p', String(broker.port), '-t', topic, '-m', JSON.stringify(m)]);
      }
      const update = await c.waitFor((m) => m.type === 'update' && (m.counters['temps+humid']?.in ?? 0) >= 3, 15_000);
      if (update.type !== 'update') throw new Error('not an update');
      expect(update.counters['temps+humid']).toMatchObject({ in: 3, out: 3, dropped: 0 });
      expect(update.counters['convert/map']).toMatchObject({ in: 1, out: 1 });
      expect(update.counters['dry/filter']).toMatchObject({ in: 2, out: 1, dropped: 1 });
      expect(update.counters.temperatures?.in).toBe(1);
      expect(update.counters.humidities?.in).toBe(1);
    } finally {
      await c.connection.dispose();
    }
  });

  it('refuses a data flow it cannot flatten, located, and a start with both graph and dataflow', async () => {
    const c = hubClient(hub());
    try {
      await c.send({ type: 'start', dataflow: DATAFLOW.replace('{ from: { name: hot }, to: { name: average } }', '{ from: { name: hot.nope }, to: { name: average } }') });
      const error = await c.waitFor((m) => m.type === 'error');
      expect(error).toMatchObject({ code: 'invalid-dataflow' });
      expect(error.type === 'error' && error.message).toMatch(/Graph node "hot" has no output "nope"/);
      expect(error.type === 'error' && error.where).toEqual([expect.objectContaining({ path: 'spec.nodeConnections[2].from.name' })]);
      await c.send({ type: 'start', dataflow: DATAFLOW, graph: 'x', sources: ['a'] });
      expect(await c.waitFor((m) => m.type === 'error' && m.code === 'bad-request')).toBeTruthy();
    } finally {
      await c.connection.dispose();
    }
  });
});
