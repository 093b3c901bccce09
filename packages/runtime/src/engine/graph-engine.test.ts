/**
 * The engine over REAL sample components from the embedded registry
 * (`pnpm build` puts them into .wgs/registry).
 */
import { compareHlc, formatHlc, hlcFromMillis, loadGraphDefinition, type GraphDefinition, type Hlc } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotAComponentError, prepareComponent } from '../components/component-cache.ts';
import { InitFailedError } from '../components/operator-instance.ts';
import { fromUtf8, utf8, type Item, type MessageItem } from '../data-model.ts';
import { ModuleResolutionError, LayoutModuleResolver, type ModuleResolver } from '../module-resolver.ts';
import type { PayloadPassing } from '../wit-values.ts';
import { GraphEngine, type EngineEvent } from './graph-engine.ts';
import { instantiateGraph, type GraphInstances, type LogRecord } from './graph-instance.ts';
import { GraphSession, type SessionOutput } from './session.ts';

const SAMPLES = 'azure-samples/explore-iot-operations';
const TEMPERATURE = `${SAMPLES}/temperature:1.0.0`;
const WINDOW = `${SAMPLES}/window:1.0.0`;
const ENRICHMENT = `${SAMPLES}/enrichment:1.0.0`;
const FAULTY = 'wgs-samples/faulty:1.0.0';

const resolver = new LayoutModuleResolver();

/** A graph definition from one-line operations/connections (flow YAML, as the samples write them). */
function graph(ops: string[], conns: string[], moduleConfigurations: string[] = []): GraphDefinition {
  const lines = [
    'metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: test, version: "1.0.0" }',
    'moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }',
    ...(moduleConfigurations.length ? ['moduleConfigurations:', ...moduleConfigurations.map((m) => `  - ${m}`)] : []),
    'operations:',
    ...ops.map((o) => `  - ${o}`),
    'connections:',
    ...conns.map((c) => `  - ${c}`),
  ];
  return loadGraphDefinition(lines.join('\n') + '\n');
}

const src = '{ operationType: source, name: source }';
const sink = (name = 'sink') => `{ operationType: sink, name: ${name} }`;
const op = (kind: string, name: string, module: string) => `{ operationType: ${kind}, name: ${name}, module: ${module} }`;
const edge = (from: string, to: string, arm?: 'True' | 'False') => `{ from: { name: ${from}${arm ? `, arm: "${arm}"` : ''} }, to: { name: ${to} } }`;
const chain = (...names: string[]) => names.slice(1).map((n, i) => edge(names[i]!, n));

function msg(payload: string, ms: number, o: { counter?: bigint; props?: [string, string][]; topic?: string; nodeId?: string } = {}): MessageItem {
  return {
    kind: 'message',
    timestamp: hlcFromMillis(ms, o.counter ?? 0n, o.nodeId ?? 'test-node'),
    topic: utf8(o.topic ?? 'sensors'),
    payload: utf8(payload),
    userProperties: o.props ?? [],
  };
}

const temp = (value: number, unit = 'C') => JSON.stringify({ temperature: { value, unit } });
const payloadOf = (item: Item) => (item.kind === 'message' ? fromUtf8(item.payload) : item.kind === 'snapshot' ? fromUtf8(item.frame) : fromUtf8(item.bytes));
const ms = (h: Hlc) => Number(h.secs) * 1000 + Math.floor(h.nanos / 1e6);

/** A fresh engine (fresh counters) over already started instances, recording what it does. */
function drive(g: GraphDefinition, gi: GraphInstances) {
  const outputs: { sink: string; item: Item }[] = [];
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const events: EngineEvent[] = [];
  const engine = new GraphEngine(g, gi.instances, {
    onSink: (s, item) => outputs.push({ sink: s, item }),
    onError: (e) => errors.push(e),
    observe: (e) => events.push(e),
  });
  return { engine, outputs, errors, events };
}

async function start(g: GraphDefinition, o: { configuration?: Record<string, string>; payloadPassing?: PayloadPassing; logs?: LogRecord[] } = {}) {
  return instantiateGraph({ graph: g, resolver, configuration: o.configuration, payloadPassing: o.payloadPassing, onLog: (r) => o.logs?.push(r) });
}

describe('map (temperature)', () => {
  const g = graph([src, op('map', 'module-temperature/map', TEMPERATURE), sink()], chain('source', 'module-temperature/map', 'sink'));
  let bytesGi: GraphInstances;
  let bufferGi: GraphInstances;
  beforeAll(async () => {
    bytesGi = await start(g);
    bufferGi = await start(g, { payloadPassing: 'buffer' });
  });

  const fahrenheit = '{"temperature":{"value":185,"unit":"F"}}';
  const expectedCelsius = '{"temperature":{"value":85.0,"count":0,"max":0.0,"min":0.0,"average":0.0,"last":0.0,"unit":"C","overtemp":false}}';

  it('converts °F to °C with the exact reference bytes, keeping topic and timestamp', () => {
    const { engine, outputs, errors } = drive(g, bytesGi);
    const input = msg(fahrenheit, 12_345, { counter: 3n, topic: 'factory/line1', props: [['test_property_key', 'x'], ['other', 'y']] });
    engine.ingest(input);
    expect(errors).toEqual([]);
    expect(outputs).toHaveLength(1);
    const out = outputs[0]!;
    expect(out.sink).toBe('sink');
    expect(payloadOf(out.item)).toBe(expectedCelsius);
    const m = out.item as MessageItem;
    expect(fromUtf8(m.topic)).toBe('factory/line1');
    expect(m.timestamp).toEqual(input.timestamp);
    expect(m.userProperties).toEqual([['test_property_key', 'new_value'], ['other', 'y']]);
    expect(engine.counters.get('module-temperature/map')).toEqual({ in: 1, out: 1, dropped: 0, errors: 0 });
  });

  it('leaves Celsius payload bytes unchanged', () => {
    const { engine, outputs } = drive(g, bytesGi);
    const celsius = '{ "temperature": {"value": 21.5, "unit": "C"} }';
    engine.ingest(msg(celsius, 1_000));
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([celsius]);
  });

  it("payloadPassing 'buffer' gives the same output as 'bytes'", () => {
    const a = drive(g, bytesGi);
    const b = drive(g, bufferGi);
    const inputs = [msg(fahrenheit, 1_000, { props: [['test_property_key', 'x']] }), msg(temp(-40, 'F'), 2_000), msg(temp(30), 3_000)];
    for (const i of inputs) {
      a.engine.ingest(i);
      b.engine.ingest(i);
    }
    expect(b.outputs).toHaveLength(3);
    expect(b.outputs).toEqual(a.outputs);
    expect(payloadOf(b.outputs[0]!.item)).toBe(expectedCelsius);
    expect(payloadOf(b.outputs[1]!.item)).toContain('"value":-40.0');
  });

  it('an operator err (bad JSON) drops only that message and counts an error', () => {
    const { engine, outputs, errors } = drive(g, bytesGi);
    engine.ingest(msg('not json', 1_000));
    engine.ingest(msg(fahrenheit, 2_000));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operation: 'module-temperature/map', trap: false, message: 'Failed to parse payload as JSON' });
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([expectedCelsius]);
    expect(engine.counters.get('module-temperature/map')).toEqual({ in: 2, out: 1, dropped: 0, errors: 1 });
    expect(engine.counters.get('sink')).toEqual({ in: 1, out: 1, dropped: 0, errors: 0 });
  });

  it('counts the operator\'s "requests" metric with the host-added operation label', () => {
    const gi = bytesGi;
    const labels = { operation: 'module-temperature/map', module: 'module-temperature/map' };
    const beforeF = gi.metrics.counterValue('requests', { ...labels, unit: 'Fahrenheit' });
    const beforeC = gi.metrics.counterValue('requests', { ...labels, unit: 'Celsius' });
    const { engine } = drive(g, gi);
    engine.ingest(msg(fahrenheit, 1_000));
    engine.ingest(msg(fahrenheit, 1_001));
    engine.ingest(msg(temp(20), 1_002));
    expect(gi.metrics.counterValue('requests', { ...labels, unit: 'Fahrenheit' }) - beforeF).toBe(2);
    expect(gi.metrics.counterValue('requests', { ...labels, unit: 'Celsius' }) - beforeC).toBe(1);
    expect(gi.metrics.toPrometheus()).toMatch(/^wgs_operator_requests_total\{operation="module-temperature\/map",module="module-temperature\/map",unit="Fahrenheit"\} \d+$/m);
  });
});

describe('filter (temperature) with configured bounds', () => {
  // The operator reads the parameters-map key; the inner `name` is what a configuration supplies.
  const g = graph(
    [src, op('filter', 'low', TEMPERATURE), op('filter', 'high', TEMPERATURE), sink()],
    chain('source', 'low', 'high', 'sink'),
    [
      '{ name: low, parameters: { temperature_lower_bound: { name: low_lower, default: "-40" }, temperature_upper_bound: { name: low_upper, default: "3422" } } }',
      '{ name: high, parameters: { temperature_lower_bound: { name: high_lower, default: "50" } } }',
    ],
  );
  const single = graph([src, op('filter', 'low', TEMPERATURE), sink()], chain('source', 'low', 'sink'));
  let gi: GraphInstances;
  beforeAll(async () => {
    // low: 0 < t < 100 (supplied, overriding the defaults); high: 50 < t < 3422 (its default, module default upper).
    gi = await instantiateGraph({ graph: g, resolver, configuration: { low_lower: '0', low_upper: '100' } });
  });

  it('keeps Celsius values strictly inside the bounds and drops the rest', () => {
    const { engine, outputs, events } = drive(single, gi);
    const inputs = [temp(50), temp(0), temp(100), temp(-5), temp(150), temp(99.9), temp(50, 'F'), '{"humidity":{"value":40}}'];
    inputs.forEach((p, i) => engine.ingest(msg(p, 1_000 + i)));
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([temp(50), temp(99.9)]);
    expect(engine.counters.get('low')).toEqual({ in: 8, out: 2, dropped: 6, errors: 0 });
    const drops = events.filter((e) => e.type === 'drop');
    expect(drops).toHaveLength(6);
    expect(drops[0]).toMatchObject({ operation: 'low', reason: 'filtered out' });
  });

  it('each operation keeps its own bounds although both use the same module', () => {
    const { engine, outputs } = drive(g, gi);
    for (const [i, v] of [40, 60, 150, 99].entries()) engine.ingest(msg(temp(v), 1_000 + i));
    // 40: passes low (0..100), dropped by high (50..3422); 150: dropped by low.
    expect(outputs.map((o) => JSON.parse(payloadOf(o.item)).temperature.value)).toEqual([60, 99]);
    expect(engine.counters.get('low')).toMatchObject({ in: 4, out: 3, dropped: 1 });
    expect(engine.counters.get('high')).toMatchObject({ in: 3, out: 2, dropped: 1 });
  });
});

describe('branch (temperature) and concatenate', () => {
  const g = graph(
    [src, op('branch', 'b', TEMPERATURE), sink('temperatures'), sink('others')],
    [edge('source', 'b'), edge('b', 'temperatures', 'True'), edge('b', 'others', 'False')],
  );
  const merged = graph(
    [src, op('branch', 'b', TEMPERATURE), op('map', 'convert', TEMPERATURE), op('map', 'pass', FAULTY), '{ operationType: concatenate, name: concat }', sink()],
    [edge('source', 'b'), edge('b', 'convert', 'True'), edge('b', 'pass', 'False'), edge('convert', 'concat'), edge('pass', 'concat'), edge('concat', 'sink')],
  );
  let gi: GraphInstances;
  let mergedGi: GraphInstances;
  beforeAll(async () => {
    gi = await start(g);
    mergedGi = await start(merged);
  });

  it('routes temperature readings to arm True and everything else to arm False', () => {
    const { engine, outputs, events } = drive(g, gi);
    engine.ingest(msg(temp(20), 1_000));
    engine.ingest(msg('{"humidity":{"value":40}}', 2_000));
    engine.ingest(msg('{"object":{"result":"cat"}}', 3_000));
    engine.ingest(msg(temp(70, 'F'), 4_000));
    expect(outputs.map((o) => [o.sink, payloadOf(o.item)])).toEqual([
      ['temperatures', temp(20)],
      ['others', '{"humidity":{"value":40}}'],
      ['others', '{"object":{"result":"cat"}}'],
      ['temperatures', temp(70, 'F')],
    ]);
    const arms = events.filter((e) => e.type === 'out' && e.operation === 'b').map((e) => (e as { arm?: string }).arm);
    expect(arms).toEqual(['True', 'False', 'False', 'True']);
    expect(engine.counters.get('b')).toEqual({ in: 4, out: 4, dropped: 0, errors: 0 });
  });

  it('an unparsable payload is an error on the branch, not a route', () => {
    const { engine, outputs, errors } = drive(g, gi);
    engine.ingest(msg('{{', 1_000));
    expect(outputs).toEqual([]);
    expect(errors).toMatchObject([{ operation: 'b', trap: false }]);
    expect(engine.counters.get('b')).toEqual({ in: 1, out: 0, dropped: 0, errors: 1 });
  });

  it('concatenate merges both arms into one stream without changing items', () => {
    const { engine, outputs } = drive(merged, mergedGi);
    engine.ingest(msg(temp(212, 'F'), 1_000));
    engine.ingest(msg('{"humidity":{"value":40}}', 2_000));
    expect(outputs.map((o) => [o.sink, payloadOf(o.item)])).toEqual([
      ['sink', '{"temperature":{"value":100.0,"count":0,"max":0.0,"min":0.0,"average":0.0,"last":0.0,"unit":"C","overtemp":false}}'],
      ['sink', '{"humidity":{"value":40}}'],
    ]);
    expect(outputs.map((o) => ms(o.item.timestamp))).toEqual([1_000, 2_000]);
    expect(engine.counters.get('concat')).toEqual({ in: 2, out: 2, dropped: 0, errors: 0 });
  });
});

describe('delay (window) and accumulate', () => {
  const delayOnly = graph([src, op('delay', 'window', WINDOW), sink()], chain('source', 'window', 'sink'));
  const windowed = graph(
    [src, op('delay', 'window', WINDOW), op('accumulate', 'acc', TEMPERATURE), sink()],
    chain('source', 'window', 'acc', 'sink'),
  );
  let delayGi: GraphInstances;
  let windowedGi: GraphInstances;
  beforeAll(async () => {
    delayGi = await start(delayOnly);
    windowedGi = await start(windowed);
  });

  const aggregate = (count: number, max: number, min: number, average: number, last: number) =>
    `{"temperature":{"count":${count},"max":${max},"min":${min},"average":${average},"last":${last},"unit":"C"}}`;

  it('re-timestamps to the next 10 s boundary (counter 0, node id kept), inside the message too', () => {
    const { engine, outputs } = drive(delayOnly, delayGi);
    engine.ingest({ ...msg(temp(1), 0), timestamp: { secs: 12n, nanos: 345_678_900, counter: 7n, nodeId: 'n1' } });
    engine.ingest(msg(temp(2), 30_000, { counter: 2n, nodeId: 'n2' }));
    engine.ingest(msg(temp(3), 30_001, { nodeId: 'n3' }));
    expect(outputs.map((o) => o.item.timestamp)).toEqual([
      { secs: 20n, nanos: 0, counter: 0n, nodeId: 'n1' },
      { secs: 30n, nanos: 0, counter: 0n, nodeId: 'n2' }, // on a boundary: unchanged time
      { secs: 40n, nanos: 0, counter: 0n, nodeId: 'n3' },
    ]);
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([temp(1), temp(2), temp(3)]);
  });

  it('emits one aggregate per window, only after the frontier passed it', () => {
    const { engine, outputs } = drive(windowed, windowedGi);
    engine.ingest(msg(temp(10), 12_300));
    engine.ingest(msg(temp(20), 15_000));
    expect(outputs).toEqual([]);
    expect(engine.openItems).toBe(2);
    engine.ingest(msg(temp(30), 25_000));
    expect(outputs).toHaveLength(1);
    expect(payloadOf(outputs[0]!.item)).toBe(aggregate(2, 20, 10, 15, 20));
    expect(ms(outputs[0]!.item.timestamp)).toBe(20_000);
    expect(engine.openItems).toBe(1);
    expect(engine.counters.get('acc')).toEqual({ in: 3, out: 1, dropped: 0, errors: 0 });
  });

  it('advance(undefined) closes every open window: two windows give two outputs in timestamp order', () => {
    const { engine, outputs } = drive(windowed, windowedGi);
    engine.ingest(msg(temp(10), 12_300));
    engine.ingest(msg(temp(20), 15_000));
    engine.ingest(msg(temp(30), 25_000));
    engine.ingest(msg(temp(40), 27_000));
    engine.advance(undefined);
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([aggregate(2, 20, 10, 15, 20), aggregate(2, 40, 30, 35, 40)]);
    expect(outputs.map((o) => ms(o.item.timestamp))).toEqual([20_000, 30_000]);
    expect(engine.openItems).toBe(0);
  });

  it('closes due epochs in timestamp order, not in arrival order', () => {
    const { engine, outputs } = drive(windowed, windowedGi);
    // Straight into the accumulate (no frontier movement): the later epoch opens first.
    engine.inject('acc', msg(temp(5), 30_000));
    engine.inject('acc', msg(temp(7), 20_000));
    expect(outputs).toEqual([]);
    engine.advance(undefined);
    expect(outputs.map((o) => ms(o.item.timestamp))).toEqual([20_000, 30_000]);
    expect(outputs.map((o) => JSON.parse(payloadOf(o.item)).temperature.last)).toEqual([7, 5]);
  });

  it('advance(frontier) closes only epochs older than the frontier and never moves it back', () => {
    const { engine, outputs } = drive(windowed, windowedGi);
    engine.ingest(msg(temp(1), 12_000));
    engine.ingest(msg(temp(2), 15_000));
    engine.advance(hlcFromMillis(20_000)); // epoch 20 s is not older than 20 s
    expect(outputs).toHaveLength(0);
    engine.advance(hlcFromMillis(20_001));
    expect(outputs).toHaveLength(1);
    expect(JSON.parse(payloadOf(outputs[0]!.item)).temperature.count).toBe(2);
    engine.inject('acc', msg(temp(3), 30_000));
    engine.advance(hlcFromMillis(5_000)); // behind the frontier: ignored
    engine.advance(hlcFromMillis(30_000));
    engine.advance(hlcFromMillis(30_000, 5n)); // same instant, higher counter: not past the epoch yet
    expect(outputs).toHaveLength(1);
    engine.advance(hlcFromMillis(30_001));
    expect(outputs.map((o) => ms(o.item.timestamp))).toEqual([20_000, 30_000]);
  });

  it('items exactly on a window boundary with rising counters still form one window', () => {
    // The window delay resets counters to 0, so the frontier's counter must not close the epoch.
    const { engine, outputs } = drive(windowed, windowedGi);
    for (const counter of [0n, 1n, 2n, 3n]) engine.ingest(msg(temp(Number(counter)), 20_000, { counter }));
    expect(outputs).toEqual([]);
    engine.ingest(msg(temp(9), 20_001));
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([aggregate(4, 3, 0, 1.5, 3)]);
    engine.advance(undefined);
    expect(outputs.map((o) => ms(o.item.timestamp))).toEqual([20_000, 30_000]);
  });

  it('counts every item of an epoch larger than the fold batch (300 items)', () => {
    const { engine, outputs, errors } = drive(windowed, windowedGi);
    for (let i = 1; i <= 300; i++) engine.ingest(msg(temp(i), 11_000 + i));
    // 256 items were folded into one staged value; 44 wait.
    expect(engine.openItems).toBe(45);
    expect(outputs).toEqual([]);
    engine.advance(undefined);
    expect(errors).toEqual([]);
    expect(outputs).toHaveLength(1);
    expect(payloadOf(outputs[0]!.item)).toBe(aggregate(300, 300, 1, 150.5, 300));
    expect(engine.counters.get('acc')).toEqual({ in: 300, out: 1, dropped: 0, errors: 0 });
  });

  it('a failing fold drops that epoch and reports the error, later epochs still work', () => {
    const { engine, outputs, errors } = drive(windowed, windowedGi);
    engine.ingest(msg(temp(1), 11_000));
    engine.ingest(msg('{"humidity":{"value":3}}', 12_000)); // not a temperature: the accumulate errs
    engine.ingest(msg(temp(5), 21_000));
    engine.advance(undefined);
    expect(errors).toMatchObject([{ operation: 'acc', trap: false, message: 'Unexpected measurement type.' }]);
    expect(outputs.map((o) => payloadOf(o.item))).toEqual([aggregate(1, 5, 5, 5, 5)]);
    expect(engine.counters.get('acc')).toMatchObject({ in: 3, out: 1, errors: 1 });
  });
});

describe('failure isolation (faulty)', () => {
  const g = graph([src, op('map', 'faulty', FAULTY), sink()], chain('source', 'faulty', 'sink'));
  const withConfig = graph([src, op('map', 'faulty', FAULTY), sink()], chain('source', 'faulty', 'sink'), [
    '{ name: faulty, parameters: { fail_init: { name: fail_init, default: "false" }, greeting: { name: greeting, default: hello } } }',
  ]);

  it('an err result drops only that message, counts an error, and the next message passes', async () => {
    const gi = await start(g);
    const { engine, outputs, errors } = drive(g, gi);
    engine.ingest(msg('error', 1_000));
    engine.ingest(msg('fine', 2_000));
    expect(errors).toEqual([expect.objectContaining({ type: 'error', operation: 'faulty', trap: false, message: 'faulty: requested error' })]);
    expect(errors[0]!.item && payloadOf(errors[0]!.item)).toBe('error');
    expect(outputs.map((o) => payloadOf(o.item))).toEqual(['fine']);
    expect(engine.counters.get('faulty')).toEqual({ in: 2, out: 1, dropped: 0, errors: 1 });
    expect(gi.instances.get('faulty')!.needsRestart).toBe(false);
  });

  it('a trap is reported as trap=true and poisons the instance until it is restarted', async () => {
    const gi = await start(g);
    const { engine, outputs, errors } = drive(g, gi);
    engine.ingest(msg('trap', 1_000));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operation: 'faulty', trap: true });
    expect(errors[0]!.message).toMatch(/unreachable/);
    expect(gi.instances.get('faulty')!.needsRestart).toBe(true);
    // Without healing, the engine refuses to call the poisoned instance.
    engine.ingest(msg('after', 2_000));
    expect(outputs).toEqual([]);
    expect(errors[1]).toMatchObject({ trap: true, message: expect.stringMatching(/not running/) });
    await gi.instances.get('faulty')!.start();
    engine.ingest(msg('healed', 3_000));
    expect(outputs.map((o) => payloadOf(o.item))).toEqual(['healed']);
  });

  it('GraphSession heals a trapped instance so the following message passes', async () => {
    const outputs: SessionOutput[] = [];
    const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
    const session = await GraphSession.start({ graph: g, resolver }, { onOutput: (o) => outputs.push(o), onError: (e) => errors.push(e), onLog: () => {} });
    const m = (p: string): ConnectorMessage => ({ topic: 'sensors', payload: utf8(p), userProperties: [] });
    await session.ingest(m('one'));
    await session.ingest(m('trap'));
    await session.ingest(m('two'));
    await session.ingest(m('trap'));
    await session.ingest(m('three'));
    expect(outputs.map((o) => payloadOf(o.item))).toEqual(['one', 'two', 'three']);
    expect(errors.map((e) => e.trap)).toEqual([true, true]);
    expect(session.counters.get('faulty')).toEqual({ in: 5, out: 3, dropped: 0, errors: 2 });
  });

  it('init returning false fails instantiateGraph with an InitFailedError naming the operation', async () => {
    const err = await instantiateGraph({ graph: withConfig, resolver, configuration: { fail_init: 'true' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect((err as InitFailedError).operation).toBe('faulty');
    expect((err as Error).message).toBe('operator "faulty" failed to start: init returned false (check its configuration)');
    // The same graph starts with fail_init=false.
    await expect(instantiateGraph({ graph: withConfig, resolver, configuration: { fail_init: 'false' } })).resolves.toBeDefined();
  });

  it('logger calls reach onLog with the operation name', async () => {
    const logs: LogRecord[] = [];
    await start(withConfig, { logs, configuration: { greeting: 'hi there' } });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', operation: 'faulty', context: 'module-faulty/map', message: 'configuration greeting=hi there' }));
    expect(logs).toContainEqual(expect.objectContaining({ operation: 'faulty', message: 'configuration fail_init=false' }));
    expect(logs.every((l) => typeof l.time === 'number' && l.time > 0)).toBe(true);
  });
});

describe('instantiation errors', () => {
  it('a module that does not export the operation kind fails with a clear error', async () => {
    const g = graph([src, op('delay', 'wrong', TEMPERATURE), sink()], chain('source', 'wrong', 'sink'));
    const err = await start(g).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect((err as InitFailedError).operation).toBe('wrong');
    expect((err as Error).message).toBe(
      `operator "wrong" failed to start: module ${TEMPERATURE} does not export a delay operator (it exports map, filter, branch, accumulate)`,
    );
  });

  it('a missing required parameter fails before any module is loaded', async () => {
    const g = graph([src, op('filter', 'f', TEMPERATURE), sink()], chain('source', 'f', 'sink'), [
      '{ name: f, parameters: { temperature_lower_bound: { name: temperature_lower_bound, required: true } } }',
    ]);
    const resolved: string[] = [];
    const spy: ModuleResolver = { resolve: (m) => (resolved.push(m), resolver.resolve(m)) };
    const err = await instantiateGraph({ graph: g, resolver: spy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect((err as Error).message).toBe('operator "f" failed to start: required parameter(s) missing: temperature_lower_bound');
    expect(resolved).toEqual([]);
    // Supplied: it starts.
    await expect(instantiateGraph({ graph: g, resolver: spy, configuration: { temperature_lower_bound: '0' } })).resolves.toBeDefined();
  });

  it('a module missing from the registry fails with a ModuleResolutionError', async () => {
    const g = graph([src, op('map', 'm', `${SAMPLES}/no-such-module:1.0.0`), sink()], chain('source', 'm', 'sink'));
    const err = await start(g).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleResolutionError);
    expect((err as ModuleResolutionError).module).toBe(`${SAMPLES}/no-such-module:1.0.0`);
  });

  it('a core wasm module is rejected as NotAComponentError by prepareComponent', async () => {
    const core = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const err = await prepareComponent(core, 'module "core.wasm"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAComponentError);
    expect((err as Error).message).toMatch(/^module "core\.wasm" is a core WebAssembly module, not a component/);
  });

  it('non-wasm bytes are rejected as NotAComponentError by prepareComponent', async () => {
    const err = await prepareComponent(utf8('#!/bin/sh\necho hi\n'), 'module "script"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAComponentError);
    expect((err as Error).message).toBe('module "script" is not WebAssembly (18 bytes)');
    await expect(prepareComponent(new Uint8Array(), 'empty')).rejects.toBeInstanceOf(NotAComponentError);
  });

  it('instantiateGraph surfaces NotAComponentError for a module that is not a component', async () => {
    const g = graph([src, op('map', 'm', 'local/core:1.0.0'), sink()], chain('source', 'm', 'sink'));
    const coreResolver: ModuleResolver = { resolve: async () => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]) };
    const err = await instantiateGraph({ graph: g, resolver: coreResolver }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAComponentError);
    expect((err as Error).message).toContain('module "local/core:1.0.0"');
  });

  it('a real component is accepted and reports its operator exports', async () => {
    const c = await prepareComponent(await resolver.resolve(TEMPERATURE));
    expect(c.exportedKinds).toEqual(['map', 'filter', 'branch', 'accumulate']);
    expect(c.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('enrichment and the state store', () => {
  const g = graph([src, op('map', 'enrich', ENRICHMENT), sink()], chain('source', 'enrich', 'sink'));
  const sensorData = (t: { max: number; min: number }, h?: { max: number; min: number }) =>
    JSON.stringify({
      sensor_data: {
        temperature: [{ value: t.max, count: 1, max: t.max, min: t.min, average: t.max, last: t.max, unit: 'C' }],
        humidity: h ? [{ count: 1, max: h.max, min: h.min, average: h.max, last: h.max }] : [],
        object: [{ result: 'cat' }],
      },
    });
  const state = (gi: GraphInstances) => Object.fromEntries(gi.stateStore.snapshot());

  it('writes overtemp / overtemp_count and wet_flag, visible in stateStore.snapshot()', async () => {
    const gi = await start(g);
    const { engine, outputs, errors, events } = drive(g, gi);
    engine.ingest(msg(sensorData({ max: 150, min: 150 }, { max: 90, min: 90 }), 1_000, { topic: 'in', props: [['k', 'v']] }));
    expect(errors).toEqual([]);
    expect(state(gi)).toEqual({ overtemp: 'true', overtemp_count: '1', wet_flag: '90' });
    const out = outputs[0]!.item as MessageItem;
    expect(fromUtf8(out.topic)).toBe('sensors');
    expect(out.userProperties).toEqual([['k', 'v']]);
    expect(payloadOf(out)).toBe(
      '{"temperature":[{"count":1,"max":150.0,"min":150.0,"average":150.0,"last":150.0,"unit":"C","overtemp":true}],' +
        '"humidity":[{"count":1,"max":90.0,"min":90.0,"average":90.0,"last":90.0}],"object":[{"result":"cat"}]}',
    );

    // Second over-temperature: the count goes up under the (fenced) lock, and the lock is released.
    engine.ingest(msg(sensorData({ max: 120, min: 101 }), 2_000));
    expect(state(gi)).toMatchObject({ overtemp: 'true', overtemp_count: '2' });
    expect(state(gi)).not.toHaveProperty('lock');

    // A middle reading keeps the stored flag; a negative one clears it; dry humidity deletes wet_flag.
    engine.ingest(msg(sensorData({ max: 50, min: 10 }), 3_000));
    expect(JSON.parse(payloadOf(outputs[2]!.item)).temperature[0].overtemp).toBe(true);
    engine.ingest(msg(sensorData({ max: 20, min: -5 }, { max: 50, min: 50 }), 4_000));
    expect(JSON.parse(payloadOf(outputs[3]!.item)).temperature[0].overtemp).toBe(false);
    expect(state(gi)).toEqual({ overtemp: 'false', overtemp_count: '2' });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('a GraphSession state seed is what the operator reads', async () => {
    const outputs: SessionOutput[] = [];
    const session = await GraphSession.start(
      { graph: g, resolver, stateSeed: [['overtemp', 'true'], ['factoryId', 'factoryA']] },
      { onOutput: (o) => outputs.push(o), onError: () => {}, onLog: () => {} },
    );
    expect(Object.fromEntries(session.stateStore.snapshot())).toEqual({ overtemp: 'true', factoryId: 'factoryA' });
    await session.ingest({ topic: 'sensors', payload: utf8(sensorData({ max: 50, min: 10 })), userProperties: [] });
    expect(JSON.parse(payloadOf(outputs[0]!.item)).temperature[0].overtemp).toBe(true);
  });
});

describe('GraphSession timing', () => {
  const windowed = graph(
    [src, op('delay', 'window', WINDOW), op('accumulate', 'acc', TEMPERATURE), sink()],
    chain('source', 'window', 'acc', 'sink'),
  );
  const m = (value: number, tsMs: number): ConnectorMessage => ({
    topic: 'sensors',
    payload: utf8(temp(value)),
    userProperties: [['__ts', formatHlc(hlcFromMillis(tsMs, 0n, 'pub'))]],
  });

  it('takes item timestamps from __ts, and tick() closes windows older than now - lateness', async () => {
    const outputs: SessionOutput[] = [];
    const session = await GraphSession.start(
      { graph: windowed, resolver, latenessMs: 1_000 },
      { onOutput: (o) => outputs.push(o), onError: () => {}, onLog: () => {} },
    );
    await session.ingest(m(10, 12_300));
    await session.ingest(m(20, 15_000));
    await session.tick(20_500); // frontier 19.5 s: window 20 s still open
    expect(outputs).toHaveLength(0);
    expect(session.openItems).toBe(2);
    await session.tick(21_001); // frontier 20.001 s
    expect(outputs).toHaveLength(1);
    expect(JSON.parse(payloadOf(outputs[0]!.item)).temperature).toMatchObject({ count: 2, last: 20 });
    expect(compareHlc(outputs[0]!.item.timestamp, hlcFromMillis(20_000, 0n, 'pub'))).toBe(0);
  });

  it('without lateness, tick() does nothing and drain() closes everything', async () => {
    const outputs: SessionOutput[] = [];
    const session = await GraphSession.start({ graph: windowed, resolver }, { onOutput: (o) => outputs.push(o), onError: () => {}, onLog: () => {} });
    await session.ingest(m(10, 12_300));
    await session.tick(1e13);
    expect(outputs).toHaveLength(0);
    await session.drain();
    expect(outputs).toHaveLength(1);
    expect(session.openItems).toBe(0);
  });
});
