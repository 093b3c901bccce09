/**
 * Live preview: publish-to-browser latency and the memory of idle sessions.
 *
 * The real API server (buildApp, temporary FileStore, token auth, 127.0.0.1:0)
 * runs in its own process (bench/lib/preview-server-child.ts, precompiled as
 * `pnpm start` runs it, forked with --expose-gc) against a private mosquitto; this process plays the browser
 * (a `ws` WebSocket client), the MQTT publisher and the baseline subscriber.
 *
 *  (1) latency: the preview of graph-simple.yaml on bench/in; mqtt.js
 *      publishes {"temperature":{"value":<seq>,"unit":"F"}} with the user
 *      property seq=<seq> at a fixed rate (QoS 1). For every sample of the map
 *      operator's output that reaches the browser (the preview samples at most
 *      10 per second per operation and kind, and sends one update per 100 ms),
 *      latency = arrival of the update - publish call of message seq. Counter
 *      latency of message n = arrival of the first update whose map `out`
 *      counter exceeds n - publish call of n. Baseline, at the same time and
 *      on the same messages: a plain mqtt.js subscriber on bench/in (QoS 1).
 *      The final counters must equal the number of messages published.
 *  (2) memory: process.memoryUsage() of the server process (after gc in its
 *      main thread) before any session, with 1 and with N idle sessions of
 *      the simple graph (one WebSocket, one worker thread and one MQTT
 *      subscription each), and after they stopped. Baseline: before any session.
 *
 * Run alone: pnpm exec tsx bench/preview-latency.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as gm from '../packages/graph-model/src/index.ts';
import { startBroker, type Broker } from './lib/broker.ts';
import { connectClient, type Client } from './lib/mqtt-client.ts';
import { mapOperation } from './lib/operator.ts';
import { connectPreview, type PreviewClient, type ServerMessage } from './lib/preview-client.ts';
import type { FromServerChild, MemoryUsage, ToServerChild } from './lib/preview-server-child.ts';
import { checkRegistry, findMosquitto, GRAPH_FILE, ROOT } from './lib/preflight.ts';
import { fmt, fmtInt, isMain, median, percentile, ratio, sleep, summaryTable, table, type SummaryRow } from './lib/stats.ts';
import { convertPayload } from './lib/temperature.ts';

const RATE = Math.max(1, Number(process.env.BENCH_PREVIEW_RATE ?? 1_000)); // messages/s
const SECONDS = Math.max(1, Number(process.env.BENCH_PREVIEW_SECONDS ?? 10));
const N = Math.round(RATE * SECONDS);
/** The first 0.2 s of messages count for the counters but not for latency (new connections, fresh worker). */
const SKIP = Math.min(Math.round(RATE * 0.2), Math.floor(N / 2));
const IDLE_SESSIONS = Math.max(1, Number(process.env.BENCH_PREVIEW_SESSIONS ?? 5));
const TOPIC = 'bench/in';
const TOKEN = 'wgs-bench-token';
/** Memory readings per measuring point (median per field), this far apart. */
const READINGS = 3;
const READING_GAP_MS = 200;
/** Idle sessions are given this long to settle before memory is read. */
const SETTLE_MS = 1_000;
/** After the last publish: wait until everything arrived, nothing arrived for this long, or the hard cap. */
const IDLE_TIMEOUT_MS = 10_000;
const HARD_CAP_MS = SECONDS * 1000 + 30_000;
const SERVER_START_MS = 60_000;
const SESSION_START_MS = 30_000;

const MiB = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const payloadOf = (seq: number) => `{"temperature":{"value":${seq},"unit":"F"}}`;

let clientCounter = 0;
const clientId = (role: string) => `wgs-bench-preview-${role}-${process.pid}-${++clientCounter}`;

interface ServerProcess {
  base: string;
  gc: boolean;
  memory(): Promise<MemoryUsage>;
  /** Preview sessions the server counts (wgs_preview_sessions on /metrics). */
  sessions(): Promise<number>;
  stop(): Promise<void>;
}

/** Forks the server child and waits (bounded) until it listens. */
async function startServer(broker: Broker, maxSessions: number): Promise<ServerProcess> {
  // Precompiled, as `pnpm start` runs the server (WGS_SERVER_BUNDLE=off: through tsx).
  const script = fileURLToPath(new URL('./lib/preview-server-child.mjs', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    cwd: ROOT,
    execArgv: ['--expose-gc'],
    env: { ...process.env, WGS_BENCH_BROKER_URL: broker.url, WGS_BENCH_TOKEN: TOKEN, WGS_BENCH_MAX_SESSIONS: String(maxSessions) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    if (output.length < 10_000) output += d.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const pending = new Map<number, (u: MemoryUsage) => void>();
  let nextId = 0;
  const ready = await new Promise<{ port: number; gc: boolean }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server child did not listen within ${SERVER_START_MS} ms: ${output.trim() || 'no output'}`));
    }, SERVER_START_MS);
    child.on('message', (m: FromServerChild) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`server child failed: ${m.message}`));
      } else if (m.type === 'memory') {
        pending.get(m.id)?.(m.usage);
        pending.delete(m.id);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server child exited (${signal ?? `exit ${code}`}): ${output.trim() || 'no output'}`));
    });
  }).catch(async (e: Error) => {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    await exited;
    throw e;
  });
  const base = `127.0.0.1:${ready.port}`;
  const request = (m: ToServerChild) => child.send(m);
  return {
    base,
    gc: ready.gc,
    memory: () => new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('server child: no memory reading within 10 s'));
      }, 10_000);
      pending.set(id, (u) => {
        clearTimeout(timer);
        resolve(u);
      });
      request({ type: 'memory', id });
    }),
    sessions: async () => {
      const res = await fetch(`http://${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const m = /^wgs_preview_sessions (\d+)$/m.exec(await res.text());
      if (!m) throw new Error(`/metrics (HTTP ${res.status}) has no wgs_preview_sessions`);
      return Number(m[1]);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) request({ type: 'stop' });
        else child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      process.removeListener('exit', killOnExit);
    },
  };
}

/** Sends `start` and waits for `started` (an `error` fails). */
async function startPreview(c: PreviewClient, graph: string, sources: string[]): Promise<void> {
  const reply = c.waitFor((m) => m.type === 'started' || m.type === 'error', SESSION_START_MS, "'started'");
  c.send({ type: 'start', graph, sources });
  const m = await reply;
  if (m.type === 'error') throw new Error(`preview did not start: ${m.code}: ${m.message}`);
}

/** Median of READINGS readings, per field. */
async function memoryPoint(server: ServerProcess): Promise<MemoryUsage> {
  const readings: MemoryUsage[] = [];
  for (let i = 0; i < READINGS; i++) {
    if (i) await sleep(READING_GAP_MS);
    readings.push(await server.memory());
  }
  const field = (k: keyof MemoryUsage) => median(readings.map((r) => r[k]));
  return { rss: field('rss'), heapTotal: field('heapTotal'), heapUsed: field('heapUsed'), external: field('external'), arrayBuffers: field('arrayBuffers') };
}

interface MemoryResult {
  gc: boolean;
  before: MemoryUsage;
  one: MemoryUsage;
  all: MemoryUsage;
  after: MemoryUsage;
  sessionsCounted: number;
  sessionsAfter: number;
}

async function measureMemory(server: ServerProcess, graph: string): Promise<MemoryResult> {
  await sleep(SETTLE_MS);
  const before = await memoryPoint(server);
  const clients: PreviewClient[] = [];
  let one = before;
  try {
    for (let k = 0; k < IDLE_SESSIONS; k++) {
      const c = await connectPreview(server.base, TOKEN);
      clients.push(c);
      // Nothing is ever published on these topics: the sessions stay idle.
      await startPreview(c, graph, [`bench/idle/${k}`]);
      if (k === 0) {
        await sleep(SETTLE_MS);
        one = await memoryPoint(server);
      }
    }
    await sleep(SETTLE_MS);
    const all = await memoryPoint(server);
    const sessionsCounted = await server.sessions();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    // Closing a WebSocket stops its session (worker terminated, source closed); bounded wait for all of them.
    const deadline = performance.now() + 10_000;
    let sessionsAfter = await server.sessions();
    while (sessionsAfter > 0 && performance.now() < deadline) {
      await sleep(100);
      sessionsAfter = await server.sessions();
    }
    await sleep(SETTLE_MS);
    const after = await memoryPoint(server);
    return { gc: server.gc, before, one, all, after, sessionsCounted, sessionsAfter };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

interface LatencyResult {
  published: number;
  acked: number;
  windowWaits: number;
  window: number;
  subReceived: number;
  subDuplicates: number;
  /** Sorted, ms. */
  sub: number[];
  sample: number[];
  counter: number[];
  samplesSeen: number;
  samplesWrong: number;
  updates: number;
  counters: Record<string, { in: number; out: number; dropped: number; errors: number }>;
  engineErrors: number;
  timedOut: boolean;
  elapsedMs: number;
}

/**
 * Publishes N messages at RATE msg/s (QoS 1), at most `window` unacknowledged
 * (the broker's receive maximum); records each publish call's time.
 */
function publishPaced(pub: Client, window: number, sendTimes: Float64Array, deadline: number): Promise<{ published: number; acked: number; windowWaits: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let next = 0;
    let acked = 0;
    let windowWaits = 0;
    let waiting = false;
    let failed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      resolve({ published: next, acked, windowWaits });
    };
    const pump = () => {
      if (failed) return;
      if (performance.now() > deadline) {
        failed = true;
        finish();
        return;
      }
      const due = Math.min(N, Math.floor(((performance.now() - start) / 1000) * RATE) + 1);
      while (next < due) {
        if (next - acked >= window) {
          if (!waiting) windowWaits++;
          waiting = true;
          return; // the next acknowledgement pumps again
        }
        waiting = false;
        const seq = next++;
        sendTimes[seq] = performance.now();
        pub.publish(TOPIC, Buffer.from(payloadOf(seq)), { qos: 1, properties: { userProperties: { seq: String(seq) } } }, (err) => {
          if (failed) return;
          if (err) {
            failed = true;
            clearTimeout(timer);
            reject(new Error(`publish ${seq} failed: ${err.message}`));
            return;
          }
          acked++;
          if (acked === N) finish();
          else if (waiting) pump();
        });
      }
      if (next < N && !timer) {
        timer = setTimeout(() => {
          timer = undefined;
          pump();
        }, Math.max(0, start + (next / RATE) * 1000 - performance.now()));
      }
    };
    pump();
  });
}

const seqOf = (props: [string, string][] | undefined): number => Number(props?.find(([k]) => k === 'seq')?.[1] ?? NaN);

async function measureLatency(server: ServerProcess, broker: Broker, graph: string, mapOp: string): Promise<LatencyResult> {
  const sendTimes = new Float64Array(N).fill(NaN);
  const subArrivals = new Float64Array(N).fill(NaN);
  const counterAt = new Float64Array(N).fill(NaN);
  const sample: number[] = [];
  let subReceived = 0;
  let subDuplicates = 0;
  let counted = 0;
  let samplesSeen = 0;
  let samplesWrong = 0;
  let updates = 0;
  let engineErrors = 0;
  let counters: LatencyResult['counters'] = {};
  let lastArrival = performance.now();

  const onUpdate = (m: ServerMessage, at: number) => {
    if (m.type !== 'update') return;
    updates++;
    lastArrival = at;
    engineErrors += m.errors?.length ?? 0;
    for (const s of m.samples ?? []) {
      if (s.operation !== mapOp || s.event !== 'out') continue;
      samplesSeen++;
      const seq = seqOf(s.item.userProperties);
      if (!Number.isInteger(seq) || seq < 0 || seq >= N || Number.isNaN(sendTimes[seq]!)) {
        samplesWrong++;
        continue;
      }
      // The operator's output for exactly this message (as the JS model of it computes it).
      if (s.item.data !== decoder.decode(convertPayload(encoder.encode(payloadOf(seq))))) samplesWrong++;
      if (seq >= SKIP) sample.push(at - sendTimes[seq]!);
    }
    if (m.counters) {
      counters = m.counters;
      const out = Math.min(N, m.counters[mapOp]?.out ?? 0);
      while (counted < out) counterAt[counted++] = at;
    }
  };

  const { client: sub } = await connectClient(broker.url, clientId('sub'));
  const preview = await connectPreview(server.base, TOKEN, onUpdate);
  let pub: Client | undefined;
  try {
    sub.on('message', (_topic, _payload, packet) => {
      const now = performance.now();
      lastArrival = now;
      const raw = packet.properties?.userProperties?.seq;
      const seq = Number(Array.isArray(raw) ? raw[0] : raw);
      if (!Number.isInteger(seq) || seq < 0 || seq >= N) return;
      if (!Number.isNaN(subArrivals[seq]!)) {
        subDuplicates++;
        return;
      }
      subArrivals[seq] = now;
      subReceived++;
    });
    const granted = await sub.subscribeAsync(TOPIC, { qos: 1 });
    if (granted.some((g) => g.qos === 128)) throw new Error(`subscription to ${TOPIC} refused`);
    await startPreview(preview, graph, [TOPIC]);

    const connected = await connectClient(broker.url, clientId('pub'));
    pub = connected.client;
    const window = Math.min(500, connected.connack.properties?.receiveMaximum ?? 20);
    const t0 = performance.now();
    const hardDeadline = t0 + HARD_CAP_MS;
    const { published, acked, windowWaits } = await publishPaced(pub, window, sendTimes, hardDeadline);

    // Bounded wait for the last arrivals at the subscriber and the final counters at the browser.
    let timedOut = false;
    lastArrival = Math.max(lastArrival, performance.now());
    while (subReceived < published || counted < published) {
      if (performance.now() - lastArrival > IDLE_TIMEOUT_MS || performance.now() > hardDeadline) {
        timedOut = true;
        break;
      }
      await sleep(20);
    }
    const elapsedMs = performance.now() - t0;
    // One more flush interval or two: counters that overshoot (duplicates) would show here.
    await sleep(300);

    const lat = (arrivals: Float64Array) => {
      const out: number[] = [];
      for (let i = SKIP; i < published; i++) if (!Number.isNaN(arrivals[i]!)) out.push(arrivals[i]! - sendTimes[i]!);
      return out.sort((a, b) => a - b);
    };
    return {
      published,
      acked,
      windowWaits,
      window,
      subReceived,
      subDuplicates,
      sub: lat(subArrivals),
      sample: sample.sort((a, b) => a - b),
      counter: lat(counterAt),
      samplesSeen,
      samplesWrong,
      updates,
      counters,
      engineErrors,
      timedOut,
      elapsedMs,
    };
  } finally {
    await pub?.endAsync().catch(() => {});
    await sub.endAsync().catch(() => {});
    await preview.close();
  }
}

const mib = (bytes: number, digits = 1) => fmt(bytes / MiB, digits);

function memoryRows(m: MemoryResult): string[][] {
  const row = (label: string, u: MemoryUsage, sessions: string) => [label, sessions, mib(u.rss), mib(u.heapUsed), mib(u.heapTotal), mib(u.external), mib(u.arrayBuffers)];
  const per = (label: string, a: MemoryUsage, b: MemoryUsage, n: number) => [label, '', ...(['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const).map((k) => mib((a[k] - b[k]) / n, 2))];
  return [
    ['server process (MiB)', 'sessions', 'rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'],
    row('before any session (baseline)', m.before, '0'),
    row('1 idle session', m.one, '1'),
    row(`${IDLE_SESSIONS} idle sessions`, m.all, String(m.sessionsCounted)),
    row(`after the ${IDLE_SESSIONS} stopped`, m.after, String(m.sessionsAfter)),
    per(`per idle session: (${IDLE_SESSIONS} - baseline) / ${IDLE_SESSIONS}`, m.all, m.before, IDLE_SESSIONS),
    per('first session: (1 - baseline)', m.one, m.before, 1),
    ...(IDLE_SESSIONS > 1 ? [per(`each further: (${IDLE_SESSIONS} - 1) / ${IDLE_SESSIONS - 1}`, m.all, m.one, IDLE_SESSIONS - 1)] : []),
  ];
}

function latencyRow(label: string, what: string, l: number[], base?: number[]): string[] {
  return [
    label,
    what,
    fmtInt(l.length),
    fmt(percentile(l, 50), 2),
    fmt(percentile(l, 99), 2),
    fmt(l.at(-1) ?? NaN, 2),
    base ? ratio(percentile(l, 50), percentile(base, 50)) : '1.00x',
    base ? ratio(percentile(l, 99), percentile(base, 99)) : '1.00x',
  ];
}

export async function runPreviewBench(): Promise<SummaryRow[]> {
  findMosquitto();
  await checkRegistry();
  const graph = readFileSync(GRAPH_FILE, 'utf8');
  const mapOp = mapOperation(gm).op.name;
  console.log('== preview-latency ==');
  const broker = await startBroker();
  let server: ServerProcess | undefined;
  let memory: MemoryResult;
  let lat: LatencyResult;
  try {
    const t0 = performance.now();
    server = await startServer(broker, IDLE_SESSIONS + 1);
    console.log(`broker: ${broker.binary} on ${broker.url} (private); server: buildApp in a child process on http://${server.base} (token auth, temporary FileStore), started in ${fmt(performance.now() - t0, 0)} ms; gc ${server.gc ? 'exposed (--expose-gc)' : 'NOT exposed'}`);
    console.log(`preview graph: ${GRAPH_FILE} (map operation ${mapOp}); default preview settings: 10 samples/s per operation and kind, one update per 100 ms`);

    memory = await measureMemory(server, graph);
    console.log(`memory: ${IDLE_SESSIONS} idle sessions counted by the server: ${memory.sessionsCounted}; after closing their WebSockets: ${memory.sessionsAfter}`);

    console.log(`latency: ${fmtInt(N)} messages at ${fmtInt(RATE)}/s (QoS 1) to ${TOPIC}, seq in a user property; first ${fmtInt(SKIP)} left out of latency figures`);
    lat = await measureLatency(server, broker, graph, mapOp);
  } finally {
    await server?.stop();
    await broker.stop();
  }

  const map = lat.counters[mapOp];
  const exact = !lat.timedOut && lat.published === N && lat.acked === N
    && Object.values(lat.counters).length > 0
    && Object.values(lat.counters).every((c) => c.in === N && c.dropped === 0 && c.errors === 0)
    && map?.out === N;
  const counterText = Object.entries(lat.counters).map(([op, c]) => `${op}: in ${c.in} out ${c.out} dropped ${c.dropped} errors ${c.errors}`).join('; ');

  console.log('');
  console.log(table([
    ['path', 'latency of', 'n', 'p50 ms', 'p99 ms', 'max ms', 'p50 vs sub', 'p99 vs sub'],
    latencyRow('mqtt.js subscriber (baseline)', 'every message', lat.sub),
    latencyRow('preview, browser', `sampled ${mapOp} out`, lat.sample, lat.sub),
    latencyRow('preview, browser', `${mapOp} out counter >= n+1`, lat.counter, lat.sub),
  ]));
  console.log(`published ${fmtInt(lat.published)}/${fmtInt(N)} (acknowledged ${fmtInt(lat.acked)}, window ${lat.window}, window full ${lat.windowWaits}x) in ${fmt(lat.elapsedMs / 1000, 1)} s incl. drain${lat.timedOut ? ' (TIMED OUT waiting for arrivals)' : ''}`);
  console.log(`subscriber: ${fmtInt(lat.subReceived)}/${fmtInt(lat.published)} arrived${lat.subDuplicates ? `, ${lat.subDuplicates} duplicates` : ''}`);
  console.log(`browser: ${fmtInt(lat.updates)} updates, ${fmtInt(lat.samplesSeen)} samples of ${mapOp} out (${lat.samplesWrong ? `${lat.samplesWrong} NOT` : 'all'} the converted payload of their seq), ${lat.engineErrors} engine errors`);
  console.log(`final counters: ${counterText || '(none)'} -> ${exact ? `exact (= ${fmtInt(N)} published)` : `NOT exact (published ${fmtInt(lat.published)})`}`);
  console.log('sample latency includes the wait for the next update (one per 100 ms); the counter row: time until the counter in an update covers message n.');
  console.log('');
  console.log(table(memoryRows(memory)));
  console.log(`process.memoryUsage() of the server process, median of ${READINGS} readings ${READING_GAP_MS} ms apart, ${memory.gc ? 'each after global.gc() x3 in the main thread' : 'WITHOUT gc (not exposed)'}, ${SETTLE_MS} ms after the sessions started.`);
  console.log('rss covers the whole process (worker threads included); heapUsed/heapTotal/external are the main thread\'s isolate only (each session\'s worker has its own heap, not collected by that gc).');
  console.log('');

  const perSession = (k: keyof MemoryUsage) => (memory.all[k] - memory.before[k]) / IDLE_SESSIONS;
  const p = (l: number[], q: number) => percentile(l, q);
  const rows: SummaryRow[] = [
    { bench: 'preview', metric: `p50 ms sample @${RATE}/s browser vs mqtt sub`, value: fmt(p(lat.sample, 50), 2), baseline: fmt(p(lat.sub, 50), 2), ratio: ratio(p(lat.sample, 50), p(lat.sub, 50)) },
    { bench: 'preview', metric: `p99 ms sample @${RATE}/s browser vs mqtt sub`, value: fmt(p(lat.sample, 99), 2), baseline: fmt(p(lat.sub, 99), 2), ratio: ratio(p(lat.sample, 99), p(lat.sub, 99)) },
    { bench: 'preview', metric: `p50 ms counter @${RATE}/s browser vs mqtt sub`, value: fmt(p(lat.counter, 50), 2), baseline: fmt(p(lat.sub, 50), 2), ratio: ratio(p(lat.counter, 50), p(lat.sub, 50)) },
    { bench: 'preview', metric: `p99 ms counter @${RATE}/s browser vs mqtt sub`, value: fmt(p(lat.counter, 99), 2), baseline: fmt(p(lat.sub, 99), 2), ratio: ratio(p(lat.counter, 99), p(lat.sub, 99)) },
    { bench: 'preview', metric: 'final counters = published', value: exact ? `exact ${fmtInt(N)}` : 'NO', baseline: fmtInt(N), ratio: '-' },
    { bench: 'preview', metric: 'MiB rss per idle session vs server before', value: mib(perSession('rss'), 2), baseline: mib(memory.before.rss), ratio: ratio(perSession('rss'), memory.before.rss) },
    { bench: 'preview', metric: 'MiB heapUsed (main) per idle session vs before', value: mib(perSession('heapUsed'), 2), baseline: mib(memory.before.heapUsed), ratio: ratio(perSession('heapUsed'), memory.before.heapUsed) },
  ];
  return rows;
}

if (isMain(import.meta.url)) {
  runPreviewBench().then((rows) => {
    console.log(summaryTable(rows));
    process.exit(0);
  }, (e: Error) => {
    console.error(`preview-latency failed: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}
