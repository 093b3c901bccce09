/**
 * The live preview under faults, with a real session and a real Mosquitto
 * that the test restarts: an operator that loops forever is stopped and the
 * next message flows within twice the deadline, ten times in a row; a broker
 * restart is reported to the browser and the preview goes on by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { PreviewServerMessage } from '@wgs/api-contract';
import { startPersistentMosquitto, type RestartableBroker } from '@wgs/connectors/testing';
import { PreviewHub } from './preview-hub.ts';
import { hubClient } from './testing/hub-client.ts';

type Update = Extract<PreviewServerMessage, { type: 'update' }>;

const FAULTY = `
metadata: { $schema: x, name: faulty, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: map, module: wgs-samples/faulty:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: map } }
  - { from: { name: map }, to: { name: sink } }
`;

let broker: RestartableBroker;
let publisher: mqtt.MqttClient;
beforeAll(async () => {
  broker = await startPersistentMosquitto();
  publisher = mqtt.connect(broker.url, { protocolVersion: 5, reconnectPeriod: 200 });
  publisher.on('error', () => {});
  await new Promise((r) => publisher.once('connect', r));
});
afterAll(async () => {
  await publisher?.endAsync(true);
  await broker?.stop();
});


const mapOut = (m: PreviewServerMessage) => (m.type === 'update' ? (m.counters.map?.out ?? 0) : -1);

describe('preview under faults', () => {
  it('a looping operator, then an allocating one, ten times each: the next message flows within twice the deadline, restarts reported', async () => {
    const deadlineMs = 2000;
    const hub = new PreviewHub({ resolveBroker: async () => broker.url, maxSessions: 2, maxConnections: 4, idleMs: 60_000, injectLimit: 1024, deadlineMs });
    const c = hubClient(hub);
    try {
      await c.send({ type: 'start', graph: FAULTY, sources: ['faults/loop'] });
      await c.waitFor((m) => m.type === 'started');
      const rounds: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = Date.now();
        await publisher.publishAsync('faults/loop', 'loop', { qos: 1 });
        await publisher.publishAsync('faults/loop', `ok${i}`, { qos: 1 });
        await c.waitFor((m) => mapOut(m) >= i + 1, 4 * deadlineMs);
        rounds.push(Date.now() - t0);
        expect(rounds[i], `round ${i}: ${rounds[i]} ms`).toBeLessThan(2 * deadlineMs);
      }
      console.log(`preview: loop → next message at the browser ${Math.min(...rounds)}–${Math.max(...rounds)} ms (deadline ${deadlineMs} ms)`);
      const last = (await c.waitFor((m) => m.type === 'update' && m.health?.graph.restarts === 10)) as Update;
      expect(last.health?.graph.state).toBe('running');
      // An operator that allocates without bound traps at its memory limit and is re-instantiated.
      const allocRounds: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = Date.now();
        await publisher.publishAsync('faults/loop', 'alloc', { qos: 1 });
        await publisher.publishAsync('faults/loop', `after-alloc${i}`, { qos: 1 });
        await c.waitFor((m) => mapOut(m) >= 11 + i, 4 * deadlineMs);
        allocRounds.push(Date.now() - t0);
        expect(allocRounds[i], `alloc round ${i}: ${allocRounds[i]} ms`).toBeLessThan(2 * deadlineMs);
      }
      console.log(`preview: alloc → next message at the browser ${Math.min(...allocRounds)}–${Math.max(...allocRounds)} ms`);
      const errors = c.got.flatMap((m) => (m.type === 'update' ? m.errors : []));
      const count = (re: RegExp) => errors.filter((e) => e.operation === 'map' && re.test(e.message)).reduce((n, e) => n + e.count, 0);
      expect(count(/deadline/)).toBe(10);
      expect(errors.filter((e) => e.operation === 'map' && e.trap && !/deadline/.test(e.message)).reduce((n, e) => n + e.count, 0)).toBe(10);
    } finally {
      await c.connection.dispose();
    }
  }, 120_000);

  it('a broker restart: the browser is told the source is reconnecting, then messages flow again', async () => {
    const hub = new PreviewHub({ resolveBroker: async () => broker.url, maxSessions: 2, maxConnections: 4, idleMs: 60_000, injectLimit: 1024 });
    const c = hubClient(hub);
    try {
      await c.send({ type: 'start', graph: FAULTY, sources: ['faults/restart'] });
      await c.waitFor((m) => m.type === 'started');
      await publisher.publishAsync('faults/restart', 'before', { qos: 1 });
      await c.waitFor((m) => mapOut(m) >= 1);
      await broker.stop();
      const down = (await c.waitFor((m) => m.type === 'update' && m.health?.source?.connected === false)) as Update;
      expect(down.health?.source?.disconnects).toBe(1);
      await broker.start();
      await c.waitFor((m) => m.type === 'update' && m.health?.source?.connected === true && m.health.source.reconnects === 1);
      // The preview's clean session subscribed again: a message published now reaches it.
      await new Promise((r) => publisher.connected ? r(undefined) : publisher.once('connect', r));
      await publisher.publishAsync('faults/restart', 'after', { qos: 1 });
      await c.waitFor((m) => mapOut(m) >= 2);
    } finally {
      await c.connection.dispose();
    }
  }, 60_000);
});
