/**
 * Delivery under faults, end to end: 20,000 QoS 1 messages through the simple
 * graph run by a real `wgs run` process, between a real persistent Mosquitto,
 * a publisher and `mosquitto_sub`. A broker restart, a SIGKILL and a SIGTERM
 * of the run must lose nothing; duplicates are counted (printed for the
 * record) and must stay within the in-flight window.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSink } from '@wgs/connectors';
import { freePort, startKafka, startPersistentMosquitto, type KafkaBroker, type RestartableBroker } from '@wgs/connectors/testing';
import { payloadFor, publishDurably, repoRoot, seqOf, startCollector, startWgsRun, tally, type Collector, type WgsRun } from './testing/fault-harness.ts';

const COUNT = 20_000;
const IN_FLIGHT = 1000;
const graph = join(repoRoot, 'packages/operators/graphs/graph-simple.yaml');

let broker: RestartableBroker;
const runs: WgsRun[] = [];
const collectors: Collector[] = [];

beforeAll(async () => {
  broker = await startPersistentMosquitto();
});
afterEach(async () => {
  for (const r of runs.splice(0)) {
    r.child.kill('SIGKILL');
    await r.exited;
  }
  await Promise.all(collectors.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await broker?.stop();
});

function runArgs(topic: string, extra: string[] = []): string[] {
  return ['--graph', graph, '--broker', broker.url, '--source', `${topic}/in`, '--sink', `${topic}/out`, '--in-flight', String(IN_FLIGHT), '--stats-interval', '3600', ...extra];
}

async function run(topic: string, extra: string[] = []): Promise<WgsRun> {
  const r = startWgsRun(runArgs(topic, extra));
  runs.push(r);
  await r.running;
  return r;
}

async function collector(topic: string): Promise<Collector> {
  const c = await startCollector(broker.port, `${topic}/out`, `collector-${topic}`);
  collectors.push(c);
  return c;
}

describe('wgs run loses nothing', () => {
  it('across a broker restart mid-stream, and reconnects by itself', async () => {
    const topic = 'fault-broker';
    const metricsPort = await freePort();
    const r = await run(topic, ['--metrics-port', String(metricsPort)]);
    const out = await collector(topic);
    let restarted: Promise<void> | undefined;
    await publishDurably(broker.url, `${topic}/in`, COUNT, {
      onProgress: (acked) => {
        if (acked === 6000) restarted = broker.restart(1800);
      },
    });
    await restarted;
    await out.waitFor(COUNT, 120_000);
    const { lost, duplicates } = tally(out.seen, COUNT);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const intoGraph = Number(/operation="source",kind="in"\} (\d+)/.exec(metrics)?.[1]);
    console.log(`broker restart: ${COUNT} published, ${intoGraph} into the graph, ${out.total} received, ${lost.length} lost, ${duplicates} duplicates`);
    expect(lost).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(2 * IN_FLIGHT);
    expect(r.stderr).toMatch(/mqtt source .*: disconnected/);
    expect(r.stderr).toMatch(/mqtt source .*: reconnected/);
    expect(metrics).toMatch(/wgs_connector_reconnects_total\{role="source"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/wgs_connector_connected\{role="sink"[^}]*\} 1/);
  }, 240_000);

  it('across a SIGKILL of the run and a restart with the same (derived) client id', async () => {
    const topic = 'fault-kill';
    const first = await run(topic);
    const out = await collector(topic);
    const published = publishDurably(broker.url, `${topic}/in`, COUNT);
    await out.waitFor(4000, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    // Down for a while: the broker queues for the session meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    const second = await run(topic);
    expect(second.stdout).toContain(first.stdout.match(/client id [^)]+/)![0]);
    await published;
    await out.waitFor(COUNT, 120_000);
    const { lost, duplicates } = tally(out.seen, COUNT);
    console.log(`SIGKILL: ${COUNT} published, ${out.total} received, ${lost.length} lost, ${duplicates} duplicates`);
    expect(lost).toEqual([]);
    // Only what was processed but not yet acknowledged when killed comes again.
    expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT);
  }, 240_000);

  it('across a SIGTERM (drained: nothing twice) and a restart', async () => {
    const topic = 'fault-term';
    const first = await run(topic);
    const out = await collector(topic);
    const published = publishDurably(broker.url, `${topic}/in`, COUNT);
    await out.waitFor(4000, 60_000);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr).toMatch(/SIGTERM: draining \d+ in-flight messages/);
    await new Promise((r) => setTimeout(r, 1500));
    await run(topic);
    await published;
    await out.waitFor(COUNT, 120_000);
    const { lost, duplicates } = tally(out.seen, COUNT);
    console.log(`SIGTERM: ${COUNT} published, ${out.total} received, ${lost.length} lost, ${duplicates} duplicates`);
    expect(lost).toEqual([]);
    expect(duplicates).toBe(0);
  }, 240_000);
});

describe('wgs run recovers from operator faults', () => {
  it('a looping operator, then an allocating one, ten times each: the next message is out within twice the deadline', async () => {
    const deadlineMs = 2000;
    const dir = mkdtempSync(join(tmpdir(), 'wgs-faulty-'));
    const faulty = join(dir, 'faulty.yaml');
    writeFileSync(faulty, [
      'metadata: { $schema: x, name: faulty, version: 1.0.0 }',
      'moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }',
      'operations:',
      '  - { operationType: source, name: source }',
      '  - { operationType: map, name: map, module: wgs-samples/faulty:1.0.0 }',
      '  - { operationType: sink, name: sink }',
      'connections:',
      '  - { from: { name: source }, to: { name: map } }',
      '  - { from: { name: map }, to: { name: sink } }',
      '',
    ].join('\n'));
    const r = startWgsRun(['--graph', faulty, '--broker', broker.url, '--source', 'ops/in', '--sink', 'ops/out', '--deadline-ms', String(deadlineMs), '--stats-interval', '3600']);
    runs.push(r);
    await r.running;
    const client = mqtt.connect(broker.url, { protocolVersion: 5 });
    await new Promise((res) => client.once('connect', res));
    const outputs: string[] = [];
    client.on('message', (_t, p) => outputs.push(p.toString()));
    await client.subscribeAsync('ops/out', { qos: 1 });
    try {
      for (const fault of ['loop', 'alloc']) {
        const rounds: number[] = [];
        for (let i = 0; i < 10; i++) {
          const t0 = Date.now();
          await client.publishAsync('ops/in', fault, { qos: 1 });
          await client.publishAsync('ops/in', `${fault}-next${i}`, { qos: 1 });
          while (!outputs.includes(`${fault}-next${i}`)) {
            if (Date.now() - t0 > 4 * deadlineMs) throw new Error(`no output after "${fault}" round ${i}:\n${r.stderr.slice(-2000)}`);
            await new Promise((res) => setTimeout(res, 10));
          }
          rounds.push(Date.now() - t0);
          expect(rounds[i], `${fault} round ${i}: ${rounds[i]} ms`).toBeLessThan(2 * deadlineMs);
        }
        console.log(`wgs run: ${fault} → next message out ${Math.min(...rounds)}–${Math.max(...rounds)} ms (deadline ${deadlineMs} ms)`);
      }
      expect(outputs).not.toContain('loop');
      expect(outputs).not.toContain('alloc');
      expect(r.stderr.match(/\[map\] trap: operator "map" ran past its 2000 ms deadline/g)).toHaveLength(10);
      expect(r.stderr).not.toMatch(/restart failed/);
    } finally {
      await client.endAsync();
    }
  }, 180_000);
});

describe('wgs run on Kafka loses nothing', () => {
  let kafka: KafkaBroker;
  beforeAll(async () => {
    kafka = await startKafka();
  }, 120_000);
  afterAll(async () => {
    await kafka?.stop();
  });

  it('across a Kafka broker restart mid-stream (offsets committed only after processing)', async () => {
    const r = startWgsRun(['--graph', graph, '--broker', kafka.url, '--source', 'fault-in', '--sink', 'fault-out', '--group', 'fault-converter', '--stats-interval', '3600']);
    runs.push(r);
    await r.running;
    // Our sink as the producer: it waits out the broker's absence and resends, so every record is written once acknowledged.
    const producer = new KafkaSink({ url: kafka.url });
    await producer.start();
    let restarted: Promise<void> | undefined;
    const batches: Promise<void>[] = [];
    for (let seq = 0; seq < COUNT; seq++) {
      batches.push(producer.publish({ topic: 'fault-in', payload: new TextEncoder().encode(payloadFor(seq)), userProperties: [] }));
      if (seq % 500 === 499) await Promise.all(batches.splice(0));
      if (seq === 8000) restarted = kafka.restart(1000);
    }
    await Promise.all(batches);
    await restarted;
    await producer.stop();
    // Kafka's own console consumer is the second opinion on what reached the output topic.
    const seen = new Map<number, number>();
    for (let attempt = 0; attempt < 20 && seen.size < COUNT; attempt++) {
      const read = kafka.tool('org.apache.kafka.tools.consumer.ConsoleConsumer', ['--bootstrap-server', kafka.bootstrap, '--topic', 'fault-out',
        '--from-beginning', '--timeout-ms', '5000'], undefined, 120_000);
      seen.clear();
      for (const line of read.stdout.split('\n')) {
        const seq = seqOf(line);
        if (seq !== undefined) seen.set(seq, (seen.get(seq) ?? 0) + 1);
      }
      if (seen.size < COUNT) await new Promise((res) => setTimeout(res, 3000));
    }
    const { lost, duplicates } = tally(seen, COUNT);
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    console.log(`Kafka broker restart: ${COUNT} produced, ${total} received, ${lost.length} lost, ${duplicates} duplicates`);
    expect(lost).toEqual([]);
    expect(r.stderr).toMatch(/kafka (source|sink) .*: (disconnected|reconnecting)/);
  }, 400_000);
});
