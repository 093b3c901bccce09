/**
 * Starts the real server (`pnpm server` with the sample simulator, embedded
 * registry, a temporary store for drafts) on a free port with a fresh token,
 * after building the web app if apps/web/dist is missing (the server starts
 * its Mosquitto, the `default` endpoint); a real Kubernetes API server (etcd +
 * kube-apiserver, the CRDs applied) that the designer deploys to, holding the
 * same `default` DataflowEndpoint; a docker-registry known to both as the
 * `lab-registry` RegistryEndpoint; and the data flow engine (`pnpm wgs engine`,
 * pod `e2e-engine`, status every second) running what is deployed. Tests read
 * WGS_E2E_URL, WGS_E2E_TOKEN, WGS_E2E_KUBECONFIG, WGS_E2E_KUBECTL,
 * WGS_E2E_BROKER_PORT and WGS_E2E_REGISTRY.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKube } from '../packages/cluster-testing/src/kube.ts';
import { startDockerRegistry } from '../packages/registry/src/testing/docker-registry.ts';

const NAMESPACE = 'azure-iot-operations';
/** Preview sessions end after this long without a message from their page (10 minutes in production): short, so a test can outlast it. */
export const PREVIEW_IDLE_MS = 20_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync('apps/web/dist/index.html')) {
    const built = spawnSync('pnpm', ['--filter', '@wgs/web', 'build'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building apps/web failed');
  }
  const registry = await startDockerRegistry();
  const kube = await startKube();
  await kube.kubectl(['create', 'namespace', NAMESPACE]);
  await kube.kubectl(['apply', '-f', 'deploy/crds/']);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/dataflowgraphs.connectivity.iotoperations.azure.com']);
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const storeDir = mkdtempSync(join(tmpdir(), 'wgs-e2e-store-'));
  // Its own state (the embedded broker's persistence): never the checkout's .wgs, which a `pnpm start` may be using.
  const stateDir = mkdtempSync(join(tmpdir(), 'wgs-e2e-state-'));
  // `pnpm run server`: plain `pnpm server` is pnpm's own (store server) command.
  const server = spawn('pnpm', ['run', 'server'], {
    env: { ...process.env, WGS_TOKEN: token, WGS_PORT: String(port), WGS_STORE_DIR: storeDir, WGS_STATE_DIR: stateDir, WGS_SIMULATOR: 'on', WGS_LOG_LEVEL: 'warn', WGS_PREVIEW_IDLE_MS: String(PREVIEW_IDLE_MS), WGS_KUBECONFIG: kube.kubeconfigPath, WGS_DRAFTS: 'embedded', WGS_NAMESPACE: NAMESPACE },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const running: { engine?: ChildProcess } = {};
  const stop = async () => {
    for (const child of [running.engine, server]) {
      if (child?.exitCode !== null || !child.pid) continue;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    rmSync(storeDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
    await kube.stop();
    await registry.stop();
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`pnpm server exited with ${server.exitCode}`);
    }
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer on ${url} within 90 s`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  let brokerPort: string;
  try {
    brokerPort = await shareEndpoints(url, token, registry.host, (args, input) => kube.kubectl(args, input));
  } catch (e) {
    await stop();
    throw e;
  }
  running.engine = spawn('pnpm', ['wgs', 'engine', '--kubeconfig', kube.kubeconfigPath, '--namespace', NAMESPACE, '--status-interval-ms', '1000'], {
    env: { ...process.env, POD_NAME: 'e2e-engine' },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  process.env.WGS_E2E_BROKER_PORT = brokerPort;
  process.env.WGS_E2E_REGISTRY = registry.host;
  process.env.WGS_E2E_URL = url;
  process.env.WGS_E2E_TOKEN = token;
  process.env.WGS_E2E_KUBECONFIG = kube.kubeconfigPath;
  process.env.WGS_E2E_KUBECTL = kube.binaries.kubectl;
  return stop;
}

/**
 * What an administrator sets up once: the cluster gets the same `default`
 * DataflowEndpoint as the designer (the Mosquitto above), and both get the
 * `lab-registry` RegistryEndpoint for the docker-registry (anonymous, plain
 * HTTP on loopback). The embedded registry stays the designer's own.
 */
async function shareEndpoints(url: string, token: string, registryHost: string, kubectl: (args: string[], input?: string) => Promise<unknown>): Promise<string> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const lab = {
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'RegistryEndpoint',
    metadata: { name: 'lab-registry', annotations: { 'wgs.dev/description': 'the e2e docker-registry' } },
    spec: { host: registryHost, authentication: { method: 'Anonymous', anonymousSettings: {} } },
  };
  const created = await fetch(`${url}/api/registryendpoints`, { method: 'POST', headers, body: JSON.stringify(lab) });
  if (created.status !== 201) throw new Error(`creating lab-registry: ${created.status} ${await created.text()}`);
  const res = await fetch(`${url}/api/dataflowendpoints/default`, { headers });
  if (!res.ok) throw new Error(`reading the default endpoint: ${res.status}`);
  const { apiVersion, kind, metadata, spec } = (await res.json()) as { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: { mqttSettings: { host: string } } };
  const defaults = { apiVersion, kind, metadata: { name: metadata.name, namespace: NAMESPACE, annotations: metadata.annotations }, spec };
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [defaults, { ...lab, metadata: { ...lab.metadata, namespace: NAMESPACE } }] }));
  return spec.mqttSettings.host.split(':').pop()!;
}
