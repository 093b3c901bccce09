/**
 * Filter `validateSchema: true` (reference aio-builtin-transforms.md §3.2,
 * §1.3): the payload is validated before the rules against the schema the
 * `schemaRef` names (set by a DataflowGraph from the incoming connection),
 * read from the host's schema registry. REAL component (`pnpm build` first).
 */
import { hlcFromMillis, loadGraphDefinition } from '@wgs/graph-model';
import { embeddedRegistry, pullArtifact } from '@wgs/registry';
import { describe, expect, it } from 'vitest';
import { InitFailedError } from '../components/operator-instance.ts';
import { fromUtf8, utf8, type MessageItem } from '../data-model.ts';
import type { LocalSchema } from '../host/imports.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import { GraphEngine, type EngineEvent } from './graph-engine.ts';
import { instantiateGraph, type LogRecord } from './graph-instance.ts';

const resolver = new LayoutModuleResolver();
const REF = 'aio-sr://factory/temperature:1';
const TEMPERATURE: LocalSchema = {
  name: 'temperature', namespace: 'factory', version: '1', format: 'json',
  content: JSON.stringify({ type: 'object', required: ['temperature'], properties: { temperature: { type: 'number' }, unit: { enum: ['C', 'F'] } } }),
};

async function filter(rules: object, o: { schemaRef?: string; schemas?: LocalSchema[] } = {}) {
  const pulled = await pullArtifact(embeddedRegistry(), 'azureiotoperations/graph-dataflow-filter', '1.0.0', { expect: 'graph' });
  const g = loadGraphDefinition(new TextDecoder().decode(pulled.content));
  const logs: LogRecord[] = [];
  const configuration = { rules: JSON.stringify(rules), ...(o.schemaRef ? { schemaRef: o.schemaRef } : {}) };
  const gi = await instantiateGraph({ graph: g, resolver, configuration, schemas: o.schemas ?? [TEMPERATURE], onLog: (r) => logs.push(r) }).catch((e: unknown) => {
    if (e instanceof InitFailedError) throw new Error(logs.filter((l) => l.level === 'error').map((l) => l.message).join('\n'));
    throw e;
  });
  const outputs: string[] = [];
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const engine = new GraphEngine(g, gi.instances, { onSink: (_, item) => outputs.push(fromUtf8((item as MessageItem).payload)), onError: (e) => errors.push(e) });
  const send = (...payloads: string[]) => payloads.forEach((p, i) => engine.ingest({ kind: 'message', timestamp: hlcFromMillis(1_000 + i, 0n, 'n'), topic: utf8('t'), payload: utf8(p), userProperties: [] }));
  return { send, outputs, errors, logs, engine };
}

describe('filter validateSchema', () => {
  it('drops payloads that do not conform (or are not JSON) before the rules; conforming ones go on to the rules', async () => {
    const f = await filter({ validateSchema: true, filter: [{ inputs: ['temperature'], expression: '$1 > 100' }] }, { schemaRef: REF });
    f.send('{"temperature":21.5,"unit":"C"}', '{"temperature":"warm"}', '{"unit":"K","temperature":1}', 'not json', '{"humidity":50}', '{"temperature":150}');
    expect(f.errors).toEqual([]);
    expect(f.outputs).toEqual(['{"temperature":21.5,"unit":"C"}']);
    expect(f.engine.counters.get('filter')).toEqual({ in: 6, out: 1, dropped: 5, errors: 0 });
    expect(f.logs.map((l) => l.message).filter((m) => m.startsWith('dropped'))).toEqual([
      'dropped: the payload does not conform to the schema: /temperature: must be number',
      'dropped: the payload does not conform to the schema: /unit: is not one of the enum values',
      expect.stringMatching(/^dropped: the payload does not conform to the schema: the payload is not JSON/),
      'dropped: the payload does not conform to the schema: the payload: property "temperature" is required',
    ]);
  });

  it('validates only with "filter": []; validateSchema false ignores the schema', async () => {
    const only = await filter({ validateSchema: true, filter: [] }, { schemaRef: REF });
    only.send('{"temperature":1}', '{}');
    expect(only.outputs).toEqual(['{"temperature":1}']);
    const off = await filter({ validateSchema: false, filter: [] }, { schemaRef: REF });
    off.send('{}');
    expect(off.outputs).toEqual(['{}']);
  });

  it('takes the reference\'s form without a namespace, aio-sr://<name>:<version> (the registry looks it up by name)', async () => {
    const f = await filter({ validateSchema: true, filter: [] }, { schemaRef: 'aio-sr://temperature:1' });
    f.send('{"temperature":1}', '{}');
    expect(f.outputs).toEqual(['{"temperature":1}']);
  });

  it('refuses to start without a usable schema', async () => {
    const on = { validateSchema: true, filter: [] };
    await expect(filter(on)).rejects.toThrow(/validateSchema: no schema: give the incoming connection a schemaRef/);
    await expect(filter(on, { schemaRef: 'factory/temperature:1' })).rejects.toThrow(/is not aio-sr:\/\/<namespace>\/<name>:<version> \(or aio-sr:\/\/<name>:<version>\)/);
    await expect(filter(on, { schemaRef: 'aio-sr://a/b/c:1' })).rejects.toThrow(/is not aio-sr:\/\/<namespace>\/<name>:<version>/);
    await expect(filter(on, { schemaRef: 'aio-sr://factory/temperature:2' })).rejects.toThrow(/schema aio-sr:\/\/factory\/temperature:2: not found in the schema registry/);
    const remote = { ...TEMPERATURE, content: '{"$ref":"https://example.com/s.json"}' };
    await expect(filter(on, { schemaRef: REF, schemas: [remote] })).rejects.toThrow(/only local references/);
    await expect(filter(on, { schemaRef: REF, schemas: [{ ...TEMPERATURE, format: 'delta' }] })).rejects.toThrow(/is not a JSON schema/);
  });
});
