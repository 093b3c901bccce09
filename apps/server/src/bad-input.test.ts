/**
 * Every bad-input class of docs/bad-input.md against the real app (real
 * store, real registries on loopback; the endless registry is a named
 * fault-injecting fake): each gets its 4xx (or 502 for a registry's fault)
 * with `{code, message, where?}`, and heavy documents do not stall the event loop.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ERROR_CODES } from '@wgs/api-contract';
import { FileStore } from '@wgs/cluster-store';
import { LIMITS } from '@wgs/graph-model';
import { manyKeysGraphYaml, manyNodesGraph, manyTopicsGraph } from '@wgs/graph-model/testing';
import { pushArtifact, RegistryClient } from '@wgs/registry';
import { freePort, startDockerRegistry, startEndlessRegistry, type EndlessRegistry, type TestRegistry } from '@wgs/registry/testing';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';
import { MAX_JSON_DEPTH } from './plugins/request-hygiene.ts';

const TOKEN = 'bad-input-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const API = 'connectivity.iotoperations.azure.com/v1';

let app: FastifyInstance;
let base: string;
let endless: EndlessRegistry;
let registry: TestRegistry;

const registryEndpoint = (name: string, host: string) => ({
  apiVersion: API, kind: 'RegistryEndpoint', metadata: { name }, spec: { host, authentication: { method: 'Anonymous' } },
});

beforeAll(async () => {
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: mkdtempSync(join(tmpdir(), 'wgs-bad-input-')), logLevel: 'silent' });
  app = await buildApp(config, { store: new FileStore(config.storeDir), webDir: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  [endless, registry] = await Promise.all([startEndlessRegistry(), startDockerRegistry()]);
  // A core wasm module (not a component) in a real registry.
  const core = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await pushArtifact(new RegistryClient({ registry: registry.host }), 'samples/core', ['1.0.0'], { kind: 'module', content: core, fileName: 'core.wasm' });
  const down = `127.0.0.1:${await freePort()}`;
  for (const [name, host] of [['endless', endless.host], ['down', down], ['real', registry.host]]) {
    const r = await app.inject({ method: 'POST', url: '/api/registryendpoints', headers: auth, payload: registryEndpoint(name!, host!) });
    expect(r.statusCode).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await endless?.stop();
  await registry?.stop();
});

/** The answer's status and body, checked to have the error shape. */
async function refused(options: InjectOptions): Promise<{ status: number; body: { code: string; message: string; where?: Record<string, unknown>[] } }> {
  const r = await app.inject({ ...options, headers: { ...auth, ...options.headers } });
  const body = r.json();
  expect(body).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  expect(Object.keys(body).every((k) => ['code', 'message', 'where', 'current'].includes(k))).toBe(true);
  return { status: r.statusCode, body };
}

const pushGraph = (yaml: string) => ({ method: 'POST' as const, url: '/api/registryendpoints/embedded/graph', payload: { repository: 'bad-input/graph', tag: '1.0.0', yaml } });

describe('documents', () => {
  it('malformed YAML: 422 with the syntax error located', async () => {
    const { status, body } = await refused(pushGraph('metadata: { name: x\noperations: ['));
    expect(status).toBe(422);
    expect(body.code).toBe(ERROR_CODES.invalid);
    expect(body.where?.[0]).toMatchObject({ rule: 'yaml-syntax', line: expect.any(Number) });
  });

  it('invalid graph definition: 422 with located diagnostics', async () => {
    const yaml = manyKeysGraphYaml(1).replace('to: { name: sink }', 'to: { name: nowhere }');
    const { status, body } = await refused(pushGraph(yaml));
    expect(status).toBe(422);
    expect(body.where).toContainEqual(expect.objectContaining({ rule: 'references', path: 'connections[1].to.name', line: 9 }));
  });

  it('20,000-key YAML: 422 at the oversized map', async () => {
    const { status, body } = await refused(pushGraph(manyKeysGraphYaml(20_000)));
    expect(status).toBe(422);
    expect(body.where).toEqual([expect.objectContaining({ path: 'moduleConfigurations[0].parameters', line: 12, message: `too many entries: at most ${LIMITS.parametersPerOperation} allowed` })]);
  });

  it('5,000-node DataflowGraph: 422 at spec.nodes, nothing stored', async () => {
    const { status, body } = await refused({ method: 'POST', url: '/api/dataflowgraphs', payload: manyNodesGraph(2_500, 'five-thousand') });
    expect(status).toBe(422);
    expect(body.where).toEqual([expect.objectContaining({ path: 'spec.nodes', message: `too many items: at most ${LIMITS.nodes} allowed` })]);
    expect((await app.inject({ url: '/api/dataflowgraphs/five-thousand', headers: auth })).statusCode).toBe(404);
  });

  it('40,000-topic DataflowGraph whose destination loops into a source: 422 topic-loop', async () => {
    const graph = manyTopicsGraph(40, 1_000, 900, 'forty-thousand');
    const destination = graph.spec.nodes.find((n) => n.nodeType === 'Destination');
    if (destination?.nodeType !== 'Destination') throw new Error('no destination');
    destination.destinationSettings.dataDestination = 'p/0/c1';
    const { status, body } = await refused({ method: 'POST', url: '/api/dataflowgraphs', payload: graph });
    expect(status).toBe(422);
    expect(body.where).toEqual([expect.objectContaining({ rule: 'topic-loop', path: 'spec.nodes[40].destinationSettings.dataDestination' })]);
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels (2,000): 400 json-too-deep, not a stack overflow`, async () => {
    const deep = `${'['.repeat(2_000)}1${']'.repeat(2_000)}`;
    const { status, body } = await refused({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: { 'content-type': 'application/json' }, payload: `{"kind":"DataflowGraph","spec":${deep}}` });
    expect(status).toBe(400);
    expect(body).toEqual({ code: ERROR_CODES.tooDeep, message: `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels` });
  });

  it('brackets inside JSON strings do not count as nesting', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/graph-definitions/validate', headers: auth, payload: { yaml: `${'['.repeat(5_000)}` } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ valid: false, diagnostics: [expect.objectContaining({ rule: 'yaml-syntax', message: 'YAML: nested deeper than 128 levels' })] });
  });

  it('YAML nested too deeply to parse: reported as a syntax error, not a 500', async () => {
    const { status, body } = await refused(pushGraph(`${'['.repeat(50_000)}1${']'.repeat(50_000)}`));
    expect(status).toBe(422);
    expect(body.where?.[0]).toMatchObject({ rule: 'yaml-syntax' });
  });
});

describe('names and references', () => {
  it.each([
    ['a%2fb', 'a slash'],
    ['caf%C3%A9', 'unicode'],
    ['UPPER', 'uppercase'],
    ['a..b', 'an empty label'],
    [`${'a'.repeat(254)}`, 'over 253 characters'],
  ])('resource name %s (%s): 400 invalid-name', async (name) => {
    for (const url of [`/api/dataflowgraphs/${name}`, `/api/registryendpoints/${name}/repositories`, `/api/dataflowgraphs/${name}/deployment`]) {
      const { status, body } = await refused({ url });
      expect({ url, status, code: body.code }).toEqual({ url, status: 400, code: ERROR_CODES.invalidName });
    }
  });

  it('a name too long for the router (over 1,000 characters): 414 in the error shape', async () => {
    const { status, body } = await refused({ url: `/api/dataflowgraphs/${'a'.repeat(1_001)}` });
    expect(status).toBe(414);
    expect(body.code).toBe(ERROR_CODES.badRequest);
  });

  it('malformed percent-encoding in the URL: 400 in the error shape', async () => {
    const { status, body } = await refused({ url: '/api/dataflowgraphs/%zz' });
    expect(status).toBe(400);
    expect(body.code).toBe(ERROR_CODES.badRequest);
  });

  it('.. as a name: 400 with the reason, never a path outside the store', async () => {
    const { status, body } = await refused({ url: '/api/dataflowgraphs/..' });
    expect(status).toBe(400);
    expect(body.message).toMatch(/resource kind|resource name/);
  });

  it('a name Kubernetes accepts but the embedded store cannot hold: 400 with the reason', async () => {
    const { status, body } = await refused({ url: '/api/dataflowgraphs/a.b' });
    expect(status).toBe(400);
    expect(body).toEqual({ code: ERROR_CODES.invalidName, message: expect.stringContaining('invalid name "a.b"') });
  });

  it('bad artifact references: 400 invalid-reference with the reason', async () => {
    let r = await refused({ url: '/api/registryendpoints/embedded/graph?artifact=Not%20A%20Ref' });
    expect(r).toEqual({ status: 400, body: { code: ERROR_CODES.invalidReference, message: 'graph reference "Not A Ref": invalid repository "Not A Ref" in "Not A Ref"' } });
    r = await refused({ url: '/api/registryendpoints/embedded/module?module=no-version' });
    expect(r).toEqual({ status: 400, body: { code: ERROR_CODES.invalidReference, message: 'module reference "no-version": "no-version" names no tag or digest (expected name:version)' } });
    r = await refused({ method: 'POST', url: '/api/registryendpoints/embedded/graph', payload: { repository: 'Upper/Case', tag: '1.0.0', yaml: 'x: 1' } });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(ERROR_CODES.invalidReference);
  });

  it('a DataflowGraph naming an artifact without a version: 422 at the artifact', async () => {
    const graph = manyNodesGraph(1, 'bad-artifact');
    graph.spec.nodes.push({ nodeType: 'Graph', name: 't', graphSettings: { registryEndpointRef: 'embedded', artifact: 'no-version' } });
    const { status, body } = await refused({ method: 'POST', url: '/api/dataflowgraphs', payload: graph });
    expect(status).toBe(422);
    expect(body.where).toContainEqual(expect.objectContaining({ rule: 'artifact', path: 'spec.nodes[2].graphSettings.artifact' }));
  });

  it('a core wasm module where a component is needed: 422 wrong-artifact', async () => {
    const { status, body } = await refused({ url: '/api/registryendpoints/real/module?module=samples/core:1.0.0' });
    expect(status).toBe(422);
    expect(body.code).toBe(ERROR_CODES.wrongArtifact);
    expect(body.message).toMatch(/component/i);
  });

  it('an unknown module: 404 artifact-not-found', async () => {
    const { status, body } = await refused({ url: '/api/registryendpoints/real/module?module=samples/missing:1.0.0' });
    expect(status).toBe(404);
    expect(body.code).toBe(ERROR_CODES.artifactNotFound);
  });
});

describe('bodies', () => {
  it('a body over 1 MiB: 413 payload-too-large', async () => {
    const { status, body } = await refused({ method: 'POST', url: '/api/graph-definitions/validate', payload: { yaml: 'x'.repeat(1_100_000) } });
    expect(status).toBe(413);
    expect(body.code).toBe(ERROR_CODES.tooLarge);
  });

  it('a body that is not JSON, or empty: 400', async () => {
    for (const payload of ['not json', '']) {
      const { status, body } = await refused({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: { 'content-type': 'application/json' }, payload });
      expect({ payload, status, code: body.code }).toEqual({ payload, status: 400, code: ERROR_CODES.badRequest });
    }
  });

  it('a JSON body with __proto__: 400', async () => {
    const { status } = await refused({ method: 'POST', url: '/api/dataflowgraphs/validate', headers: { 'content-type': 'application/json' }, payload: '{"kind":"DataflowGraph","__proto__":{"x":1}}' });
    expect(status).toBe(400);
  });
});

describe('registries that misbehave', () => {
  it('an endless catalog: 502 registry-answer-too-large, the read stopped at 4 MiB', async () => {
    const { status, body } = await refused({ url: '/api/registryendpoints/endless/repositories' });
    expect(status).toBe(502);
    expect(body).toEqual({ code: ERROR_CODES.registryTooLarge, message: `registry ${endless.host}: catalog (page 1): the answer is larger than 4194304 bytes (4 MiB); stopped reading it` });
  });

  it('an endless manifest: 502 registry-answer-too-large', async () => {
    const { status, body } = await refused({ url: '/api/registryendpoints/endless/module?module=samples/any:1.0.0' });
    expect(status).toBe(502);
    expect(body.code).toBe(ERROR_CODES.registryTooLarge);
  });

  it('an unreachable registry: 502 registry-unreachable naming it', async () => {
    const { status, body } = await refused({ url: '/api/registryendpoints/down/repositories' });
    expect(status).toBe(502);
    expect(body).toEqual({ code: ERROR_CODES.registryUnreachable, message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('an unknown registry endpoint: 404', async () => {
    const { status, body } = await refused({ url: '/api/registryendpoints/nowhere/repositories' });
    expect(status).toBe(404);
    expect(body.code).toBe(ERROR_CODES.notFound);
  });
});

describe('the event loop while heavy documents are validated', () => {
  /** One round: the three heavy bodies in flight, /healthz probed every 10 ms; the probes' latencies. */
  async function probeRound(bodies: { keys: string; nodes: string; topics: string }): Promise<{ latencies: number[]; heavyMs: number }> {
    const post = (url: string, body: string) => fetch(`${base}${url}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    const latencies: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const sent = performance.now();
        const r = await fetch(`${base}/healthz`);
        await r.arrayBuffer();
        latencies.push(performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = performance.now();
    const [keys, nodes, topics] = await Promise.all([
      post('/api/graph-definitions/validate', bodies.keys),
      post('/api/dataflowgraphs/validate', bodies.nodes),
      post('/api/dataflowgraphs/validate', bodies.topics),
    ]);
    const heavyMs = performance.now() - started;
    probing = false;
    await probe;
    expect(await keys.json()).toMatchObject({ valid: false, diagnostics: [expect.objectContaining({ path: 'moduleConfigurations[0].parameters' })] });
    expect(await nodes.json()).toMatchObject({ valid: false, diagnostics: [expect.objectContaining({ path: 'spec.nodes' })] });
    expect(await topics.json()).toEqual({ valid: true, diagnostics: [] });
    // The probe ran throughout: enough answers to mean something.
    expect(latencies.length).toBeGreaterThan(Math.min(20, heavyMs / 50));
    return { latencies, heavyMs };
  }

  // Validation on the event loop blocked it for 7-9 s per document. The bound is 100 ms; with
  // two shared cores and other test files running in parallel a round can be starved of CPU,
  // so up to three rounds are run and the best must meet it (any real blocking fails all three),
  // while no round may ever reach a second.
  it('answers /healthz within 100 ms while a 20,000-key YAML, a 5,000-node graph and a 40,000-topic graph are validated', async () => {
    // Bodies built before probing: building them is the test's own work on the same event loop.
    const bodies = {
      keys: JSON.stringify({ yaml: manyKeysGraphYaml(20_000) }),
      nodes: JSON.stringify(manyNodesGraph(2_500)),
      topics: JSON.stringify(manyTopicsGraph(40, 1_000, 900)),
    };
    const maxima: number[] = [];
    for (let round = 0; round < 3 && !(maxima.length && Math.min(...maxima) < 100); round++) {
      const { latencies, heavyMs } = await probeRound(bodies);
      maxima.push(Math.max(...latencies));
      console.log(`healthz under load, round ${round + 1}: ${latencies.length} probes in ${heavyMs.toFixed(0)} ms, max ${maxima.at(-1)!.toFixed(1)} ms`);
    }
    expect(Math.max(...maxima)).toBeLessThan(1_000);
    expect(Math.min(...maxima)).toBeLessThan(100);
  }, 120_000);
});
