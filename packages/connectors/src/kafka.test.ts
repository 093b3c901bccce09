import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError, type ConnectorMessage } from './connector.ts';
import { fromHeaders, kafkaBrokers, KafkaSink, KafkaSource, toHeaders } from './kafka.ts';
import { sinkFor, sourceFor } from './endpoints.ts';
import { startKafka, type KafkaBroker } from './testing/kafka.ts';

let kafka: KafkaBroker;
beforeAll(async () => {
  kafka = await startKafka();
}, 120_000);
afterAll(async () => {
  await kafka?.stop();
});

const text = (m: ConnectorMessage) => new TextDecoder().decode(m.payload);
const until = async (check: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Kafka headers and URLs', () => {
  it('maps user properties (repeated keys too) and the content type to record headers and back', () => {
    const headers = toHeaders({ userProperties: [['__ts', '1:0:df'], ['k', 'a'], ['k', 'b']], contentType: 'application/json' });
    expect(headers).toEqual({ __ts: '1:0:df', k: ['a', 'b'], 'content-type': 'application/json' });
    const back = fromHeaders(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => Buffer.from(x)) : Buffer.from(v as string)])));
    expect(back).toEqual({ userProperties: [['__ts', '1:0:df'], ['k', 'a'], ['k', 'b']], contentType: 'application/json' });
  });

  it('reads kafka:// URLs and refuses other forms and MQTT filters', () => {
    expect(kafkaBrokers('kafka://a:9092,b:9093')).toEqual(['a:9092', 'b:9093']);
    expect(() => kafkaBrokers('mqtt://a:1883')).toThrow(ConnectorError);
    expect(() => new KafkaSource({ url: 'kafka://a:1' }, ['sensor/+/raw'])).toThrow(/MQTT topic filter/);
  });
});

describe('Kafka connectors against a real broker', () => {
  it('a record the sink writes is what Kafka\'s own console consumer reads, headers included', async () => {
    const sink = sinkFor(kafka.url);
    await sink.start();
    await sink.publish({ topic: 'wgs-out', payload: new TextEncoder().encode('{"temperature":{"value":21,"unit":"C"}}'), userProperties: [['__ts', '001758255553528:00000:df']], contentType: 'application/json' });
    await sink.stop();
    const r = kafka.tool('org.apache.kafka.tools.consumer.ConsoleConsumer', ['--bootstrap-server', kafka.bootstrap, '--topic', 'wgs-out', '--from-beginning', '--max-messages', '1',
      '--property', 'print.headers=true', '--timeout-ms', '20000']);
    expect(r.stdout, r.stderr).toContain('{"temperature":{"value":21,"unit":"C"}}');
    expect(r.stdout).toContain('__ts:001758255553528:00000:df');
    expect(r.stdout).toContain('content-type:application/json');
  }, 60_000);

  it('the source receives what Kafka\'s console producer writes, with its headers', async () => {
    const got: ConnectorMessage[] = [];
    // A new topic: from its beginning, so nothing written while the group joins is missed.
    const source = new KafkaSource({ url: kafka.url, groupId: 'console', fromBeginning: true }, ['wgs-in']);
    await source.start(async (m) => void got.push(m));
    const r = kafka.tool('kafka.tools.ConsoleProducer', ['--bootstrap-server', kafka.bootstrap, '--topic', 'wgs-in',
      '--property', 'parse.headers=true', '--property', 'headers.delimiter=\t'], '__ts:001758255553528:00000:df\t{"temperature":{"value":70,"unit":"F"}}\n');
    expect(r.status, r.stderr).toBe(0);
    await until(() => got.length === 1);
    await source.stop();
    expect(got[0]).toMatchObject({ topic: 'wgs-in', userProperties: [['__ts', '001758255553528:00000:df']] });
    expect(text(got[0]!)).toBe('{"temperature":{"value":70,"unit":"F"}}');
  }, 90_000);

  it('commits an offset only after the graph processed the record: a restarted group resumes after it', async () => {
    const sink = new KafkaSink({ url: kafka.url });
    await sink.start();
    const send = (v: string) => sink.publish({ topic: 'wgs-resume', payload: new TextEncoder().encode(v), userProperties: [] });
    await send('created');
    const first: string[] = [];
    const a = new KafkaSource({ url: kafka.url, groupId: 'resume', fromBeginning: true }, ['wgs-resume']);
    await a.start(async (m) => void first.push(text(m)));
    await send('one');
    await send('two');
    await until(() => first.length === 3);
    await a.stop();
    await send('three');
    const second: string[] = [];
    const b = new KafkaSource({ url: kafka.url, groupId: 'resume', fromBeginning: true }, ['wgs-resume']);
    await b.start(async (m) => void second.push(text(m)));
    await until(() => second.length === 1);
    await new Promise((r) => setTimeout(r, 500));
    await b.stop();
    await sink.stop();
    expect(first).toEqual(['created', 'one', 'two']);
    expect(second).toEqual(['three']);
  }, 90_000);

  it('a new group starting at the newest record gets what is written as soon as start() resolves', async () => {
    const sink = sinkFor(kafka.url);
    await sink.start();
    await sink.publish({ topic: 'wgs-latest', payload: new TextEncoder().encode('before'), userProperties: [] });
    for (const group of ['latest-1', 'latest-2', 'latest-3']) {
      const got: string[] = [];
      const source = sourceFor(kafka.url, ['wgs-latest'], { groupId: group });
      await source.start(async (m) => void got.push(text(m)));
      await sink.publish({ topic: 'wgs-latest', payload: new TextEncoder().encode(group), userProperties: [] });
      await until(() => got.length >= 1);
      await source.stop();
      expect(got).toEqual([group]);
    }
    await sink.stop();
  }, 90_000);

  it('a new group that crashes right after start() resumes where it started, not at a newer end', async () => {
    const sink = sinkFor(kafka.url);
    await sink.start();
    await sink.publish({ topic: 'wgs-pinned', payload: new TextEncoder().encode('before'), userProperties: [] });
    // The first runtime: start() resolves, then SIGKILL before any record (nothing of its own to commit).
    const crashed = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/kafka-crash-after-start.ts', import.meta.url)), kafka.url, 'wgs-pinned', 'pinned'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', (_code, signal) => resolve(`${out.trim()} ${signal}`));
    });
    expect(crashed).toBe('started SIGKILL');
    await sink.publish({ topic: 'wgs-pinned', payload: new TextEncoder().encode('while-down'), userProperties: [] });
    const second: string[] = [];
    const b = sourceFor(kafka.url, ['wgs-pinned'], { groupId: 'pinned' });
    await b.start(async (m) => void second.push(text(m)));
    await until(() => second.length >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await b.stop();
    await sink.stop();
    expect(second).toEqual(['while-down']);
  }, 120_000);

  it('says clearly when the broker cannot be reached', async () => {
    const sink = new KafkaSink({ url: 'kafka://127.0.0.1:1', connectTimeoutMs: 1000 });
    await expect(sink.start()).rejects.toThrow(/^kafka:\/\/127\.0\.0\.1:1: no connection to the Kafka broker/);
  }, 60_000);
});
