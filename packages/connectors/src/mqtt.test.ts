import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorMessage } from './connector.ts';
import { MqttSink, MqttSource } from './mqtt.ts';
import { startMosquitto, type Broker } from './testing/mosquitto.ts';

const run = promisify(execFile);
let broker: Broker;

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.stop();
});

/** Collects messages until `n` arrived (or times out). */
function collector(n: number) {
  const got: ConnectorMessage[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  return {
    got,
    all,
    handler: async (m: ConnectorMessage) => {
      got.push(m);
      if (got.length >= n) done();
    },
  };
}

describe('MqttSource', () => {
  it('receives what mosquitto_pub publishes, with MQTT 5 user properties and content type', async () => {
    const c = collector(1);
    const source = new MqttSource({ url: broker.url }, ['sensors/+/raw']);
    await source.start(c.handler);
    await run('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'sensors/t1/raw',
      '-D', 'PUBLISH', 'user-property', '__ts', '1758255553528:0:df',
      '-D', 'PUBLISH', 'user-property', 'site', 'berlin',
      '-D', 'PUBLISH', 'content-type', 'application/json',
      '-m', '{"temperature":{"value":70,"unit":"F"}}']);
    await c.all;
    await source.stop();
    const m = c.got[0]!;
    expect(m.topic).toBe('sensors/t1/raw');
    expect(new TextDecoder().decode(m.payload)).toBe('{"temperature":{"value":70,"unit":"F"}}');
    expect(m.userProperties).toEqual(expect.arrayContaining([['__ts', '1758255553528:0:df'], ['site', 'berlin']]));
    expect(m.contentType).toBe('application/json');
    expect(m.qos).toBe(1);
  });

  it('does not lose QoS 1 messages published while it was disconnected (persistent session)', async () => {
    const clientId = `wgs-test-${Date.now()}`;
    const first = new MqttSource({ url: broker.url, clientId }, ['durable/#']);
    await first.start(async () => {});
    await first.stop();
    for (let i = 0; i < 5; i++) {
      await run('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', `durable/${i}`, '-m', `m${i}`]);
    }
    const c = collector(5);
    const second = new MqttSource({ url: broker.url, clientId }, ['durable/#']);
    await second.start(c.handler);
    await c.all;
    await second.stop();
    expect(c.got.map((m) => new TextDecoder().decode(m.payload)).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('fails with a clear error when the broker is unreachable', async () => {
    const source = new MqttSource({ url: 'mqtt://127.0.0.1:1', connectTimeoutMs: 1500 }, ['x']);
    await expect(source.start(async () => {})).rejects.toThrow(/mqtt:\/\/127\.0\.0\.1:1/);
  });
});

describe('MqttSink', () => {
  it('publishes payload, user properties and content type that mosquitto_sub sees', async () => {
    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'out/#', '-C', '1', '-F', '%t|%C|%P|%p']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => sub.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    const sink = new MqttSink({ url: broker.url });
    await sink.start();
    await sink.publish({ topic: 'out/a', payload: new TextEncoder().encode('{"ok":true}'), userProperties: [['__ts', '001758255553528:00000:wgs'], ['k', 'v']], contentType: 'application/json' });
    await exited;
    await sink.stop();
    const [topic, contentType, props, payload] = out.trim().split('|');
    expect(topic).toBe('out/a');
    expect(contentType).toBe('application/json');
    expect(props).toContain('__ts:001758255553528:00000:wgs');
    expect(props).toContain('k:v');
    expect(payload).toBe('{"ok":true}');
  });
});
