/**
 * `wgs run --graph <DataflowGraph manifest>` against a real Mosquitto: the
 * broker from the DataflowEndpoint in the same file, the Source node's topic
 * read, a branch's arms published to their Destination nodes' topics; two
 * Source nodes whose messages each go only where their Source node leads.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'apps/cli/src/main.ts');
const exec = promisify(execFile);
// The branch manifest `wgs test` runs (packages/operators/tests/dataflow-branch), plus a DataflowEndpoint.
const branchManifest = readFileSync(join(root, 'packages/operators/tests/dataflow-branch/dataflow.yaml'), 'utf8');
// Two Source nodes feeding different transforms (packages/operators/tests/dataflow-two-sources).
const twoSourcesManifest = readFileSync(join(root, 'packages/operators/tests/dataflow-two-sources/dataflow.yaml'), 'utf8');

const endpoint = (port: number) => [
  'apiVersion: connectivity.iotoperations.azure.com/v1',
  'kind: DataflowEndpoint',
  'metadata: { name: default, namespace: azure-iot-operations }',
  'spec:',
  '  endpointType: Mqtt',
  `  mqttSettings: { host: "127.0.0.1:${port}" }`,
  '---',
  '',
].join('\n');

let broker: Broker;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.stop();
});

/** `wgs run --graph` of `manifest` on the test broker, once it says it is running. */
async function startRun(manifest: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'wgs-run-dataflow-')), 'dataflow.yaml');
  writeFileSync(file, endpoint(broker.port) + manifest);
  const child = spawn('node', ['--import', 'tsx', main, 'run', '--graph', file, '--stats-interval', '3600'], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; i < 300 && !stdout.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('wgs run a DataflowGraph manifest', () => {
  it('reads the Source node topic on the DataflowEndpoint broker and publishes each branch arm to its Destination topic', async () => {
    const run = await startRun(branchManifest);
    expect(run.stdout(), run.stderr()).toContain(`running "temperature-branch": sensor/in -> sensor/alerts, sensor/normal on mqtt://127.0.0.1:${broker.port}`);

    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'sensor/alerts', '-t', 'sensor/normal', '-C', '2', '-F', '%t|%p']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const subDone = new Promise((r) => sub.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    for (const m of ['{"id":"a","temp":60}', '{"id":"b","temp":20}']) {
      await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'sensor/in', '-m', m]);
    }
    await subDone;
    expect(out.trim().split('\n').sort()).toEqual(['sensor/alerts|{"alert":true,"id":"a","temp":60}', 'sensor/normal|{"id":"b","temp":20}']);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const stdout = run.stdout();
    expect(stdout).toMatch(/alerts: in 1 out 1/);
    expect(stdout).toMatch(/normal: in 1 out 1/);
  }, 60_000);

  it('sends each Source node\'s messages only into the nodes it feeds: each Destination topic gets its own source\'s messages', async () => {
    const run = await startRun(twoSourcesManifest);
    expect(run.stdout(), run.stderr()).toContain(`running "two-sources": sensor/temperature/#, sensor/humidity/# -> sensor/temperature-f, sensor/dry on mqtt://127.0.0.1:${broker.port}`);

    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'sensor/temperature-f', '-t', 'sensor/dry', '-C', '3', '-F', '%t|%p']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const subDone = new Promise((r) => sub.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    for (const [topic, m] of [
      ['sensor/temperature/a', '{"id":"t1","temp":20}'], ['sensor/humidity/a', '{"id":"h1","humidity":30}'],
      ['sensor/humidity/b', '{"id":"h2","humidity":80}'], ['sensor/temperature/b', '{"id":"t2","temp":100}'],
    ]) {
      await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', topic!, '-m', m!]);
    }
    await subDone;
    expect(out.trim().split('\n').sort()).toEqual([
      'sensor/dry|{"id":"h1","humidity":30}',
      'sensor/temperature-f|{"id":"t1","temp_f":68.0}',
      'sensor/temperature-f|{"id":"t2","temp_f":212.0}',
    ]);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const stdout = run.stdout();
    // Exactly: the map saw only the temperatures, the filter only the humidities (h2 filtered out).
    expect(stdout).toMatch(/convert\/source: in 2 out 2/);
    expect(stdout).toMatch(/dry\/source: in 2 out 2/);
    expect(stdout).toMatch(/temperatures: in 2 out 2/);
    expect(stdout).toMatch(/humidities: in 1 out 1/);
  }, 60_000);

  it('refuses --sink for a DataflowGraph (its Destination nodes give the topics)', async () => {
    const r = await exec('node', ['--import', 'tsx', main, 'run', '--graph', join(root, 'packages/operators/tests/dataflow-branch/dataflow.yaml'), '--sink', 'x'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    expect((r as { stderr: string }).stderr).toContain('--source, --sink and --config do not apply to a DataflowGraph');
  }, 60_000);
});
