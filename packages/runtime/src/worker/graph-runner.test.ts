import { cpSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { embeddedRegistryDir } from '@wgs/registry';
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

describe('GraphRunner delivery (push settles after processing)', () => {
  it('resolves a push only once its outputs were delivered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const delivered: string[] = [];
    const { runner } = await start({
      onOutput: async ({ item }) => {
        await gate;
        delivered.push(item.kind === 'message' ? fromUtf8(item.payload) : '?');
      },
    });
    let settled = false;
    const p = runner.push(msg('held')).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    release();
    await p;
    expect(delivered).toEqual(['held']);
  });

  it('a looping message inside a batch: the rest is replayed, every push settles', async () => {
    const { runner, outputs, errors } = await start({ batchSize: 8 });
    const payloads = ['a', 'b', 'loop', 'c', 'd'];
    await Promise.all(payloads.map((p) => runner.push(msg(p))));
    expect(outputs).toEqual(['a', 'b', 'c', 'd']);
    expect(errors.map((e) => e.operation)).toEqual(['faulty']);
  });

  it('stop rejects what was not processed, so a source leaves it unacknowledged', async () => {
    const { runner } = await start();
    const stuck = runner.push(msg('loop'));
    const queued = runner.push(msg('after'));
    const outcomes = Promise.allSettled([stuck, queued]);
    await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    const [a, b] = await outcomes;
    expect(a).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/stopped/) }) });
    expect(b).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/stopped/) }) });
  });
});

describe('GraphRunner restarts', () => {
  it('ten looping messages in a row: each time the next message flows within 2× the deadline, ticker running', { timeout: 60_000 }, async () => {
    const deadlineMs = 2000; // the default
    // latenessMs starts the ticker, which used to post to a worker that was not ready yet.
    const { runner, outputs } = await start({ deadlineMs, latenessMs: 100 });
    const rounds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      void runner.push(msg('loop'));
      await runner.push(msg(`ok${i}`));
      rounds.push(Date.now() - t0);
      // The deadline itself plus a worker restart: within twice the deadline.
      expect(rounds[i], `round ${i}: ${rounds[i]} ms`).toBeLessThan(2 * deadlineMs);
      expect(outputs.at(-1)).toBe(`ok${i}`);
    }
    console.log(`loop → next message: ${Math.min(...rounds)}–${Math.max(...rounds)} ms (deadline ${deadlineMs} ms)`);
    expect(runner.restarts).toBe(10);
    expect(runner.health()).toMatchObject({ state: 'running', restarts: 10, failedRestarts: 0 });
  });

  it('ten allocating messages in a row: the instance traps at its memory limit and the next message flows', async () => {
    const { runner, outputs, errors } = await start({ deadlineMs: 2000, memoryLimitBytes: 64 * 1024 * 1024 });
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 10; i++) {
      void runner.push(msg('alloc'));
      await runner.push(msg(`ok${i}`));
      expect(outputs.at(-1)).toBe(`ok${i}`);
    }
    expect(errors).toHaveLength(10);
    expect(errors.every((e) => e.trap)).toBe(true);
    // Without the cap each round grew toward 4 GiB; with it, instances are replaced at 64 MiB.
    expect(process.memoryUsage().rss - rss0).toBeLessThan(1024 * 1024 * 1024);
  });

  it('a replacement that cannot start is retried with backoff and reported, then recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgs-runner-registry-'));
    cpSync(embeddedRegistryDir(), join(dir, 'registry'), { recursive: true });
    const registryDir = join(dir, 'registry');
    const { runner, outputs } = await start({ registryDir, deadlineMs: 300, restartBackoffMaxMs: 400 });
    const failures: { attempt: number; message: string }[] = [];
    const recovered = new Promise<{ attempts: number }>((r) => runner.once('recovered', r));
    runner.on('restart-failed', (f) => failures.push(f));
    // The modules vanish: the worker that replaces the looping one cannot load them.
    renameSync(registryDir, `${registryDir}.away`);
    const next = runner.push(msg('after'));
    void runner.push(msg('loop'));
    await vi.waitFor(() => expect(failures.length).toBeGreaterThanOrEqual(2), { timeout: 20_000 });
    expect(runner.health().state).toBe('restarting');
    expect(failures[0]!.message).toMatch(/restart failed: .*not found/);
    renameSync(`${registryDir}.away`, registryDir);
    expect((await recovered).attempts).toBeGreaterThan(2);
    await next;
    await runner.push(msg('later'));
    expect(outputs).toContain('later');
    expect(runner.health().state).toBe('running');
    rmSync(dir, { recursive: true, force: true });
  }, 40_000);
});

describe('GraphRunner delivery overlap', () => {
  it('processes the next batch while outputs are delivered; a message settles only after its outputs were delivered', async () => {
    const releases: (() => void)[] = [];
    const { runner, outputs } = await start({
      onOutput: () => new Promise<void>((r) => releases.push(r)),
    });
    let aSettled = false;
    const a = runner.push(msg('a')).then(() => (aSettled = true));
    await vi.waitFor(() => expect(outputs).toEqual(['a']));
    // a's output is still being delivered; b is processed meanwhile.
    let bSettled = false;
    const b = runner.push(msg('b')).then(() => (bSettled = true));
    await vi.waitFor(() => expect(outputs).toEqual(['a', 'b']));
    expect(aSettled).toBe(false);
    expect(bSettled).toBe(false);
    let idle = false;
    void runner.idle().then(() => (idle = true));
    releases[0]!();
    await a;
    expect(bSettled).toBe(false);
    expect(idle).toBe(false);
    releases[1]!();
    await b;
    await vi.waitFor(() => expect(idle).toBe(true));
  });

  it('waits once maxDelivering batches are still being delivered', async () => {
    const releases: (() => void)[] = [];
    const { runner, outputs } = await start({ maxDelivering: 1, onOutput: () => new Promise<void>((r) => releases.push(r)) });
    const a = runner.push(msg('a'));
    await vi.waitFor(() => expect(outputs).toEqual(['a']));
    const b = runner.push(msg('b'));
    await new Promise((r) => setTimeout(r, 200));
    expect(outputs).toEqual(['a']);
    releases[0]!();
    await a;
    await vi.waitFor(() => expect(outputs).toEqual(['a', 'b']));
    releases[1]!();
    await b;
  });

  it('rejects messages whose outputs are still being delivered when the runner stops', async () => {
    const { runner, outputs } = await start({ onOutput: () => new Promise<void>(() => {}) });
    const a = runner.push(msg('a'));
    await vi.waitFor(() => expect(outputs).toEqual(['a']));
    const rejected = expect(a).rejects.toThrow(/stopped/);
    await runner.stop();
    await rejected;
  });
});
