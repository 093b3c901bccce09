/**
 * Starts a private, real Mosquitto broker (the Debian `mosquitto` package;
 * `.ci/setup` installs it) on loopback: on a free port for tests, or on a
 * preferred port for the embedded broker of `pnpm start`. With a persistence
 * folder the broker keeps sessions and queued messages across restarts, and
 * the returned handle can kill and start it again on the same port (fault tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { freePort, portAccepts as accepts } from './ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Broker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface RestartableBroker extends Broker {
  /** SIGKILL: no chance to save (what was saved before stays). */
  kill(): Promise<void>;
  /** Starts it again on the same port and persistence folder. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM, which saves the persistence file), `downMs` of nothing, then start. */
  restart(downMs?: number): Promise<void>;
  readonly running: boolean;
}

export interface MosquittoOptions {
  binary?: string;
  preferredPort?: number;
  /** Keep sessions and queued messages in this folder (persistence true); default: in memory. */
  persistenceDir?: string;
}

async function portFree(port: number): Promise<boolean> {
  return !(await accepts(port));
}

function config(port: number, persistenceDir?: string): string {
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    // A durable session may collect many messages while its client is away; the default 1,000 would drop the rest.
    'max_queued_messages 1000000',
  ];
  if (persistenceDir) {
    // Saved on a clean shutdown and every second, so a kill loses at most the last interval.
    lines.push('persistence true', `persistence_location ${persistenceDir}/`, 'autosave_interval 1');
    // Started as root, Mosquitto would switch to the `mosquitto` user, which cannot write our private folder.
    if (process.getuid?.() === 0) lines.push('user root');
  } else lines.push('persistence false');
  return `${lines.join('\n')}\n`;
}

async function launch(binary: string, conf: string, port: number): Promise<{ child: ChildProcess; exited: Promise<void> }> {
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
  return { child, exited };
}

export async function startMosquitto(binary?: string, preferredPort?: number): Promise<Broker> {
  return startBroker({ binary, preferredPort });
}

/** A broker with persistence that tests can kill, stop and start again. */
export async function startPersistentMosquitto(o: Omit<MosquittoOptions, 'persistenceDir'> & { persistenceDir?: string } = {}): Promise<RestartableBroker> {
  return startBroker({ ...o, persistenceDir: o.persistenceDir ?? mkdtempSync(join(tmpdir(), 'wgs-mosquitto-data-')) });
}

async function startBroker(o: MosquittoOptions): Promise<RestartableBroker> {
  const binary = o.binary ?? process.env.WGS_MOSQUITTO ?? '/usr/sbin/mosquitto';
  const port = o.preferredPort && (await portFree(o.preferredPort)) ? o.preferredPort : await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wgs-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  if (o.persistenceDir) mkdirSync(o.persistenceDir, { recursive: true });
  writeFileSync(conf, config(port, o.persistenceDir));
  let current: { child: ChildProcess; exited: Promise<void> } | undefined = await launch(binary, conf, port);
  const halt = async (signal: NodeJS.Signals) => {
    const c = current;
    current = undefined;
    if (!c) return;
    c.child.kill(signal);
    await c.exited;
  };
  const handle: RestartableBroker = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    get running() {
      return current !== undefined;
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    start: async () => {
      if (current) return;
      // The old listener may linger a moment after exit.
      const deadline = Date.now() + 5000;
      while (!(await portFree(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      current = await launch(binary, conf, port);
    },
    restart: async (downMs = 0) => {
      await halt('SIGTERM');
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await handle.start();
    },
  };
  return handle;
}
