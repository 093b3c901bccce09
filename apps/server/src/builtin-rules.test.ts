/**
 * The built-ins' rule checks on the server: saving (POST/PUT), validating and
 * planning a deploy of a DataflowGraph whose Graph nodes are built-ins
 * (`azureiotoperations/graph-dataflow-*`) refuse bad rules with 422 and the
 * problem located at the configuration value, as the designer refuses to save.
 * The real app on a file store; a second file store is the cluster. Needs
 * `pnpm build` (the built-ins in the embedded registry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_VERSION, FileStore } from '@wgs/cluster-store';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';

const TOKEN = 'test-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const GOOD = '{"map":[{"inputs":["temperature.value"],"output":"temperature_f","expression":"cToF($1)"}]}';
const BAD = '{"map":[{"inputs":["temperature.value"],"output":"temperature_f","expression":"cToF($2)"}]}';

/** Source → map (built-in) → destination; `configuration` of the map node as given. */
const flow = (name: string, configuration: { key: string; value: string }[], artifact = 'azureiotoperations/graph-dataflow-map:1.0.0') => ({
  apiVersion: API_VERSION,
  kind: 'DataflowGraph',
  metadata: { name },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
      { nodeType: 'Graph', name: 'convert', graphSettings: { registryEndpointRef: 'default', artifact, configuration } },
      { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'processed' } },
    ],
    nodeConnections: [{ from: { name: 'source' }, to: { name: 'convert' } }, { from: { name: 'convert' }, to: { name: 'destination' } }],
  },
});

const located = (path: string, message: RegExp) => expect.objectContaining({ path, rule: 'builtin-rules', severity: 'error', message: expect.stringMatching(message) });

let app: FastifyInstance;
const dirs: string[] = [];

beforeAll(async () => {
  const dir = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), p));
    dirs.push(d);
    return d;
  };
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: dir('wgs-builtin-rules-'), logLevel: 'silent' });
  app = await buildApp(config, { store: new FileStore(config.storeDir), cluster: new FileStore(dir('wgs-builtin-cluster-')), webDir: false });
});
afterAll(async () => {
  await app?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('built-in rules checked by the server', () => {
  it('saves good rules and refuses a bad expression with 422 at the configuration value', async () => {
    const ok = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: flow('rules-ok', [{ key: 'rules', value: GOOD }]) });
    expect(ok.statusCode).toBe(201);
    // A second entry before `rules`: the located index is the entry's own.
    const r = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: flow('rules-bad', [{ key: 'note', value: 'x' }, { key: 'rules', value: BAD }]) });
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.code).toBe('invalid-resource');
    expect(body.message).toContain('spec.nodes[1].graphSettings.configuration[1].value: rule 1: the expression uses $2 but the rule has 1 input(s)');
    expect(body.where).toEqual([located('spec.nodes[1].graphSettings.configuration[1].value', /\$2 but the rule has 1 input/)]);
    expect((await app.inject({ url: '/api/dataflowgraphs/rules-bad', headers: auth })).statusCode).toBe(404);
  });

  it('refuses a PUT with broken JSON or a missing required key and keeps the stored version', async () => {
    const stored = (await app.inject({ url: '/api/dataflowgraphs/rules-ok', headers: auth })).json();
    const half = { ...stored, spec: flow('rules-ok', [{ key: 'rules', value: '{"map":[{"inputs":["a"],' }]).spec };
    const r = await app.inject({ method: 'PUT', url: '/api/dataflowgraphs/rules-ok', headers: auth, payload: half });
    expect(r.statusCode).toBe(422);
    expect(r.json().where).toEqual([located('spec.nodes[1].graphSettings.configuration[0].value', /JSON/i)]);
    const none = { ...stored, spec: flow('rules-ok', []).spec };
    const missing = await app.inject({ method: 'PUT', url: '/api/dataflowgraphs/rules-ok', headers: auth, payload: none });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().where).toEqual(expect.arrayContaining([located('spec.nodes[1].graphSettings', /"rules" is required/)]));
    const after = (await app.inject({ url: '/api/dataflowgraphs/rules-ok', headers: auth })).json();
    expect(after.spec.nodes[1].graphSettings.configuration).toEqual([{ key: 'rules', value: GOOD }]);
  });

  it('reports the same problems from /validate, and leaves other graphs\' configuration alone', async () => {
    const v = (await app.inject({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: auth, payload: flow('rules-check', [{ key: 'rules', value: BAD }]) })).json();
    expect(v.valid).toBe(false);
    expect(v.diagnostics).toEqual([located('spec.nodes[1].graphSettings.configuration[0].value', /\$2/)]);
    // Not a built-in: `rules` is that graph's own parameter, not checked here.
    const other = flow('not-builtin', [{ key: 'rules', value: BAD }], 'azure-samples/explore-iot-operations/graph-simple:1.0.0');
    other.spec.nodes[1]!.graphSettings!.registryEndpointRef = 'embedded';
    const o = (await app.inject({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: auth, payload: other })).json();
    expect(o.diagnostics.filter((d: { rule: string }) => d.rule === 'builtin-rules')).toEqual([]);
  });

  it('refuses to plan a deploy of a draft with bad rules, and plans good ones', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/dataflowgraphs/rules-ok/deploy', headers: auth, payload: { apply: false, draft: flow('rules-ok', [{ key: 'rules', value: BAD }]) } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().where).toEqual([located('spec.nodes[1].graphSettings.configuration[0].value', /\$2/)]);
    const good = await app.inject({ method: 'POST', url: '/api/dataflowgraphs/rules-ok/deploy', headers: auth, payload: { apply: false } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ name: 'rules-ok', applied: false });
  });

  it('checks window 1.1.0 triggers on save (a running function misused is a 422 at the triggers entry) and saves good ones', async () => {
    const window11 = 'azureiotoperations/graph-dataflow-window:1.1.0';
    const rules = { key: 'rules', value: '{"accumulate":[{"inputs":["v"],"output":"n","expression":"count($1)"}]}' };
    const trig = (trigger: string) => ({ key: 'triggers', value: JSON.stringify({ type: 'expression', rules: [{ inputs: ['v'], trigger }] }) });
    const bad = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: flow('window-bad', [rules, { key: 'count', value: '{"type":"messageCount","maxMessageCount":5}' }, trig('running_sum($1 + 1) > 10')], window11) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().where).toEqual([located('spec.nodes[1].graphSettings.configuration[2].value', /^trigger 1: running_sum\(\) takes exactly one positional variable/)]);
    const ok = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: flow('window-ok', [rules, trig('running_sum($1) + $1 >= 10')], window11) });
    expect(ok.statusCode).toBe(201);
  });

  it("warns (and still saves) a filter validating with no schema; the incoming connection's schemaRef or a valid override silences it", async () => {
    const filter = 'azureiotoperations/graph-dataflow-filter:1.0.0';
    const validating = { key: 'rules', value: '{"validateSchema":true,"filter":[]}' };
    const none = (await app.inject({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: auth, payload: flow('schema-none', [validating], filter) })).json();
    expect(none.valid).toBe(true);
    expect(none.diagnostics).toEqual([expect.objectContaining({ path: 'spec.nodes[1].graphSettings.configuration[0].value', rule: 'builtin-rules', severity: 'warning', message: expect.stringMatching(/validateSchema is on but no incoming connection has a schema/) })]);
    const connected = flow('schema-connection', [validating], filter);
    (connected.spec.nodeConnections[0]!.from as { schema?: unknown }).schema = { schemaRef: 'aio-sr://factory/temperature:1', serializationFormat: 'Json' };
    expect((await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: connected })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: auth, payload: connected })).json().diagnostics).toEqual([]);
    const malformed = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: flow('schema-bad', [validating, { key: 'schemaRef', value: 'aio-sr://factory' }], filter) });
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().where).toEqual([located('spec.nodes[1].graphSettings.configuration[1].value', /schemaRef "aio-sr:\/\/factory" has no :<version>/)]);
  });
});
