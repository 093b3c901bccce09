/**
 * Pieces of the delivery fault tests: a `wgs run` process that can be killed
 * and started again, a durable collector (the real `mosquitto_sub` with a
 * persistent session), and a QoS 1 publisher that survives a broker restart.
 * Every message carries its sequence number as the Fahrenheit value, so the
 * Celsius output tells which input it came from.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';

export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const main = join(repoRoot, 'apps/cli/src/main.ts');

export const payloadFor = (seq: number) => `{"temperature":{"value":${seq},"unit":"F"}}`;

/** The input sequence number behind an output of the temperature map ((F − 32) × 5/9). */
export function seqOf(line: string): number | undefined {
  try {
    const c = (JSON.parse(line) as { temperature?: { value?: number } }).temperature?.value;
    return typeof c === 'number' ? Math.round((c * 9) / 5 + 32) : undefined;
  } catch {
    return undefined;
  }
}

export interface WgsRun {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
  /** Resolves once the run prints that it is running (rejects if it exits first). */
  running: Promise<void>;
}

export function startWgsRun(args: string[]): WgsRun {
  const child = spawn('node', ['--import', 'tsx', main, 'run', ...args], { cwd: repoRoot });
  const run: WgsRun = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((r) => child.once('exit', (code) => r(code))),
    running: Promise.resolve(),
  };
  run.running = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      run.stdout += d.toString();
      if (run.stdout.includes('running "')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`wgs run exited (${code}) before running:\n${run.stderr}`)));
  });
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

export interface Collector {
  /** Times each input sequence number was seen at the output. */
  readonly seen: Map<number, number>;
  readonly total: number;
  waitFor(distinct: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** `mosquitto_sub` with a persistent session: it reconnects by itself and misses nothing across a broker restart. */
export async function startCollector(port: number, topic: string, clientId: string): Promise<Collector> {
  const sub = spawn('mosquitto_sub', ['-p', String(port), '-V', 'mqttv5', '-q', '1', '-c', '-x', '3600', '-i', clientId, '-t', topic, '-F', '%p']);
  const seen = new Map<number, number>();
  let total = 0;
  let buffered = '';
  sub.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const seq = seqOf(line);
      if (seq === undefined) continue;
      total++;
      seen.set(seq, (seen.get(seq) ?? 0) + 1);
    }
  });
  const exited = new Promise((r) => sub.once('exit', r));
  // The subscription must exist before anything is published.
  await new Promise((r) => setTimeout(r, 500));
  return {
    seen,
    get total() {
      return total;
    },
    async waitFor(distinct, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (seen.size < distinct) {
        if (Date.now() > deadline) throw new Error(`collector saw ${seen.size} of ${distinct} distinct messages within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      sub.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Publishes `count` QoS 1 messages with up to `window` unacknowledged, with a
 * persistent session that resends what the broker had not acknowledged when
 * it went away. Resolves when every message was acknowledged.
 */
export async function publishDurably(url: string, topic: string, count: number, o: { window?: number; onProgress?: (acked: number) => void } = {}): Promise<void> {
  const client = mqtt.connect(url, { protocolVersion: 5, clientId: `wgs-fault-pub-${process.pid}-${Date.now()}`, clean: false, properties: { sessionExpiryInterval: 3600 }, reconnectPeriod: 200 });
  client.on('error', () => {});
  await new Promise<void>((r) => client.once('connect', () => r()));
  let acked = 0;
  let next = 0;
  const window = o.window ?? 200;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (next < count && next - acked < window) {
        const seq = next++;
        client.publish(topic, payloadFor(seq), { qos: 1 }, (e) => {
          if (e) return reject(e);
          acked++;
          o.onProgress?.(acked);
          if (acked === count) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  await client.endAsync();
}

/** Sequence numbers 0..count-1 never seen, and how many extra copies were seen. */
export function tally(seen: Map<number, number>, count: number): { lost: number[]; duplicates: number } {
  const lost: number[] = [];
  let duplicates = 0;
  for (let i = 0; i < count; i++) {
    const n = seen.get(i) ?? 0;
    if (!n) lost.push(i);
    else duplicates += n - 1;
  }
  return { lost, duplicates };
}
