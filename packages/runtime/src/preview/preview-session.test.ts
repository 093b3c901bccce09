import { afterEach, describe, expect, it } from 'vitest';
import { loadGraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { PreviewSession, type PreviewUpdate } from './preview-session.ts';

const graph = (module: string) => loadGraphDefinition(`
metadata: { $schema: x, name: preview, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: map, module: ${module} }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: map } }
  - { from: { name: map }, to: { name: sink } }
`);
const temperature = graph('azure-samples/explore-iot-operations/temperature:1.0.0');
const msg = (payload: string): ConnectorMessage => ({ topic: 'sensor/temperature/raw', payload: new TextEncoder().encode(payload), userProperties: [] });
const reading = (f: number) => msg(JSON.stringify({ temperature: { value: f, unit: 'F' } }));

const sessions: PreviewSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
});

async function start(g = temperature, sampleRate = 5, configuration: Record<string, string> = {}, canSend?: () => boolean) {
  const updates: PreviewUpdate[] = [];
  const s = await PreviewSession.start({ graph: g, sampleRate, flushMs: 50, deadlineMs: 500, configuration, canSend }, (u) => updates.push(u));
  sessions.push(s);
  const settle = async () => {
    await s.idle();
    await new Promise((r) => setTimeout(r, 120));
    s.flush();
  };
  return { s, updates, settle };
}

describe('PreviewSession', () => {
  it('shows the converted message at the map output', async () => {
    const { s, updates, settle } = await start();
    await s.push(reading(1209));
    await settle();
    const out = updates.flatMap((u) => u.samples).find((x) => x.operation === 'map' && x.event === 'out');
    expect(out?.item.encoding).toBe('json');
    expect(JSON.parse(out!.item.data)).toMatchObject({ temperature: { value: 653.8888888888889, unit: 'C' } });
    expect(out?.item.topic).toBe('sensor/temperature/raw');
    expect(updates.at(-1)!.counters.map).toEqual({ in: 1, out: 1, dropped: 0, errors: 0 });
    // The operator's own metric (requests, labelled by unit) reaches the preview too.
    const metrics = updates.flatMap((u) => u.metrics ?? []);
    expect(metrics).toContainEqual({ name: 'requests', labels: expect.objectContaining({ operation: 'map', unit: 'Fahrenheit' }), value: 1 });
  });

  it('shows what operators logged in init (before the session existed)', async () => {
    const configured = loadGraphDefinition(`
metadata: { $schema: x, name: preview, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - { name: map, parameters: { key1: { name: key1 } } }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: map, module: azure-samples/explore-iot-operations/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: map } }
  - { from: { name: map }, to: { name: sink } }
`);
    const { updates } = await start(configured, 5, { key1: 'example-value' });
    await new Promise((r) => setTimeout(r, 150));
    const logs = updates.flatMap((u) => u.logs);
    expect(logs).toContainEqual(expect.objectContaining({ operation: 'map', message: 'configuration key1=example-value' }));
  });

  it('keeps counts exact under a burst while samples stay within the rate', async () => {
    const { s, updates, settle } = await start(temperature, 5);
    const started = Date.now();
    for (let i = 0; i < 3000; i++) await s.push(reading(i));
    await settle();
    const seconds = (Date.now() - started) / 1000;
    expect(updates.at(-1)!.counters.map).toEqual({ in: 3000, out: 3000, dropped: 0, errors: 0 });
    const mapSamples = updates.flatMap((u) => u.samples).filter((x) => x.operation === 'map');
    // Two kinds (in, out) at 5/s each, plus the initial burst allowance.
    expect(mapSamples.length).toBeLessThanOrEqual(2 * (5 * seconds + 5) + 2);
    expect(mapSamples.length).toBeGreaterThan(0);
    expect(s.inspect('map').length).toBeLessThanOrEqual(50);
  });

  it('injects into an operation input, pauses, clears and replays', async () => {
    const { s, updates, settle } = await start();
    await s.inject(reading(32), 'map');
    await settle();
    expect(updates.at(-1)!.counters.map!.in).toBe(1);
    expect(updates.at(-1)!.counters.source!.in).toBe(0);

    s.pause();
    await s.push(reading(50));
    await settle();
    expect(updates.at(-1)).toMatchObject({ paused: true, skippedWhilePaused: 1 });
    expect(updates.at(-1)!.counters.map!.in).toBe(1);

    s.resume();
    await s.push(reading(60));
    await s.push(reading(70));
    await settle();
    expect(updates.at(-1)!.counters.source!.in).toBe(2);

    s.clear();
    await s.replay(s.recentSourceMessages(2));
    await settle();
    expect(updates.at(-1)!.counters.source).toEqual({ in: 2, out: 2, dropped: 0, errors: 0 });
    // Replayed and operation-injected messages are not source history; the paused one was skipped.
    expect(s.recentSourceMessages().map((m) => JSON.parse(new TextDecoder().decode(m.payload)).temperature.value)).toEqual([60, 70]);
    await expect(s.inject(reading(1), 'nope')).rejects.toThrow(/no operation named "nope"/);
  });

  it('holds updates while the client is behind: one aggregated error entry, samples counted as unsent, exact counters', async () => {
    let clientReads = false;
    const { s, updates, settle } = await start(graph('wgs-samples/faulty:1.0.0'), 5, {}, () => clientReads);
    for (let i = 0; i < 300; i++) await s.push(msg('error'));
    await settle();
    expect(updates).toEqual([]);
    clientReads = true;
    s.flush();
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update!.errors).toEqual([{ operation: 'map', message: 'faulty: requested error', trap: false, at: expect.any(Number), count: 300 }]);
    expect(update!.counters.map).toEqual({ in: 300, out: 0, dropped: 0, errors: 300 });
    expect(update!.samples).toEqual([]);
    // The samples the sampler let through (source and map inputs) were dropped and counted.
    expect(update!.unsent?.samples).toBeGreaterThan(0);
  });

  it('sends a sample as it arrives, without waiting for the flushMs interval', async () => {
    const updates: PreviewUpdate[] = [];
    // The interval never fires during the test: only arrivals can send.
    const s = await PreviewSession.start({ graph: temperature, sampleRate: 5, flushMs: 600_000, minFlushGapMs: 25, deadlineMs: 500 }, (u) => updates.push(u));
    sessions.push(s);
    await s.push(reading(1209));
    await s.idle();
    await expect.poll(() => updates.flatMap((u) => u.samples).some((x) => x.operation === 'map' && x.event === 'out'), { timeout: 5000 }).toBe(true);
  });

  it('within the gap after an update, everything that arrives waits for one aggregated update', async () => {
    const updates: PreviewUpdate[] = [];
    const s = await PreviewSession.start({ graph: graph('wgs-samples/faulty:1.0.0'), sampleRate: 5, flushMs: 600_000, minFlushGapMs: 600_000, deadlineMs: 500 }, (u) => updates.push(u));
    sessions.push(s);
    await s.push(msg('error'));
    await s.idle();
    // The first error goes out at once (no update was sent before) ...
    await expect.poll(() => updates.length, { timeout: 5000 }).toBe(1);
    expect(updates[0]!.errors).toEqual([expect.objectContaining({ operation: 'map', count: 1 })]);
    for (let i = 0; i < 200; i++) await s.push(msg('error'));
    await s.idle();
    await new Promise((r) => setTimeout(r, 100));
    // ... the next ones wait for the end of the gap: nothing more was sent, and then one entry counts them all.
    expect(updates).toHaveLength(1);
    s.flush();
    expect(updates).toHaveLength(2);
    expect(updates[1]!.errors).toEqual([expect.objectContaining({ operation: 'map', message: 'faulty: requested error', count: 200 })]);
    expect(updates[1]!.counters.map).toEqual({ in: 201, out: 0, dropped: 0, errors: 201 });
  });

  it('with minFlushGapMs Infinity only the interval (or flush()) sends', async () => {
    const updates: PreviewUpdate[] = [];
    const s = await PreviewSession.start({ graph: temperature, sampleRate: 5, flushMs: 600_000, minFlushGapMs: Infinity, deadlineMs: 500 }, (u) => updates.push(u));
    sessions.push(s);
    await s.push(reading(1209));
    await s.idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(updates).toEqual([]);
    s.flush();
    expect(updates.flatMap((u) => u.samples).some((x) => x.operation === 'map' && x.event === 'out')).toBe(true);
  });

  it('reports a looping operator as an error in the session', async () => {
    const { s, updates, settle } = await start(graph('wgs-samples/faulty:1.0.0'));
    await s.push(msg('loop'));
    await s.push(msg('fine'));
    await settle();
    const errors = updates.flatMap((u) => u.errors);
    expect(errors).toEqual([expect.objectContaining({ operation: 'map', trap: true })]);
    expect(errors[0]!.message).toMatch(/deadline/);
    expect(updates.at(-1)!.counters.sink!.in).toBe(1);
  });
});
