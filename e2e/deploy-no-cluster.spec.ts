/**
 * Deploy on a designer without a cluster (issue 12): a second server, started
 * here without WGS_KUBECONFIG (on the first one's Mosquitto, no simulator).
 * The Deploy dialog opens, explains the two ways (WGS_KUBECONFIG, or kubectl
 * apply of a downloaded bundle), offers the manifests and shows the dry run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

let server: ChildProcess | undefined;
let base = '';
const token = randomBytes(16).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'wgs-e2e-no-cluster-'));

const freePort = () => new Promise<number>((resolve) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const { port } = srv.address() as { port: number };
    srv.close(() => resolve(port));
  });
});

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, WGS_TOKEN: token, WGS_PORT: String(port), WGS_STORE_DIR: join(dir, 'store'), WGS_STATE_DIR: dir, WGS_SIMULATOR: 'off', WGS_LOG_LEVEL: 'warn', WGS_BROKER_URL: `mqtt://127.0.0.1:${process.env.WGS_E2E_BROKER_PORT}` };
  delete env.WGS_KUBECONFIG;
  delete env.WGS_DRAFTS;
  server = spawn('pnpm', ['run', 'server'], { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  base = `http://127.0.0.1:${port}`;
  await expect.poll(() => fetch(`${base}/healthz`).then((r) => r.ok, () => false), { timeout: 90_000 }).toBe(true);
});

test.afterAll(async () => {
  if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
});

test('without a cluster, Deploy explains the two ways, offers the manifests for kubectl apply and shows the dry run', async ({ page }) => {
  await page.goto(`${base}/?token=${token}`);
  await expect(page.getByTestId('store-where')).not.toContainText('deploys to');
  await page.getByTestId('new-graph').click();
  await page.getByTestId('new-graph-name').pressSequentially('no-cluster-bundle');
  await page.getByTestId('create-graph').click();
  const deploy = page.getByTestId('deploy-graph');
  await expect(deploy).toBeEnabled();
  await deploy.click();
  const dialog = page.getByTestId('deploy-dialog');
  await expect(dialog).toHaveAttribute('data-phase', 'no-cluster');
  await expect(dialog).toContainText('WGS_KUBECONFIG');
  await expect(dialog).toContainText('kubectl apply -f no-cluster-bundle.yaml');
  await expect(dialog.getByTestId('dry-run').locator('li')).toHaveText([
    'create DataflowEndpoint azure-iot-operations/default',
    'create DataflowGraph azure-iot-operations/no-cluster-bundle',
  ]);
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('download-bundle').click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('no-cluster-bundle.yaml');
  // Documents as kubectl reads them: kind, namespace and name of each.
  const docs = readFileSync((await file.path())!, 'utf8').split(/^---$/m).map((d) => `${/^kind: (.+)$/m.exec(d)?.[1]}/${/^ {2}namespace: (.+)$/m.exec(d)?.[1]}/${/^ {2}name: (.+)$/m.exec(d)?.[1]}`);
  expect(docs).toEqual(['DataflowEndpoint/azure-iot-operations/default', 'DataflowGraph/azure-iot-operations/no-cluster-bundle']);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
