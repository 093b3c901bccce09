/**
 * The hub's injection answers, with a real session (worker, component) and a
 * real Mosquitto: an injection is acknowledged with the client's id, and a
 * failed one (no session, too large) comes back as an error carrying that id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { PreviewHub } from './preview-hub.ts';
import { hubClient } from './testing/hub-client.ts';

const GRAPH = `
metadata: { $schema: x, name: hub, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: map, module: azure-samples/explore-iot-operations/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: map } }
  - { from: { name: map }, to: { name: sink } }
`;

let broker: Broker;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.stop();
});


describe('preview hub injections', () => {
  it('answers an injection with its id, and a failed one with an error carrying the id', async () => {
    const hub = new PreviewHub({ resolveBroker: async () => broker.url, maxSessions: 2, maxConnections: 4, idleMs: 60_000, injectLimit: 64 });
    const c = hubClient(hub);
    const message = { topic: 'sensor/temperature/raw', payload: '{"temperature":{"value":212,"unit":"F"}}' };
    try {
      await c.send({ type: 'inject', id: 'early', message });
      expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'no-session', id: 'early' });

      await c.send({ type: 'start', graph: GRAPH, sources: ['hub/none'] });
      await c.waitFor((m) => m.type === 'started');
      await c.send({ type: 'inject', id: 'i1', message });
      expect(await c.waitFor((m) => m.type === 'injected')).toEqual({ type: 'injected', id: 'i1' });
      // The injected message went through the graph: the map converted it.
      const update = await c.waitFor((m) => m.type === 'update' && (m.counters.map?.out ?? 0) >= 1);
      expect(update.type === 'update' && update.counters.map).toMatchObject({ in: 1, out: 1, errors: 0 });

      await c.send({ type: 'inject', id: 'big', message: { topic: 't', payload: 'x'.repeat(65) } });
      expect(await c.waitFor((m) => m.type === 'error' && m.id === 'big')).toMatchObject({ code: 'payload-too-large', message: expect.stringMatching(/65 bytes; the limit is 64/) });
      // Without an id the answers carry none.
      await c.send({ type: 'inject', message });
      await c.waitFor((m) => m.type === 'injected' && m.id === undefined);
    } finally {
      await c.connection.dispose();
    }
  });
});
