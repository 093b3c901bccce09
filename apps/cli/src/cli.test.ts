import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startKafka, startMosquitto, type Broker, type KafkaBroker } from '@wgs/connectors/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'apps/cli/src/main.ts');
const launcher = join(root, 'apps/cli/bin/wgs.mjs');
const shared = join(root, '../shared/data/reference-graphs');
const exec = promisify(execFile);

/** Runs `wgs <args>` as a user would; never throws, returns code and output. */
async function wgs(args: string[], timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', ['--import', 'tsx', main, ...args], { cwd: root, timeout });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'wgs-cli-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('wgs validate', () => {
  it('accepts the reference sample graphs unmodified', async () => {
    const r = await wgs(['validate', join(shared, 'graph-simple.yaml'), join(shared, 'graph-complex.yaml'), join(shared, 'graph.dataflow.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/graph definition: valid/g)).toHaveLength(3);
  });

  it('exits 1 and points at the line and column of each error', async () => {
    const p = file('broken.yaml', [
      'metadata: { $schema: x, name: n, version: "1" }',
      'moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }',
      'operations:',
      '  - { operationType: source, name: source }',
      '  - { operationType: branch, name: b, module: m:1 }',
      '  - { operationType: sink, name: sink }',
      'connections:',
      '  - { from: { name: source }, to: { name: b } }',
      '  - from: { name: b, arm: false }',
      '    to: { name: sink }',
      '',
    ].join('\n'));
    const r = await wgs(['validate', p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${p}:9:27: error: must be one of "False", "True" (at connections[1].from.arm)`);
    expect(r.stdout).toContain('graph definition: 1 error');
  });

  it('validates DataflowGraph manifests with the reference CLI rules', async () => {
    const p = file('graph.yaml', [
      'apiVersion: connectivity.iotoperations.azure.com/v1',
      'kind: DataflowGraph',
      'metadata: { name: g, namespace: azure-iot-operations }',
      'spec:',
      '  nodes:',
      '    - { nodeType: Source, name: s, sourceSettings: { endpointRef: default, dataSources: [a] } }',
      '    - { nodeType: Graph, name: t, graphSettings: { registryEndpointRef: r, artifact: graph-simple } }',
      '  nodeConnections:',
      '    - { from: { name: s }, to: { name: t } }',
      '',
    ].join('\n'));
    const r = await wgs(['validate', p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs at least one Destination node/);
    expect(r.stderr).toMatch(/:7:\d+: error: artifact "graph-simple" must be <name>:<version>/);
  });

  it('reports an unreadable file without a stack trace', async () => {
    const r = await wgs(['validate', join(tmp, 'missing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read: ENOENT');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('wgs test', () => {
  it('runs the shipped sample tests and prints the summary line', async () => {
    const r = await wgs(['test', join(root, 'packages/operators/tests')]);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(r.code).toBe(0);
  });

  it('exits 1 and shows the difference when a test fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgs-test-'));
    writeFileSync(join(dir, 'in.json'), '{"temperature":{"value":212,"unit":"F"}}');
    writeFileSync(join(dir, 'expected.json'), JSON.stringify({ payload: '{"temperature":{"value":99}}' }));
    writeFileSync(join(dir, 'wrong.test.yaml'), [
      'name: wrong expectation',
      `graph: ${join(root, 'packages/operators/graphs/graph-simple.yaml')}`,
      'input: .',
      'expected: ./expected.json',
      'select: [payload]',
    ].join('\n').replace('input: .', `input: ${join(dir, 'inputs')}`));
    const inputs = join(dir, 'inputs');
    await exec('mkdir', ['-p', inputs]);
    writeFileSync(join(inputs, 'in.json'), '{"temperature":{"value":212,"unit":"F"}}');
    const r = await wgs(['test', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL wrong expectation');
    expect(r.stdout).toContain('"value":100');
    expect(r.stdout).toMatch(/^0 passed, 1 failed$/m);
  });
});

describe('wgs run', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('runs the reference simple graph between mosquitto_pub and mosquitto_sub, and stops on SIGTERM', async () => {
    const metricsPort = await freePort();
    const run = spawn('node', ['--import', 'tsx', main, 'run', '--graph', join(shared, 'graph-simple.yaml'), '--broker', broker.url,
      '--source', 'sensor/temperature/raw', '--sink', 'sensor/temperature/processed', '--metrics-port', String(metricsPort)], { cwd: root });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
    for (let i = 0; i < 200 && !stdout.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stdout, stderr).toContain('running "Simple graph"');

    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'sensor/temperature/processed', '-C', '1', '-F', '%P|%p']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const subDone = new Promise((r) => sub.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'sensor/temperature/raw',
      '-D', 'PUBLISH', 'user-property', '__ts', '1758255553528:0:df', '-m', '{"temperature":{"value":1209,"unit":"F"}}']);
    await subDone;
    const [props, payload] = out.trim().split('|');
    expect(JSON.parse(payload!)).toEqual({ temperature: { value: 653.8888888888889, count: 0, max: 0, min: 0, average: 0, last: 0, unit: 'C', overtemp: false } });
    expect(props).toContain('__ts:001758255553528:00000:df');

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('wgs_operation_messages_total{graph="Simple graph",operation="module-temperature/map",kind="out"} 1');
    expect(metrics).toMatch(/wgs_operator_requests_total\{[^}]*operation="module-temperature\/map"[^}]*unit="Fahrenheit"[^}]*\} 1/);

    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/module-temperature\/map: in 1 out 1 dropped 0 errors 0/);
  });

  it('runs precompiled through bin/wgs.mjs (no tsx): the bundle is built once into the cache, reused, and its graph worker is bundled too', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'wgs-cli-cache-'));
    const env = { ...process.env, WGS_CACHE_DIR: cache };
    const run = spawn('node', [launcher, 'run', '--graph', join(shared, 'graph-simple.yaml'), '--broker', broker.url,
      '--source', 'bundle/raw', '--sink', 'bundle/processed'], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
    for (let i = 0; i < 600 && !stdout.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stdout, stderr).toContain('running "Simple graph"');
    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'bundle/processed', '-C', '1']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const subDone = new Promise((r) => sub.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'bundle/raw', '-m', '{"temperature":{"value":1209,"unit":"F"}}']);
    await subDone;
    expect(JSON.parse(out.trim())).toMatchObject({ temperature: { value: 653.8888888888889, unit: 'C' } });
    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Neither the CLI nor its graph worker fell back to tsx.
    expect(stderr).not.toMatch(/through tsx/);
    expect(readdirSync(join(cache, 'worker')).some((f) => f.startsWith('graph-worker-'))).toBe(true);
    const [dir] = readdirSync(join(cache, 'cli'));
    const manifestFile = join(cache, 'cli', dir!, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { inputs: string[]; bundle: string };
    expect(manifest.inputs).toContain(main);
    expect(manifest.inputs).toContain(join(root, 'packages/runtime/src/worker/graph-runner.ts'));
    const built = statSync(manifestFile).mtimeMs;
    // Unchanged inputs: the next command runs the same bundle without building it again.
    const { stdout: help } = await exec('node', [launcher, 'validate', join(shared, 'graph-simple.yaml')], { cwd: root, env });
    expect(help).toContain('graph definition: valid');
    expect(statSync(manifestFile).mtimeMs).toBe(built);
    expect(readdirSync(join(cache, 'cli', dir!)).filter((f) => f.startsWith('b-'))).toEqual([manifest.bundle]);
  });

  it('bin/wgs.mjs: WGS_CLI_BUNDLE=build only builds the bundle, into WGS_BUNDLE_DIR rather than the cache (the Docker image); =off runs through tsx with no bundle', async () => {
    const bundles = mkdtempSync(join(tmpdir(), 'wgs-cli-bundles-'));
    const cache = mkdtempSync(join(tmpdir(), 'wgs-cli-cache-'));
    const env = { ...process.env, WGS_BUNDLE_DIR: bundles, WGS_CACHE_DIR: cache };
    const built = await exec('node', [launcher], { cwd: root, env: { ...env, WGS_CLI_BUNDLE: 'build' } });
    const entry = built.stdout.trim();
    expect(entry).toMatch(new RegExp(`^${bundles}/cli/[0-9a-f]{12}/b-[0-9a-f]{16}/main\\.js$`));
    expect(statSync(entry).isFile()).toBe(true);
    // Only built: the CLI itself did not run (it would have printed its usage).
    expect(built.stderr).not.toMatch(/usage/);
    expect(readdirSync(cache)).toEqual([]);

    const bundled = await exec('node', [launcher, 'validate', join(shared, 'graph-simple.yaml')], { cwd: root, env });
    expect(bundled.stdout).toContain('graph definition: valid');
    expect(bundled.stderr).not.toMatch(/through tsx/);
    expect(readdirSync(cache)).toEqual([]);

    const throughTsx = await exec('node', [launcher, 'validate', join(shared, 'graph-simple.yaml')], { cwd: root, env: { ...env, WGS_BUNDLE_DIR: cache, WGS_CLI_BUNDLE: 'off' } });
    expect(throughTsx.stdout).toContain('graph definition: valid');
    expect(readdirSync(cache)).toEqual([]);

    // A bundle that cannot be built fails `build` instead of falling back to tsx.
    const refused = await exec('node', [launcher], { cwd: root, env: { ...env, WGS_BUNDLE_DIR: join(entry, 'not-a-folder'), WGS_CLI_BUNDLE: 'build' } }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).toBe(1);
    expect((refused as { stderr: string }).stderr).toMatch(/ENOTDIR/);
  });

  it('fails fast with a clear error when the broker is unreachable', async () => {
    const r = await wgs(['run', '--graph', join(shared, 'graph-simple.yaml'), '--broker', 'mqtt://127.0.0.1:1', '--source', 'a', '--sink', 'b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wgs run: mqtt:\/\/127\.0\.0\.1:1: /);
  });
});

describe('wgs run on Kafka', () => {
  let kafka: KafkaBroker;
  beforeAll(async () => {
    kafka = await startKafka();
  }, 120_000);
  afterAll(async () => {
    await kafka?.stop();
  });

  it('runs the reference simple graph between Kafka\'s console producer and console consumer, __ts header kept', async () => {
    const run = spawn('node', ['--import', 'tsx', main, 'run', '--graph', join(shared, 'graph-simple.yaml'), '--broker', kafka.url,
      '--source', 'temperature-raw', '--sink', 'temperature-processed', '--group', 'converter'], { cwd: root });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
    for (let i = 0; i < 600 && !stdout.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stdout, stderr).toContain(`running "Simple graph": temperature-raw -> temperature-processed on ${kafka.url}`);

    const produced = kafka.tool('kafka.tools.ConsoleProducer', ['--bootstrap-server', kafka.bootstrap, '--topic', 'temperature-raw',
      '--property', 'parse.headers=true', '--property', 'headers.delimiter=\t'], '__ts:1758255553528:0:df\t{"temperature":{"value":1209,"unit":"F"}}\n');
    expect(produced.status, produced.stderr).toBe(0);
    const consumed = kafka.tool('org.apache.kafka.tools.consumer.ConsoleConsumer', ['--bootstrap-server', kafka.bootstrap, '--topic', 'temperature-processed',
      '--from-beginning', '--max-messages', '1', '--property', 'print.headers=true', '--timeout-ms', '60000'], undefined, 90_000);
    const [headers, payload] = consumed.stdout.trim().split('\t');
    expect(JSON.parse(payload!), consumed.stderr).toEqual({ temperature: { value: 653.8888888888889, count: 0, max: 0, min: 0, average: 0, last: 0, unit: 'C', overtemp: false } });
    expect(headers).toContain('__ts:001758255553528:00000:df');

    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/module-temperature\/map: in 1 out 1 dropped 0 errors 0/);
  }, 180_000);

  it('fails fast with a clear error when the Kafka broker is unreachable', async () => {
    const r = await wgs(['run', '--graph', join(shared, 'graph-simple.yaml'), '--broker', 'kafka://127.0.0.1:1', '--source', 'a', '--sink', 'b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wgs run: kafka:\/\/127\.0\.0\.1:1: no connection to the Kafka broker/);
  }, 120_000);
});
