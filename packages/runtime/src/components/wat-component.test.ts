/**
 * A component that was not built from Rust and that imports WASI runs through
 * the real runtime: the hand-written WAT filter `wgs-samples/length-filter`
 * (packages/operators/wat/length-filter.wat), which imports
 * wasi:clocks/monotonic-clock@0.2.0. `pnpm build` puts it into the embedded
 * registry (.wgs/registry); this test builds nothing.
 */
import { hlcFromMillis, loadGraphDefinition, type GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { embeddedRegistry } from '@wgs/registry';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type Item } from '../data-model.ts';
import { GraphEngine, type EngineEvent } from '../engine/graph-engine.ts';
import { instantiateGraph } from '../engine/graph-instance.ts';
import { GraphSession, type SessionOutput } from '../engine/session.ts';
import { HostBuffer } from '../host/buffer.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import { itemToWit, type PayloadPassing, type WitDataModel } from '../wit-values.ts';
import { prepareComponent, type PreparedComponent } from './component-cache.ts';
import { InitFailedError } from './operator-instance.ts';

const REPOSITORY = 'wgs-samples/length-filter';
const MODULE = `${REPOSITORY}:1.0.0`;
const OP = 'length-filter';

const resolver = new LayoutModuleResolver();

let component: Uint8Array;
let prepared: PreparedComponent;
beforeAll(async () => {
  const artifact = await embeddedRegistry().pull(REPOSITORY, '1.0.0').catch((e: Error) => {
    throw new Error(`${MODULE} is not in the embedded registry (run \`pnpm build\` first): ${e.message}`);
  });
  expect(artifact.kind).toBe('module');
  component = artifact.content;
  prepared = await prepareComponent(component, `module "${MODULE}"`);
});

/** source -> length-filter -> sink; `max_length` is a graph parameter with no default. */
const g: GraphDefinition = loadGraphDefinition([
  'metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: wat-test, version: "1.0.0" }',
  'moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }',
  'moduleConfigurations:',
  `  - { name: ${OP}, parameters: { max_length: { name: max_length } } }`,
  'operations:',
  '  - { operationType: source, name: source }',
  `  - { operationType: filter, name: ${OP}, module: ${MODULE} }`,
  '  - { operationType: sink, name: sink }',
  'connections:',
  `  - { from: { name: source }, to: { name: ${OP} } }`,
  `  - { from: { name: ${OP} }, to: { name: sink } }`,
].join('\n') + '\n');

const m = (payload: string): ConnectorMessage => ({ topic: 'sensors', payload: utf8(payload), userProperties: [['k', 'v']] });
const payloadOf = (o: SessionOutput) => (o.item.kind === 'message' ? fromUtf8(o.item.payload) : '');

async function session(o: { configuration?: Record<string, string>; payloadPassing?: PayloadPassing } = {}) {
  const outputs: SessionOutput[] = [];
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const s = await GraphSession.start(
    { graph: g, resolver, configuration: o.configuration, payloadPassing: o.payloadPassing },
    { onOutput: (x) => outputs.push(x), onError: (e) => errors.push(e), onLog: () => {} },
  );
  return { s, outputs, errors };
}

describe('the WAT component', () => {
  it('is a small component that imports a WASI interface and exports only filter', () => {
    expect(component.length).toBeLessThan(16 * 1024);
    expect(prepared.imports.some((i) => i.startsWith('wasi:'))).toBe(true);
    expect(prepared.imports).toContain('wasi:clocks/monotonic-clock');
    expect(prepared.imports.filter((i) => !i.startsWith('wasi:') && !i.startsWith('wasm-graph:processor/'))).toEqual([]);
    expect(prepared.exportedKinds).toEqual(['filter']);
  });
});

describe('length-filter in a GraphSession', () => {
  const short = ['', 'a', '0123456789abcdef']; // 0, 1 and 16 bytes
  const long = ['0123456789abcdefg', 'x'.repeat(1000)]; // 17 and 1000 bytes

  for (const payloadPassing of ['bytes', 'buffer'] as const) {
    it(`passes payloads of at most 16 bytes by default and drops longer ones (payloads as ${payloadPassing})`, async () => {
      const { s, outputs, errors } = await session({ payloadPassing });
      for (const p of [short[0]!, long[0]!, short[1]!, long[1]!, short[2]!]) await s.ingest(m(p));
      expect(errors).toEqual([]);
      expect(outputs.map(payloadOf)).toEqual(short);
      expect(outputs.every((o) => o.sink === 'sink')).toBe(true);
      expect(s.counters.get(OP)).toEqual({ in: 5, out: 3, dropped: 2, errors: 0 });
      expect(s.counters.get('sink')).toEqual({ in: 3, out: 3, dropped: 0, errors: 0 });
    });
  }

  it('a configured max_length moves the cut-off', async () => {
    const { s, outputs, errors } = await session({ configuration: { max_length: '4' } });
    for (const p of ['abc', 'abcd', 'abcde', '0123456789abcdef', '']) await s.ingest(m(p));
    expect(errors).toEqual([]);
    expect(outputs.map(payloadOf)).toEqual(['abc', 'abcd', '']);
    expect(s.counters.get(OP)).toEqual({ in: 5, out: 3, dropped: 2, errors: 0 });

    const wide = await session({ configuration: { max_length: '1000' } });
    for (const p of ['x'.repeat(1000), 'x'.repeat(1001)]) await wide.s.ingest(m(p));
    expect(wide.outputs.map((o) => payloadOf(o).length)).toEqual([1000]);
    expect(wide.s.counters.get(OP)).toMatchObject({ dropped: 1 });

    const zero = await session({ configuration: { max_length: '0' } });
    for (const p of ['', 'a']) await zero.s.ingest(m(p));
    expect(zero.outputs.map(payloadOf)).toEqual(['']);
  });

  for (const bad of ['abc', '-1', '12a', '4294967296', ' 8']) {
    it(`init returns false for max_length "${bad}": the start fails with an InitFailedError naming the operation`, async () => {
      const err = await session({ configuration: { max_length: bad } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InitFailedError);
      expect((err as InitFailedError).operation).toBe(OP);
      expect((err as Error).message).toBe(`operator "${OP}" failed to start: init returned false (check its configuration)`);
    });
  }

  it('the largest u32 is a valid max_length', async () => {
    await expect(session({ configuration: { max_length: '4294967295' } })).resolves.toBeDefined();
  });

  it('snapshot and bare-bytes items get err("length-filter: not a message"): dropped, instance kept', async () => {
    for (const payloadPassing of ['bytes', 'buffer'] as const) {
      const gi = await instantiateGraph({ graph: g, resolver, payloadPassing });
      const outputs: Item[] = [];
      const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
      const engine = new GraphEngine(g, gi.instances, { onSink: (_s, item) => outputs.push(item), onError: (e) => errors.push(e) });
      const ts = (ms: number) => hlcFromMillis(ms, 0n, 'test');
      engine.ingest({ kind: 'snapshot', timestamp: ts(1), format: 'rgb24', width: 1, height: 1, frame: utf8('abc') });
      engine.ingest({ kind: 'bytes', timestamp: ts(2), bytes: utf8('abc') });
      engine.ingest({ kind: 'message', timestamp: ts(3), topic: utf8('t'), payload: utf8('abc'), userProperties: [] });
      expect(errors.map(({ operation, message, trap }) => ({ operation, message, trap }))).toEqual([
        { operation: OP, message: 'length-filter: not a message', trap: false },
        { operation: OP, message: 'length-filter: not a message', trap: false },
      ]);
      expect(outputs.map((i) => i.kind)).toEqual(['message']);
      expect(engine.counters.get(OP)).toEqual({ in: 3, out: 1, dropped: 0, errors: 2 });
    }
  });
});

/** Direct instantiation with host doubles: the WASI clock is called, and every buffer handle is dropped. */
describe('length-filter instantiated with its imports', () => {
  const dispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');
  let disposed = 0;
  class CountingBuffer extends HostBuffer {}
  Object.defineProperty(CountingBuffer.prototype, dispose, { value: () => { disposed++; } });

  let clock: bigint[] = [];
  let clockCalls = 0;
  async function filter(properties: [string, string][] = []) {
    const instance = await prepared.instantiate({
      'wasi:clocks/monotonic-clock': { now: () => (clockCalls++, clock.shift() ?? 1_000n) },
      'wasm-graph:processor/types': { Buffer: CountingBuffer },
    });
    const f = instance.filter as { init(c: unknown): boolean; process(d: WitDataModel): boolean };
    expect(f.init({ properties, moduleSchemas: [{ name: 's', contentType: 'application/json', content: '{}' }] })).toBe(true);
    return f;
  }
  const process = (f: Awaited<ReturnType<typeof filter>>, d: WitDataModel) => {
    try {
      return f.process(d);
    } catch (e) {
      return { err: (e as { payload?: unknown }).payload };
    }
  };
  const buf = (s: string) => ({ tag: 'buffer' as const, val: new CountingBuffer(utf8(s)) });
  const message = (payload: string) => itemToWit({ kind: 'message', timestamp: hlcFromMillis(5, 0n, 'n'), topic: utf8('t'), payload: utf8(payload), userProperties: [] }, 'bytes');

  it('reads wasi:clocks/monotonic-clock once per process call and reports a clock going backwards', async () => {
    clock = [10n, 20n, 15n, 30n];
    clockCalls = 0;
    const f = await filter();
    expect(clockCalls).toBe(0);
    expect(process(f, message('short'))).toBe(true);
    expect(process(f, message('x'.repeat(17)))).toBe(false);
    expect(process(f, message('short'))).toEqual({ err: { message: 'length-filter: monotonic clock went backwards' } });
    expect(process(f, message('short'))).toBe(true);
    expect(clockCalls).toBe(4);
  });

  it('drops every buffer handle it receives, in messages, snapshots and bare buffers', async () => {
    clock = [];
    const f = await filter([['other', 'x'], ['max_length', '3']]);
    disposed = 0;
    const full = message('');
    if (full.tag !== 'message') throw new Error('expected a message');
    full.val.payload = buf('abcd');
    full.val.topic = buf('topic');
    full.val.timestamp.nodeId = buf('node');
    full.val.contentType = buf('text/plain');
    full.val.properties.userProperties = [[buf('k1'), buf('v1')], [buf('k2'), { tag: 'string', val: 'v2' }]];
    full.val.schema = { tag: 'inline', val: { name: buf('n'), content: buf('c') } };
    expect(process(f, full)).toBe(false); // 4 bytes > 3, read through the buffer
    expect(disposed).toBe(9);

    full.val.payload = buf('abc');
    full.val.topic = buf('topic');
    full.val.timestamp.nodeId = buf('node');
    full.val.contentType = undefined;
    full.val.properties.userProperties = [];
    full.val.schema = { tag: 'registry-reference', val: buf('ref') };
    disposed = 0;
    expect(process(f, full)).toBe(true);
    expect(disposed).toBe(4);

    disposed = 0;
    const snapshot: WitDataModel = {
      tag: 'snapshot',
      val: { timestamp: { timestamp: { secs: 1n, nanos: 0 }, counter: 0n, nodeId: buf('n') }, format: buf('rgb24'), width: 1, height: 1, frame: buf('abc') },
    };
    expect(process(f, snapshot)).toEqual({ err: { message: 'length-filter: not a message' } });
    expect(process(f, { tag: 'buffer-or-bytes', val: buf('abc') })).toEqual({ err: { message: 'length-filter: not a message' } });
    expect(disposed).toBe(4);
  });

  it('handles a payload larger than its initial memory (the allocator grows it)', async () => {
    const f = await filter([['max_length', String(300_000)]]);
    expect(process(f, message('y'.repeat(300_000)))).toBe(true);
    expect(process(f, message('y'.repeat(300_001)))).toBe(false);
    const buffered = message('');
    if (buffered.tag !== 'message') throw new Error('expected a message');
    buffered.val.payload = buf('z'.repeat(200_000));
    expect(process(f, buffered)).toBe(true);
  });
});
