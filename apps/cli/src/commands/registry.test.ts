/**
 * `wgs registry ls`, `wgs pull`, `wgs push` and `wgs run --graph <oci-ref>`
 * as a user runs them, against real registries (docker-registry, anonymous
 * and htpasswd) on loopback, with artifacts pushed by the real oras CLI.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { embeddedRegistry } from '@wgs/registry';
import { freePort, oras, startDockerRegistry, type TestRegistry } from '@wgs/registry/testing';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const main = join(root, 'apps/cli/src/main.ts');
const exec = promisify(execFile);
/** The tsx loader by path, so the CLI also runs from other working directories. */
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const SAMPLES = 'azure-samples/explore-iot-operations';
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const cacheDir = tmp('wgs-cli-cache-');

/** Runs `wgs <args>` as a user would; never throws, returns code and output. */
async function wgs(args: string[], env: Record<string, string> = {}, cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', ['--import', TSX, main, ...args], { cwd, timeout: 120_000, env: { ...process.env, WGS_CACHE_DIR: cacheDir, DOCKER_CONFIG: tmp('wgs-no-docker-'), ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('wgs registry / pull / push / run --graph <oci-ref>', () => {
  let reg: TestRegistry;
  let work: string;
  let component: Uint8Array;
  const graphYaml = readFileSync(join(root, 'packages/operators/graphs/graph-simple.yaml'));

  beforeAll(async () => {
    reg = await startDockerRegistry();
    work = tmp('wgs-cli-registry-');
    component = (await embeddedRegistry().pull(`${SAMPLES}/temperature`, '1.0.0')).content;
    writeFileSync(join(work, 'graph-simple.yaml'), graphYaml);
    writeFileSync(join(work, 'temperature.wasm'), component);
    // Published exactly as the reference documents it.
    await oras(['push', '--plain-http', `${reg.host}/${SAMPLES}/graph-simple:1.0.0`,
      '--config', '/dev/null:application/vnd.microsoft.aio.graph.v1+yaml', 'graph-simple.yaml:application/yaml', '--disable-path-validation'], { cwd: work });
    await oras(['push', '--plain-http', `${reg.host}/${SAMPLES}/temperature:1.0.0`,
      '--artifact-type', 'application/vnd.module.wasm.content.layer.v1+wasm', 'temperature.wasm:application/wasm'], { cwd: work });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('registry ls lists repositories, then tags with kind and digest', async () => {
    const repos = await wgs(['registry', 'ls', reg.host]);
    expect(repos.stderr).toBe('');
    expect(repos.stdout).toBe(`${SAMPLES}/graph-simple\n${SAMPLES}/temperature\n`);
    const digest = JSON.parse((await oras(['manifest', 'fetch', '--plain-http', '--descriptor', `${reg.host}/${SAMPLES}/temperature:1.0.0`])).stdout).digest as string;
    const tags = await wgs(['registry', 'ls', `${reg.host}/${SAMPLES}/temperature`]);
    expect(tags.stdout).toBe(`1.0.0  module  ${digest}\n`);
    expect((await wgs(['registry', 'ls', `${reg.host}/${SAMPLES}/graph-simple`])).stdout).toMatch(/^1\.0\.0 {2}graph {2}sha256:[0-9a-f]{64}\n$/);
    // A path prefix lists the repositories under it.
    expect((await wgs(['registry', 'ls', `${reg.host}/azure-samples`])).stdout).toBe(`${SAMPLES}/graph-simple\n${SAMPLES}/temperature\n`);
    const missing = await wgs(['registry', 'ls', `${reg.host}/no/such`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`wgs registry: registry ${reg.host}: repository no/such not found`);
  });

  it('registry ls lists the embedded registry the same way', async () => {
    const r = await wgs(['registry', 'ls', 'embedded']);
    expect(r.stdout).toContain(`${SAMPLES}/temperature\n`);
    expect((await wgs(['registry', 'ls', `embedded/${SAMPLES}/graph-simple`])).stdout).toMatch(/^1\.0\.0 {2}graph {2}sha256:[0-9a-f]{64}\n$/);
  });

  it('pull writes the artifact, named as oras names it, and the second pull comes from the cache', async () => {
    const dir = tmp('wgs-pull-');
    const first = await wgs(['pull', `${reg.host}/${SAMPLES}/temperature:1.0.0`], {}, dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^pulled ${reg.host}/${SAMPLES}/temperature:1\\.0\\.0 \\(module sha256:[0-9a-f]{64}, ${component.length} bytes\\) -> temperature\\.wasm\n$`));
    expect(new Uint8Array(readFileSync(join(dir, 'temperature.wasm')))).toEqual(component);
    const second = await wgs(['pull', `${reg.host}/${SAMPLES}/temperature:1.0.0`, '-o', join(dir, 'again.wasm')]);
    expect(second.stdout).toContain(', from the cache)');
    const graph = await wgs(['pull', `${reg.host}/${SAMPLES}/graph-simple:1.0.0`, '-o', '-']);
    expect(Buffer.from(graph.stdout)).toEqual(graphYaml);
    expect(graph.stderr).toMatch(/^pulled .*graph-simple:1\.0\.0 \(graph sha256:/);
  });

  it('pull reports missing tags, wrong kinds of reference and unreachable registries in one line', async () => {
    const tag = await wgs(['pull', `${reg.host}/${SAMPLES}/temperature:9.9.9`]);
    expect(tag.code).toBe(1);
    expect(tag.stderr.trim()).toBe(`wgs pull: registry ${reg.host}: tag ${SAMPLES}/temperature:9.9.9 not found`);
    const noRegistry = await wgs(['pull', 'temperature:1.0.0']);
    expect(noRegistry.stderr.trim()).toBe('wgs pull: "temperature:1.0.0" names no registry: use host[:port]/repository:tag (or embedded/repository:tag)');
    const port = await freePort();
    const down = await wgs(['pull', `127.0.0.1:${port}/x/y:1`]);
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toBe(`wgs pull: registry 127.0.0.1:${port}: cannot connect to http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('push publishes graphs and modules with the reference\'s media types and reports the digest', async () => {
    const g = await wgs(['push', join(work, 'graph-simple.yaml'), `${reg.host}/pushed/graph-simple:1.0.0`, '--tag', 'latest']);
    expect(g.code, g.stderr).toBe(0);
    const digest = /^digest: (sha256:[0-9a-f]{64})$/m.exec(g.stdout)?.[1];
    expect(g.stdout).toContain(`pushed graph ${join(work, 'graph-simple.yaml')} to ${reg.host}/pushed/graph-simple:1.0.0,latest`);
    const fetched = JSON.parse((await oras(['manifest', 'fetch', '--plain-http', '--descriptor', `${reg.host}/pushed/graph-simple:latest`])).stdout);
    expect(fetched.digest).toBe(digest);
    const m = await wgs(['push', join(work, 'temperature.wasm'), `${reg.host}/pushed/temperature:1.0.0`]);
    expect(m.stdout).toContain('pushed module');
    const manifest = JSON.parse((await oras(['manifest', 'fetch', '--plain-http', `${reg.host}/pushed/temperature:1.0.0`])).stdout);
    expect(manifest.artifactType).toBe('application/vnd.module.wasm.content.layer.v1+wasm');
    expect(manifest.layers[0].mediaType).toBe('application/wasm');
    const out = tmp('wgs-oras-');
    await oras(['pull', '--plain-http', `${reg.host}/pushed/temperature:1.0.0`, '-o', out]);
    expect(new Uint8Array(readFileSync(join(out, 'temperature.wasm')))).toEqual(component);
  });

  it('push refuses invalid graphs and non-WebAssembly modules, and needs --kind when it cannot tell', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'metadata: { name: x }\noperations: []\n');
    const r = await wgs(['push', bad, `${reg.host}/pushed/bad:1`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: error: /);
    expect(r.stderr).toContain(`wgs push: ${bad} is not a valid graph definition`);
    const text = join(work, 'notes.txt');
    writeFileSync(text, 'hello');
    expect((await wgs(['push', text, `${reg.host}/pushed/notes:1`])).stderr.trim()).toBe(`wgs push: cannot tell whether ${text} is a graph or a module: pass --kind graph|module`);
    expect((await wgs(['push', text, `${reg.host}/pushed/notes:1`, '--kind', 'module'])).stderr.trim()).toBe(`wgs push: ${text} is not WebAssembly; not pushed as a module`);
    expect((await wgs(['registry', 'ls', `${reg.host}/pushed/bad`])).code).toBe(1);
  });

  describe('run --graph <oci-ref>', () => {
    let broker: Broker;
    beforeAll(async () => {
      broker = await startMosquitto();
    });
    afterAll(async () => {
      await broker?.stop();
    });

    it('pulls the graph and its modules from the registry (oras-pushed) and runs them', async () => {
      const run = spawn('node', ['--import', TSX, main, 'run', '--graph', `${reg.host}/${SAMPLES}/graph-simple:1.0.0`, '--broker', broker.url,
        '--source', 'sensor/temperature/raw', '--sink', 'sensor/temperature/processed'], { cwd: root, env: { ...process.env, WGS_CACHE_DIR: cacheDir, WGS_REGISTRY_DIR: tmp('wgs-empty-embedded-') } });
      let stdout = '';
      let stderr = '';
      run.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
      for (let i = 0; i < 300 && !stdout.includes('running') && run.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      expect(stdout, stderr).toContain('running "Simple graph"');
      expect(stdout).toMatch(new RegExp(`module ${SAMPLES}/temperature:1\\.0\\.0: ${reg.host}/${SAMPLES}/temperature:1\\.0\\.0 sha256:`));

      const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'sensor/temperature/processed', '-C', '1']);
      let out = '';
      sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const subDone = new Promise((r) => sub.once('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'sensor/temperature/raw',
        '-D', 'PUBLISH', 'user-property', '__ts', '1758255553528:0:df', '-m', '{"temperature":{"value":212,"unit":"F"}}']);
      await subDone;
      expect(JSON.parse(out.trim())).toMatchObject({ temperature: { value: 100, unit: 'C' } });
      run.kill('SIGTERM');
      expect(await exited).toBe(0);
    });

    it('--endpoint-host with a path resolves short module references under that path (the older host form)', async () => {
      const yaml = graphYaml.toString().replace(`${SAMPLES}/temperature:1.0.0`, 'temperature:1.0.0');
      writeFileSync(join(work, 'graph-short.yaml'), yaml);
      await oras(['push', '--plain-http', `${reg.host}/${SAMPLES}/graph-short:1.0.0`,
        '--config', '/dev/null:application/vnd.microsoft.aio.graph.v1+yaml', 'graph-short.yaml:application/yaml'], { cwd: work });
      // The graph reference is host + "/" + artifact; the broker is unreachable, so the run stops after resolving.
      const r = await wgs(['run', '--endpoint-host', `${reg.host}/${SAMPLES}`, '--graph', `${reg.host}/${SAMPLES}/graph-short:1.0.0`, '--broker', 'mqtt://127.0.0.1:1', '--source', 'a', '--sink', 'b']);
      expect(r.stdout).toMatch(new RegExp(`^module temperature:1\\.0\\.0: ${reg.host}/${SAMPLES}/temperature:1\\.0\\.0 sha256:[0-9a-f]{64}`, 'm'));
      expect(r.stderr).toMatch(/wgs run: mqtt:\/\/127\.0\.0\.1:1: /);
    });

    it('a module missing from that registry is an error: nothing falls back to the embedded registry', async () => {
      const yaml = graphYaml.toString().replace(`${SAMPLES}/temperature:1.0.0`, `${SAMPLES}/window:1.0.0`);
      writeFileSync(join(work, 'graph-window.yaml'), yaml);
      await oras(['push', '--plain-http', `${reg.host}/${SAMPLES}/graph-window:1.0.0`,
        '--config', '/dev/null:application/vnd.microsoft.aio.graph.v1+yaml', 'graph-window.yaml:application/yaml'], { cwd: work });
      const r = await wgs(['run', '--graph', `${reg.host}/${SAMPLES}/graph-window:1.0.0`, '--broker', broker.url, '--source', 'a', '--sink', 'b']);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`wgs run: module "${SAMPLES}/window:1.0.0": ${reg.host}/${SAMPLES}/window:1.0.0: registry ${reg.host}: repository ${SAMPLES}/window not found`);
    });
  });
});

describe('wgs with a registry that requires a password', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startDockerRegistry({ htpasswd: { username: 'alice', password: 's3cret' } });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('takes credentials from flags, the environment or a docker config; a wrong password is a clear 401', async () => {
    const yaml = join(root, 'packages/operators/graphs/graph-simple.yaml');
    const pushed = await wgs(['push', yaml, `${reg.host}/private/graph:1`, '-u', 'alice', '-p', 's3cret']);
    expect(pushed.code, pushed.stderr).toBe(0);
    const env = await wgs(['registry', 'ls', reg.host], { WGS_REGISTRY_USERNAME: 'alice', WGS_REGISTRY_PASSWORD: 's3cret' });
    expect(env.stdout).toBe('private/graph\n');
    const config = join(tmp('wgs-docker-'), 'config.json');
    writeFileSync(config, JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    expect((await wgs(['registry', 'ls', `${reg.host}/private/graph`, '--registry-config', config])).stdout).toMatch(/^1 {2}graph {2}sha256:/);

    const wrong = await wgs(['registry', 'ls', reg.host, '-u', 'alice', '-p', 'nope']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe(`wgs registry: registry ${reg.host}: authentication failed for user "alice" (401 Unauthorized: wrong username or password); give credentials with -u/-p, WGS_REGISTRY_USERNAME/WGS_REGISTRY_PASSWORD, or a docker config (--registry-config, ~/.docker/config.json)`);
    const none = await wgs(['pull', `${reg.host}/private/graph:1`]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`registry ${reg.host}: authentication required (401 Unauthorized, basic realm "wgs-test") and no username and password were given; give credentials with`);
  });
});
