/**
 * Window 1.1.0 (reference aio-builtin-transforms.md §1.3, §3.5, §2.4 running
 * functions): `count`, `memory` and `triggers` close windows besides the
 * duration, on the REAL component published as
 * `azureiotoperations/graph-dataflow-window:1.1.0` (`pnpm build` first).
 */
import { HybridClock, hlcFromMillis, loadGraphDefinition } from '@wgs/graph-model';
import { embeddedRegistry, pullArtifact } from '@wgs/registry';
import { describe, expect, it } from 'vitest';
import { InitFailedError } from '../components/operator-instance.ts';
import { fromUtf8, utf8, type MessageItem } from '../data-model.ts';
import { StateStore } from '../host/state-store.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import { GraphEngine, type EngineEvent } from './graph-engine.ts';
import { instantiateGraph, type LogRecord } from './graph-instance.ts';

const resolver = new LayoutModuleResolver();
const SUM = { accumulate: [{ inputs: ['v'], output: 'sum', expression: 'sum($1)' }, { inputs: ['v'], output: 'n', expression: 'count($1)' }] };

async function window(version: string, configuration: Record<string, object>, seed?: Record<string, unknown>) {
  const pulled = await pullArtifact(embeddedRegistry(), 'azureiotoperations/graph-dataflow-window', version, { expect: 'graph' });
  const g = loadGraphDefinition(new TextDecoder().decode(pulled.content));
  const store = new StateStore(new HybridClock('test'));
  if (seed) store.seed(seed);
  const logs: LogRecord[] = [];
  const values = Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, JSON.stringify(v)]));
  const gi = await instantiateGraph({ graph: g, resolver, configuration: values, stateStore: store, onLog: (r) => logs.push(r) });
  return { g, gi, logs };
}

/** Sends payloads 1 ms apart inside one 60 s window, then ends the input; returns the outputs. */
function run(w: Awaited<ReturnType<typeof window>>, payloads: (object | string)[]) {
  const outputs: MessageItem[] = [];
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const engine = new GraphEngine(w.g, w.gi.instances, { onSink: (_, item) => outputs.push(item as MessageItem), onError: (e) => errors.push(e) });
  for (const [i, p] of payloads.entries()) {
    const payload = typeof p === 'string' ? p : JSON.stringify(p);
    engine.ingest({ kind: 'message', timestamp: hlcFromMillis(1_000 + i, 0n, 'n'), topic: utf8('t'), payload: utf8(payload), userProperties: [] });
  }
  const beforeEnd = outputs.length;
  engine.advance();
  return { outputs, errors, beforeEnd, sums: outputs.map((o) => JSON.parse(fromUtf8(o.payload)) as { sum: number; n: number }) };
}

const v = (...xs: number[]) => xs.map((x) => ({ v: x }));

/** Why the 1.1.0 window refused to start (its init log). */
async function initError(configuration: Record<string, object>): Promise<string> {
  const logs: LogRecord[] = [];
  const pulled = await pullArtifact(embeddedRegistry(), 'azureiotoperations/graph-dataflow-window', '1.1.0', { expect: 'graph' });
  const g = loadGraphDefinition(new TextDecoder().decode(pulled.content));
  const values = Object.fromEntries(Object.entries(configuration).map(([k, val]) => [k, JSON.stringify(val)]));
  await expect(instantiateGraph({ graph: g, resolver, configuration: values, onLog: (r) => logs.push(r) })).rejects.toBeInstanceOf(InitFailedError);
  return logs.filter((l) => l.level === 'error').map((l) => l.message).join('\n');
}

describe('window 1.1.0', () => {
  it('count: messageInCurrent keeps the Nth message, messageInNext starts the next window with it', async () => {
    const cur = run(await window('1.1.0', { count: { type: 'messageCount', maxMessageCount: 2, boundaryMessage: 'messageInCurrent' }, rules: SUM }), v(1, 2, 3, 4, 5));
    expect(cur.errors).toEqual([]);
    expect(cur.sums).toEqual([{ sum: 3, n: 2 }, { sum: 7, n: 2 }, { sum: 5, n: 1 }]);
    // Each window is its own epoch: same end time, counter = window number.
    expect(cur.outputs.map((o) => [Number(o.timestamp.secs), Number(o.timestamp.counter)])).toEqual([[60, 0], [60, 1], [60, 2]]);
    // A window is emitted when the delay moves on to the next one (the engine closes lower counters of
    // the instant); the last one when the duration end passes (here: the end of input).
    expect(cur.beforeEnd).toBe(2);
    const next = run(await window('1.1.0', { count: { type: 'messageCount', maxMessageCount: 3, boundaryMessage: 'messageInNext' }, rules: SUM }), v(1, 2, 3, 4, 5));
    expect(next.sums).toEqual([{ sum: 3, n: 2 }, { sum: 7, n: 2 }, { sum: 5, n: 1 }]);
    expect(next.beforeEnd).toBe(2); // messageInNext: emitted as the closing message arrives
  });

  it('memory: closes when the payload bytes reach maxBufferBytes; checked before count', async () => {
    // {"v":1} is 7 bytes: 14 bytes reach 14.
    const m = run(await window('1.1.0', { memory: { type: 'bufferSize', maxBufferBytes: 14, boundaryMessage: 'messageInCurrent' }, rules: SUM }), v(1, 2, 3, 4, 5));
    expect(m.sums).toEqual([{ sum: 3, n: 2 }, { sum: 7, n: 2 }, { sum: 5, n: 1 }]);
    const both = run(await window('1.1.0', {
      memory: { type: 'bufferSize', maxBufferBytes: 14, boundaryMessage: 'messageInNext' },
      count: { type: 'messageCount', maxMessageCount: 2, boundaryMessage: 'messageInCurrent' },
      rules: SUM,
    }), v(1, 2, 3));
    // Message 2 reaches both limits: memory wins, so it starts the next window (count would have kept it).
    expect(both.sums).toEqual([{ sum: 1, n: 1 }, { sum: 2, n: 1 }, { sum: 3, n: 1 }]);
  });

  it('the duration still closes windows, whichever condition comes first', async () => {
    const w = await window('1.1.0', { delay: { type: 'duration', delaySeconds: 10 }, count: { type: 'messageCount', maxMessageCount: 100 }, rules: SUM });
    const outputs: string[] = [];
    const engine = new GraphEngine(w.g, w.gi.instances, { onSink: (_, item) => outputs.push(fromUtf8((item as MessageItem).payload)) });
    for (const [ms, x] of [[1_000, 1], [9_000, 2], [12_000, 3]] as const) {
      engine.ingest({ kind: 'message', timestamp: hlcFromMillis(ms, 0n, 'n'), topic: utf8('t'), payload: utf8(JSON.stringify({ v: x })), userProperties: [] });
    }
    expect(outputs).toEqual(['{"n":2,"sum":3.0}']); // the 10 s window closed when the frontier passed it
    engine.advance();
    expect(outputs).toEqual(['{"n":2,"sum":3.0}', '{"n":1,"sum":3.0}']);
  });

  it('triggers: first true rule wins; running functions see previous messages and reset per window', async () => {
    const triggers = {
      type: 'expression',
      rules: [
        { inputs: ['v'], trigger: 'running_sum($1) + $1 >= 10', boundaryMessage: 'messageInCurrent' },
        { inputs: ['state'], trigger: 'changed($1)', boundaryMessage: 'messageInNext' },
      ],
    };
    const r = run(await window('1.1.0', { triggers, rules: SUM }), [
      { v: 4, state: 'a' }, { v: 6, state: 'a' }, // 4 + 6 reaches 10: closes with the 6
      { v: 1, state: 'a' }, { v: 1, state: 'b' }, // state changes: the b message starts the next window
      { v: 2, state: 'b' },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.sums).toEqual([{ sum: 10, n: 2 }, { sum: 1, n: 1 }, { sum: 3, n: 2 }]);
    const fns = run(await window('1.1.0', {
      triggers: { type: 'expression', rules: [{ inputs: ['v'], trigger: 'running_count() == 2 && first($1) == 5 && prev($1) == 7 && running_max($1) == 7 && running_avg($1) == 6.0' }] },
      rules: SUM,
    }), v(5, 7, 1, 9));
    expect(fns.sums).toEqual([{ sum: 13, n: 3 }, { sum: 9, n: 1 }]);
  });

  it('triggers read datasets; a trigger error fails that message only', async () => {
    const triggers = {
      type: 'expression',
      datasets: [{ key: 'limits as lim', inputs: ['$source.line', '$context.line'], expression: '$1 == $2' }],
      rules: [{ inputs: ['v', '$context(lim).max'], trigger: '$1 > $2' }],
    };
    const w = await window('1.1.0', { triggers, rules: SUM }, { limits: [{ line: 'a', max: 5 }] });
    const r = run(w, [{ line: 'a', v: 1 }, { line: 'a', v: 6 }, { line: 'x', v: 99 }, { line: 'a', v: 2 }]);
    expect(r.sums).toEqual([{ sum: 7, n: 2 }, { sum: 101, n: 2 }]);
    const bad = run(await window('1.1.0', { triggers: { type: 'expression', rules: [{ inputs: ['v'], trigger: '$1 + 1' }] }, rules: SUM }), v(1, 2));
    expect(bad.errors.map((e) => e.message)).toEqual([expect.stringMatching(/trigger must give a boolean/), expect.stringMatching(/trigger must give a boolean/)]);
  });

  it('refuses bad closing conditions at init; 1.0.0 is unchanged (no count/memory/triggers keys)', async () => {
    expect(await initError({ count: { type: 'messageCount', maxMessageCount: 0 }, rules: SUM })).toMatch(/limit must be greater than 0/);
    expect(await initError({ memory: { type: 'bytes', maxBufferBytes: 1 }, rules: SUM })).toMatch(/memory type "bytes" is not supported/);
    expect(await initError({ triggers: { type: 'expression', rules: [{ inputs: ['v'], trigger: 'average($1) > 1' }] }, rules: SUM })).toMatch(/aggregation; it exists only in window accumulate rules/);
    expect(await initError({ count: { type: 'messageCount', maxMessageCount: 2, boundaryMessage: 'inNext' }, rules: SUM })).toMatch(/count is not valid/);
    const old = await pullArtifact(embeddedRegistry(), 'azureiotoperations/graph-dataflow-window', '1.0.0', { expect: 'graph' });
    const params = loadGraphDefinition(new TextDecoder().decode(old.content)).moduleConfigurations?.flatMap((m) => Object.keys(m.parameters ?? {}));
    expect(params).toEqual(['delay', 'rules']);
  });
});
