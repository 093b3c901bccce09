/** A private Mosquitto broker on a free loopback port, for one benchmark run. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, portAccepts as accepts } from '../../packages/connectors/src/testing/ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMosquitto, PreflightError } from './preflight.ts';
import { sleep } from './stats.ts';

export interface Broker {
  url: string;
  port: number;
  binary: string;
  /** The mosquitto process (its CPU time is read from /proc). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `mosquitto -c <conf>` listening only on 127.0.0.1. The per-client
 * queue limit is raised so that a flood of QoS 1 messages towards a slower
 * subscriber is queued, not dropped (mosquitto's default is 1000).
 */
export async function startBroker(): Promise<Broker> {
  const binary = findMosquitto();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wgs-bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'max_queued_messages 1000000',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n'));
  const child = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 10_000) stderr += d.toString();
  });
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (spawnError || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      cleanup();
      throw new PreflightError(`mosquitto (${binary}) did not start on 127.0.0.1:${port}: ${spawnError?.message ?? (stderr.trim() || 'no output')}`);
    }
    await sleep(50);
  }
  // Never leave the broker behind, even when the benchmark throws or is interrupted.
  const killOnExit = () => child.kill('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killOnExit();
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    binary,
    pid: child.pid!,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      cleanup();
    },
  };
}
