/**
 * Starts a private, real Mosquitto broker (the Debian `mosquitto` package;
 * `.ci/setup` installs it) on loopback: on a free port for tests, or on a
 * preferred port for the embedded broker of `pnpm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { freePort, portAccepts as accepts } from './ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Broker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  return !(await accepts(port));
}

export async function startMosquitto(binary = process.env.WGS_MOSQUITTO ?? '/usr/sbin/mosquitto', preferredPort?: number): Promise<Broker> {
  const port = preferredPort && (await portFree(preferredPort)) ? preferredPort : await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wgs-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n`);
  const child: ChildProcess = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (e) => (stderr += String(e)));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosquitto did not start on port ${port}: ${stderr.trim() || 'no output'} (is the mosquitto package installed?)`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
