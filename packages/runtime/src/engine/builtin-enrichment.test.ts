/**
 * Enrichment datasets (reference aio-builtin-transforms.md §1.3 `Dataset`,
 * §2.1 `$context(<alias>).<path>`, §2.7) in the REAL map, filter and branch
 * components (`pnpm build` first), over the runtime's state store.
 */
import { HybridClock, hlcFromMillis, loadGraphDefinition, type GraphDefinition } from '@wgs/graph-model';
import { embeddedRegistry, pullArtifact } from '@wgs/registry';
import { describe, expect, it } from 'vitest';
import { InitFailedError } from '../components/operator-instance.ts';
import { fromUtf8, utf8, type MessageItem } from '../data-model.ts';
import { StateStore } from '../host/state-store.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import { GraphEngine, type EngineEvent } from './graph-engine.ts';
import { instantiateGraph, type LogRecord } from './graph-instance.ts';

const resolver = new LayoutModuleResolver();

async function graphOf(kind: string): Promise<GraphDefinition> {
  const pulled = await pullArtifact(embeddedRegistry(), `azureiotoperations/graph-dataflow-${kind}`, '1.0.0', { expect: 'graph' });
  return loadGraphDefinition(new TextDecoder().decode(pulled.content));
}

/** A state store that fails every read (an unreachable store). */
class UnreachableStore extends StateStore {
  override get(): never {
    throw { tag: 'timeout' };
  }
}

interface Setup {
  seed?: Record<string, unknown>;
  store?: StateStore;
}

/** Starts a built-in with `rules` over a seeded store; returns a runner of payloads. */
async function start(kind: string, rules: object, o: Setup = {}) {
  const g = await graphOf(kind);
  const store = o.store ?? new StateStore(new HybridClock('test'));
  if (o.seed) store.seed(o.seed);
  const logs: LogRecord[] = [];
  const gi = await instantiateGraph({ graph: g, resolver, configuration: { rules: JSON.stringify(rules) }, stateStore: store, onLog: (r) => logs.push(r) });
  const outputs: { sink: string; payload: string }[] = [];
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const engine = new GraphEngine(g, gi.instances, {
    onSink: (sink, item) => outputs.push({ sink, payload: fromUtf8((item as MessageItem).payload) }),
    onError: (e) => errors.push(e),
  });
  const send = (...payloads: object[]) => {
    for (const [i, p] of payloads.entries()) {
      engine.ingest({ kind: 'message', timestamp: hlcFromMillis(1_000 + i, 0n, 'n'), topic: utf8('sensors'), payload: utf8(JSON.stringify(p)), userProperties: [] });
    }
  };
  return { send, outputs, errors, logs, engine, store };
}

async function initError(kind: string, rules: object): Promise<string> {
  const logs: LogRecord[] = [];
  const g = await graphOf(kind);
  await expect(instantiateGraph({ graph: g, resolver, configuration: { rules: JSON.stringify(rules) }, onLog: (r) => logs.push(r) })).rejects.toBeInstanceOf(InitFailedError);
  return logs.filter((l) => l.level === 'error').map((l) => l.message).join('\n');
}

const DEVICES = [
  { deviceId: 'thermostat1', location: 'room1', manufacturer: 'Contoso' },
  { deviceId: 'thermostat2', location: 'room2', manufacturer: 'Fabrikam', maxTemp: 30 },
];
const MATCH = { key: 'devices as device', inputs: ['$source.deviceId', '$context.deviceId'], expression: '$1 == $2' };

describe('map with datasets', () => {
  it('adds fields of the first matching record; without a match the $context rules are skipped, nothing fails', async () => {
    const r = await start('map', {
      datasets: [MATCH],
      map: [
        { inputs: ['*'], output: '*' },
        { inputs: ['$context(device).location'], output: 'location' },
        { inputs: ['$context(device).manufacturer', 'temperature'], output: 'label', expression: '$1 + ": " + str::from($2)' },
      ],
    }, { seed: { devices: DEVICES } });
    r.send({ deviceId: 'thermostat2', temperature: 21 }, { deviceId: 'unknown', temperature: 22 });
    expect(r.errors).toEqual([]);
    expect(r.outputs.map((o) => o.payload)).toEqual([
      '{"deviceId":"thermostat2","label":"Fabrikam: 21","location":"room2","temperature":21}',
      '{"deviceId":"unknown","temperature":22}',
    ]);
  });

  it('reads a JSON object, a JSON array or JSON lines; an absent key matches nothing; the alias defaults to the key', async () => {
    const rules = {
      datasets: [{ key: 'site', inputs: ['$source.line', '$context.line'], expression: '$1 == $2' }],
      map: [{ inputs: ['$context(site).name'], output: 'site' }, { inputs: ['$context(site)'], output: 'record' }],
    };
    const cases: [unknown, string][] = [
      [{ line: 1, name: 'A' }, '{"record":{"line":1,"name":"A"},"site":"A"}'],
      [[{ line: 2, name: 'B' }, { line: 1, name: 'C' }], '{"record":{"line":1,"name":"C"},"site":"C"}'],
      ['{"line":1,"name":"D"}\n{"line":1,"name":"E"}\n', '{"record":{"line":1,"name":"D"},"site":"D"}'],
    ];
    for (const [value, expected] of cases) {
      const r = await start('map', rules, { seed: { site: value } });
      r.send({ line: 1 });
      expect(r.outputs.map((o) => o.payload)).toEqual([expected]);
    }
    const empty = await start('map', rules);
    empty.send({ line: 1 });
    expect(empty.errors).toEqual([]);
    expect(empty.outputs.map((o) => o.payload)).toEqual(['{}']);
  });

  it('reads the store for every message: a changed value is seen by the next message', async () => {
    const r = await start('map', { datasets: [MATCH], map: [{ inputs: ['$context(device).location'], output: 'location' }] }, { seed: { devices: DEVICES } });
    r.send({ deviceId: 'thermostat1' });
    r.store.seed({ devices: [{ deviceId: 'thermostat1', location: 'attic' }] });
    r.send({ deviceId: 'thermostat1' });
    expect(r.outputs.map((o) => o.payload)).toEqual(['{"location":"room1"}', '{"location":"attic"}']);
  });

  it('an unreachable state store or an unreadable value fails the message (logged and counted)', async () => {
    const rules = { datasets: [MATCH], map: [{ inputs: ['*'], output: '*' }] };
    const down = await start('map', rules, { store: new UnreachableStore(new HybridClock('test')) });
    down.send({ deviceId: 'thermostat1' });
    expect(down.outputs).toEqual([]);
    expect(down.errors[0]?.message).toMatch(/dataset "device": state store: .*Timeout/);
    expect(down.logs.some((l) => l.level === 'error' && /state store/.test(l.message))).toBe(true);
    expect(down.engine.counters.get('map')?.errors).toBe(1);
    const bad = await start('map', rules, { seed: { devices: 'not json' } });
    bad.send({ deviceId: 'thermostat1' });
    expect(bad.errors[0]?.message).toMatch(/dataset "device": key "devices": line 1/);
  });

  it('refuses at init: an unknown alias, a duplicate alias, bad match inputs, unknown keys, $n beyond the inputs', async () => {
    const map = [{ inputs: ['a'], output: 'a' }];
    expect(await initError('map', { map: [{ inputs: ['$context(nope).x'], output: 'x' }] })).toMatch(/\$context\(nope\): no dataset has that alias/);
    expect(await initError('map', { datasets: [MATCH, { ...MATCH, key: 'other as device' }], map })).toMatch(/alias "device" is used twice/);
    expect(await initError('map', { datasets: [{ ...MATCH, inputs: ['deviceId'] }], map })).toMatch(/must be \$source.<field> or \$context.<field>/);
    expect(await initError('map', { datasets: [{ ...MATCH, extra: 1 }], map })).toMatch(/datasets are not valid: unknown field `extra`/);
    expect(await initError('map', { datasets: [{ ...MATCH, expression: '$3' }], map })).toMatch(/uses \$3 but the dataset has 2 input/);
    expect(await initError('map', { map: [{ inputs: ['$context(device).a.*'], output: 'x' }], datasets: [MATCH] })).toMatch(/wildcards are not allowed in \$context/);
  });
});

describe('filter and branch with datasets', () => {
  it('filter: a rule with a match can drop; without a match it is skipped and the message passes', async () => {
    const r = await start('filter', { datasets: [MATCH], filter: [{ inputs: ['temperature', '$context(device).maxTemp ?? 25'], expression: '$1 > $2' }] }, { seed: { devices: DEVICES } });
    r.send({ deviceId: 'thermostat2', temperature: 31 }, { deviceId: 'thermostat2', temperature: 29 }, { deviceId: 'thermostat1', temperature: 26 }, { deviceId: 'x', temperature: 99 });
    expect(r.errors).toEqual([]);
    expect(r.outputs.map((o) => JSON.parse(o.payload).temperature)).toEqual([29, 99]);
  });

  it('branch: the record decides the arm; without a match the rule is skipped and the message goes to false', async () => {
    const r = await start('branch', { datasets: [MATCH], branch: { inputs: ['$context(device).manufacturer'], expression: '$1 == "Contoso"' } }, { seed: { devices: DEVICES } });
    r.send({ deviceId: 'thermostat1' }, { deviceId: 'thermostat2' }, { deviceId: 'x' });
    expect(r.errors).toEqual([]);
    expect(r.outputs.map((o) => o.sink)).toEqual(['output.true', 'output.false', 'output.false']);
  });
});
