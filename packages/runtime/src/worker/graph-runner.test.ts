import { afterEach, describe, expect, it } from 'vitest';
import { loadGraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { fromUtf8 } from '../data-model.ts';
import { GraphRunner } from './graph-runner.ts';

const faultyGraph = loadGraphDefinition(`
metadata: { $schema: x, name: faulty, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - name: faulty
    parameters:
      fail_init: { name: fail_init, default: "false" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: faulty, module: wgs-samples/faulty:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: faulty } }
  - { from: { name: faulty }, to: { name: sink } }
`);

const msg = (payload: string, topic = 'in'): ConnectorMessage => ({ topic, payload: new TextEncoder().encode(payload), userProperties: [] });

const runners: GraphRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

async function start(options: Partial<Parameters<typeof GraphRunner.start>[0]> = {}) {
  const runner = await GraphRunner.start({ graph: faultyGraph, deadlineMs: 300, ...options });
  runners.push(runner);
  const outputs: string[] = [];
  const errors: { operation: string; message: string; trap: boolean }[] = [];
  runner.on('output', ({ item }) => outputs.push(item.kind === 'message' ? fromUtf8(item.payload) : '?'));
  runner.on('error', (e) => errors.push(e));
  return { runner, outputs, errors };
}

describe('GraphRunner failure isolation', () => {
  it('stops an operator that loops forever, drops that message, and keeps processing', async () => {
    const { runner, outputs, errors } = await start();
    for (const p of ['a', 'loop', 'b', 'c']) await runner.push(msg(p));
    await runner.idle();
    // The looping message's batch is replayed on a fresh worker without it.
    await runner.push(msg('d'));
    await runner.idle();
    expect(outputs).toEqual(['a', 'b', 'c', 'd']);
    expect(runner.restarts).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operation: 'faulty', trap: true });
    expect(errors[0]!.message).toMatch(/300 ms deadline/);
    const c = runner.counters().get('faulty')!;
    expect(c.errors).toBe(1);
    expect(c.out).toBe(4);
  });

  it('a looping graph does not slow or break another runner', async () => {
    const bad = await start();
    const good = await start();
    await bad.runner.push(msg('loop'));
    for (let i = 0; i < 50; i++) await good.runner.push(msg(`ok${i}`));
    await good.runner.idle();
    expect(good.outputs).toHaveLength(50);
    expect(good.errors).toEqual([]);
    await bad.runner.idle();
    expect(bad.errors[0]?.operation).toBe('faulty');
  });

  it('recovers from a trap without replacing the worker', async () => {
    const { runner, outputs, errors } = await start();
    for (const p of ['x', 'trap', 'y']) await runner.push(msg(p));
    await runner.idle();
    expect(outputs).toEqual(['x', 'y']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operation: 'faulty', trap: true });
    expect(runner.restarts).toBe(0);
  });

  it('an operator error drops only that message', async () => {
    const { runner, outputs, errors } = await start();
    for (const p of ['1', 'error', '2']) await runner.push(msg(p));
    await runner.idle();
    expect(outputs).toEqual(['1', '2']);
    expect(errors).toEqual([expect.objectContaining({ operation: 'faulty', trap: false, message: 'faulty: requested error' })]);
  });

  it('an operator that exhausts its memory traps and recovers', async () => {
    const { runner, outputs, errors } = await start({ deadlineMs: 10_000 });
    for (const p of ['alloc', 'after']) await runner.push(msg(p));
    await runner.idle();
    expect(outputs).toEqual(['after']);
    expect(errors[0]).toMatchObject({ operation: 'faulty', trap: true });
  });

  it('fails to start with the operation named when init returns false', async () => {
    await expect(GraphRunner.start({ graph: faultyGraph, configuration: { fail_init: 'true' } }))
      .rejects.toThrow(/operator "faulty" failed to start: init returned false/);
  });

  it('fails to start with a clear error for an unknown module', async () => {
    const graph = structuredClone(faultyGraph);
    graph.operations[1]!.module = 'wgs-samples/does-not-exist:1.0.0';
    await expect(GraphRunner.start({ graph })).rejects.toThrow(/module "wgs-samples\/does-not-exist:1.0.0": .*not found/);
  });
});

describe('GraphRunner backpressure and drain', () => {
  it('processes every message pushed beyond the queue limit, in order', async () => {
    const { runner, outputs } = await start({ maxQueue: 10, batchSize: 4 });
    const pushes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) pushes.push(runner.push(msg(String(i))));
    await Promise.all(pushes);
    await runner.idle();
    expect(outputs).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });
});
