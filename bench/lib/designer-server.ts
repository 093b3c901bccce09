/**
 * The real designer for a benchmark: `pnpm run server` (as e2e/global-setup.ts
 * starts it) on a free port with a temporary store and a fresh token, reading
 * from the given broker (no embedded Mosquitto, no simulator), serving the
 * built web app (built first when apps/web/dist is missing).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../packages/connectors/src/testing/ports.ts';
import { PreflightError, ROOT } from './preflight.ts';
import { sleep } from './stats.ts';

export interface DesignerServer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export function ensureWebBuild(): void {
  if (existsSync(join(ROOT, 'apps/web/dist/index.html'))) return;
  const built = spawnSync('pnpm', ['--filter', '@wgs/web', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new PreflightError('building apps/web failed (pnpm --filter @wgs/web build)');
}

export async function startDesignerServer(brokerUrl: string): Promise<DesignerServer> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const storeDir = mkdtempSync(join(tmpdir(), 'wgs-bench-store-'));
  const child = spawn('pnpm', ['run', 'server'], {
    cwd: ROOT,
    env: { ...process.env, WGS_TOKEN: token, WGS_PORT: String(port), WGS_STORE_DIR: storeDir, WGS_BROKER_URL: brokerUrl, WGS_SIMULATOR: 'off', WGS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops tsx and the preview workers.
    detached: true,
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      kill('SIGTERM');
      const t = setTimeout(() => kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(storeDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new PreflightError(`pnpm run server exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new PreflightError(`the server did not answer on ${url} within 90 s:\n${output}`);
    }
    await sleep(300);
  }
  return { url, token, stop };
}
