/**
 * Starts the real server (`pnpm server`: embedded Mosquitto with the sample
 * simulator publishing to it, embedded registry, a temporary store for drafts)
 * on a free port with a fresh token, after building the web app if
 * apps/web/dist is missing, and a real Kubernetes API server (etcd +
 * kube-apiserver, the CRDs applied) that the designer deploys to. Tests read
 * WGS_E2E_URL, WGS_E2E_TOKEN, WGS_E2E_KUBECONFIG and WGS_E2E_KUBECTL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKube } from '../packages/cluster-testing/src/kube.ts';

const NAMESPACE = 'azure-iot-operations';

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
  const kube = await startKube();
  await kube.kubectl(['create', 'namespace', NAMESPACE]);
  await kube.kubectl(['apply', '-f', 'deploy/crds/']);
  await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/dataflowgraphs.connectivity.iotoperations.azure.com']);
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const storeDir = mkdtempSync(join(tmpdir(), 'wgs-e2e-store-'));
  // `pnpm run server`: plain `pnpm server` is pnpm's own (store server) command.
  const server = spawn('pnpm', ['run', 'server'], {
    env: { ...process.env, WGS_TOKEN: token, WGS_PORT: String(port), WGS_STORE_DIR: storeDir, WGS_SIMULATOR: 'on', WGS_LOG_LEVEL: 'warn', WGS_KUBECONFIG: kube.kubeconfigPath, WGS_DRAFTS: 'embedded', WGS_NAMESPACE: NAMESPACE },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    rmSync(storeDir, { recursive: true, force: true });
    await kube.stop();
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
  process.env.WGS_E2E_URL = url;
  process.env.WGS_E2E_TOKEN = token;
  process.env.WGS_E2E_KUBECONFIG = kube.kubeconfigPath;
  process.env.WGS_E2E_KUBECTL = kube.binaries.kubectl;
  return stop;
}
