/**
 * MQTT throughput and latency: a private mosquitto on a free loopback port.
 *
 *  (a) baseline: publisher -> broker -> subscriber on in/# (pass-through)
 *  (b) publisher -> broker -> graph-simple.yaml run (wired like `wgs run`:
 *      MqttSource on in/#, GraphRunner, MqttSink publishing sinkMessage(item,
 *      'out/x')) -> broker -> subscriber on out/#
 *
 * Each message carries its sequence number as the user property `seq` (the
 * graph passes user properties through), so latency is measured per message
 * from its publish call to its arrival. Figures are printed with their ratio
 * against the broker baseline of the same run; nothing is asserted on time.
 *
 * Run alone: pnpm exec tsx bench/mqtt-throughput.ts
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadGraphDefinition } from '../packages/graph-model/src/index.ts';
import { MqttSink, MqttSource } from '../packages/connectors/src/index.ts';
import { GraphRunner, sinkMessage } from '../packages/runtime/src/index.ts';
import { startBroker, type Broker } from './lib/broker.ts';
import { connectClient, type Client } from './lib/mqtt-client.ts';
import { checkRegistry, findMosquitto, GRAPH_FILE } from './lib/preflight.ts';
import { fmt, fmtInt, isMain, median, percentile, ratio, sleep, summaryTable, table, type SummaryRow } from './lib/stats.ts';
import { EXPECTED_JSON, SAMPLE_JSON } from './lib/temperature.ts';

const N = Number(process.env.BENCH_MQTT_MESSAGES ?? 20_000);
/** Flood phases alternate broker / graph this many times; rates are medians. */
const REPS = Math.max(1, Number(process.env.BENCH_MQTT_REPS ?? 3));
const PACED_N = 1_000;
const PACED_RATE = 500; // messages/s
/** Paced phases leave the first messages out of the latency figures (new connections warming up). */
const PACED_SKIP = 20;
const WARMUP_N = 500;
/** Outstanding publishes (unacknowledged QoS 1, or unwritten QoS 0) the publisher allows. */
const WINDOW = 500;
/** A phase ends when everything arrived, nothing arrived for this long, or at its hard cap. */
const IDLE_TIMEOUT_MS = 5_000;
const HARD_CAP_MS = 60_000;

const PAYLOAD = Buffer.from(SAMPLE_JSON);
const EXPECTED = Buffer.from(EXPECTED_JSON);

export interface PhaseResult {
  label: string;
  qos: 0 | 1;
  sent: number;
  received: number;
  duplicates: number;
  /** Arrivals whose payload was not the expected one (graph phases: not converted). */
  wrongPayload: number;
  sample?: string;
  /** Per repetition: first publish to last arrival. */
  elapsedMs: number[];
  /** Per repetition. */
  rates: number[];
  /** Median over repetitions. */
  rate: number;
  /** Publish-to-arrival, sorted, pooled over repetitions. */
  latencies: number[];
  p50: number;
  p99: number;
  window: number;
  timedOut: boolean;
}

/** Pools repetitions of one phase: median rate, pooled latencies. */
export function combine(reps: PhaseResult[]): PhaseResult {
  const latencies = reps.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const rates = reps.flatMap((r) => r.rates);
  return {
    ...reps[0]!,
    sent: reps.reduce((n, r) => n + r.sent, 0),
    received: reps.reduce((n, r) => n + r.received, 0),
    duplicates: reps.reduce((n, r) => n + r.duplicates, 0),
    wrongPayload: reps.reduce((n, r) => n + r.wrongPayload, 0),
    sample: reps.find((r) => r.sample !== undefined)?.sample,
    elapsedMs: reps.flatMap((r) => r.elapsedMs),
    rates,
    rate: median(rates),
    latencies,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    timedOut: reps.some((r) => r.timedOut),
  };
}

export interface PhaseOptions {
  url: string;
  /** Where the publisher publishes (default in/x). */
  publishTopic?: string;
  label: string;
  qos: 0 | 1;
  n: number;
  /** Topic filter the counting subscriber listens on. */
  listen: string;
  /** Expected payload at the subscriber. */
  expect: Buffer;
  /** Messages per second; undefined = as fast as the window allows. */
  pace?: number;
  /** Sequence numbers below this count for throughput but not for latency. */
  skipLatency?: number;
}

let clientCounter = 0;
const clientId = (role: string) => `wgs-bench-${role}-${process.pid}-${++clientCounter}`;

/** Publishes `n` messages to in/x with `seq` user properties, at most WINDOW outstanding. */
function publishAll(client: Client, o: PhaseOptions, window: number, sendTimes: Float64Array, deadline: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    let timer = false;
    const start = performance.now();
    const allowed = () => (o.pace ? Math.min(o.n, Math.floor(((performance.now() - start) / 1000) * o.pace) + 1) : o.n);
    const publishOne = () => {
      const i = next++;
      sendTimes[i] = performance.now();
      client.publish(o.publishTopic ?? 'in/x', PAYLOAD, { qos: o.qos, properties: { userProperties: { seq: String(i) } } }, (err) => {
        if (failed) return;
        if (err) {
          failed = true;
          reject(new Error(`${o.label}: publish failed: ${err.message}`));
          return;
        }
        done++;
        if (done === o.n) resolve(next);
        else pump();
      });
    };
    const pump = () => {
      if (performance.now() > deadline) {
        failed = true;
        resolve(next);
        return;
      }
      const limit = allowed();
      while (next < limit && next - done < window) publishOne();
      if (o.pace && !timer && next < o.n && next - done < window && next >= limit) {
        // Paced: come back when the next message is due.
        timer = true;
        setTimeout(() => {
          timer = false;
          pump();
        }, Math.max(1, Math.ceil((next / o.pace) * 1000 - (performance.now() - start))));
      }
    };
    pump();
  });
}

/** One measured phase: subscriber first, then the publisher; waits (bounded) for the arrivals. */
export async function phase(o: PhaseOptions): Promise<PhaseResult> {
  const sendTimes = new Float64Array(o.n).fill(NaN);
  const arrivals = new Float64Array(o.n).fill(NaN);
  let received = 0;
  let duplicates = 0;
  let wrongPayload = 0;
  let sample: string | undefined;
  let lastArrival = performance.now();
  let allArrived!: () => void;
  const arrivedAll = new Promise<void>((r) => (allArrived = r));

  const { client: sub } = await connectClient(o.url, clientId('sub'));
  sub.on('message', (_topic, payload, packet) => {
    const now = performance.now();
    lastArrival = now;
    const raw = packet.properties?.userProperties?.seq;
    const seq = Number(Array.isArray(raw) ? raw[0] : raw);
    if (!Number.isInteger(seq) || seq < 0 || seq >= o.n) return;
    if (!Number.isNaN(arrivals[seq]!)) {
      duplicates++;
      return;
    }
    arrivals[seq] = now;
    if (!payload.equals(o.expect)) wrongPayload++;
    if (sample === undefined) sample = payload.toString();
    if (++received === o.n) allArrived();
  });
  const granted = await sub.subscribeAsync(o.listen, { qos: o.qos });
  if (granted.some((g) => g.qos === 128)) throw new Error(`${o.label}: subscription to ${o.listen} refused`);

  const { client: pub, connack } = await connectClient(o.url, clientId('pub'));
  const window = o.qos === 1 ? Math.min(WINDOW, connack.properties?.receiveMaximum ?? WINDOW) : WINDOW;
  const hardDeadline = performance.now() + HARD_CAP_MS;
  const sent = await publishAll(pub, o, window, sendTimes, hardDeadline);

  // Bounded wait: all arrived, or no arrival for IDLE_TIMEOUT_MS, or the hard cap.
  let timedOut = false;
  while (received < o.n) {
    const idleFor = performance.now() - lastArrival;
    if (idleFor > IDLE_TIMEOUT_MS || performance.now() > hardDeadline) {
      timedOut = true;
      break;
    }
    await Promise.race([arrivedAll, sleep(100)]);
  }
  await pub.endAsync();
  await sub.endAsync();

  const latencies: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < o.n; i++) {
    const a = arrivals[i]!;
    if (Number.isNaN(a)) continue;
    if (i >= (o.skipLatency ?? 0)) latencies.push(a - sendTimes[i]!);
    if (a > last) last = a;
  }
  latencies.sort((a, b) => a - b);
  const elapsedMs = received ? last - sendTimes[0]! : NaN;
  return {
    label: o.label,
    qos: o.qos,
    sent,
    received,
    duplicates,
    wrongPayload,
    sample,
    elapsedMs: [elapsedMs],
    rates: [received / (elapsedMs / 1000)],
    rate: received / (elapsedMs / 1000),
    latencies,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    window,
    timedOut,
  };
}

interface GraphRun {
  runner: GraphRunner;
  errors: number;
  firstError?: string;
  startMs: number;
}

async function startGraph(): Promise<GraphRun> {
  const graph = loadGraphDefinition(readFileSync(GRAPH_FILE, 'utf8'), GRAPH_FILE);
  const t0 = performance.now();
  // As apps/cli/src/commands/run.ts starts it with its defaults.
  const runner = await GraphRunner.start({
    graph,
    baseDir: dirname(GRAPH_FILE),
    configuration: {},
    stateSeed: [],
    deadlineMs: 2000,
    latenessMs: 2000,
  });
  const run: GraphRun = { runner, errors: 0, startMs: performance.now() - t0 };
  runner.on('error', (e) => {
    run.errors++;
    run.firstError ??= `[${e.operation}] ${e.trap ? 'trap' : 'error'}: ${e.message}`;
  });
  runner.on('restart', (reason) => {
    run.errors++;
    run.firstError ??= `graph restarted: ${reason}`;
  });
  return run;
}

/** Source and sink as `wgs run --source in/# --sink out/x --qos <qos>` wires them (apps/cli/src/commands/run.ts). */
async function withConnectors<T>(url: string, qos: 0 | 1, run: GraphRun, fn: () => Promise<T>): Promise<T> {
  const sink = new MqttSink({ url, qos });
  const source = new MqttSource({ url, qos }, ['in/#']);
  let sinkErrors = 0;
  // Awaited by the runner per batch (backpressure), as `wgs run` wires it.
  const onOutput = ({ item }: { item: Parameters<typeof sinkMessage>[0] }) =>
    sink.publish(sinkMessage(item, 'out/x')).catch(() => {
      sinkErrors++;
    });
  let sourceStarted = false;
  try {
    await sink.start();
    run.runner.setOutputHandler(onOutput);
    await source.start((m) => run.runner.push(m));
    sourceStarted = true;
    return await fn();
  } finally {
    if (sourceStarted) await source.stop().catch(() => {});
    // Bounded: whatever the source accepted is processed and published before the sink closes.
    await Promise.race([run.runner.idle(), sleep(10_000)]);
    run.runner.setOutputHandler(undefined);
    await sink.stop().catch(() => {});
    if (sinkErrors) {
      run.errors += sinkErrors;
      run.firstError ??= `sink: ${sinkErrors} publish(es) failed`;
    }
  }
}

function phaseRow(r: PhaseResult, baseline?: PhaseResult): string[] {
  const lost = r.sent - r.received;
  return [
    r.label,
    `${r.qos}`,
    `${fmtInt(r.window)}`,
    `${fmtInt(r.received)}/${fmtInt(r.sent)}${r.timedOut ? ' (timeout)' : ''}`,
    r.rates.map((x) => fmtInt(x)).join(' '),
    fmtInt(r.rate),
    baseline ? ratio(r.rate, baseline.rate) : '1.00x',
    fmt(r.p50, 2),
    fmt(r.p99, 2),
    baseline ? ratio(r.p50, baseline.p50) : '1.00x',
    baseline ? ratio(r.p99, baseline.p99) : '1.00x',
    `${lost > 0 ? `lost ${lost} ` : ''}${r.duplicates ? `dup ${r.duplicates} ` : ''}${r.wrongPayload ? `wrong payload ${r.wrongPayload}` : ''}`.trim() || 'ok',
  ];
}

export async function runMqttBench(): Promise<SummaryRow[]> {
  findMosquitto();
  await checkRegistry();
  console.log('== mqtt-throughput ==');
  const broker: Broker = await startBroker();
  console.log(`broker: ${broker.binary} on ${broker.url} (private, persistence off, max_queued_messages 1000000)`);
  console.log(`payload: ${SAMPLE_JSON} (${PAYLOAD.length} bytes) to in/x; flood = ${fmtInt(N)} messages as fast as the publisher window allows, ${REPS} repetitions alternating broker/graph; paced = ${fmtInt(PACED_N)} messages at ${PACED_RATE}/s`);
  console.log(`expected graph output: ${EXPECTED_JSON}`);
  // Node prints it as well; noted again below the results with what it means here.
  let drainWarnings = 0;
  const onWarning = (w: Error) => {
    if (w.name === 'MaxListenersExceededWarning' && w.message.includes('drain')) drainWarnings++;
  };
  process.on('warning', onWarning);
  const reps = new Map<string, PhaseResult[]>();
  const add = (k: string, r: PhaseResult) => reps.set(k, [...(reps.get(k) ?? []), r]);
  let graph: GraphRun | undefined;
  try {
    const url = broker.url;
    const flood = (label: string, qos: 0 | 1, listen: string, expect: Buffer, n = N) => phase({ url, label, qos, n, listen, expect });
    const paced = (label: string, listen: string, expect: Buffer) => phase({ url, label, qos: 1, n: PACED_N, listen, expect, pace: PACED_RATE, skipLatency: PACED_SKIP });
    const throughGraph = <T>(qos: 0 | 1, fn: () => Promise<T>) => withConnectors(url, qos, graph!, fn);

    graph = await startGraph();
    console.log(`graph started in ${fmt(graph.startMs, 0)} ms (worker thread, module load, init)`);
    // Warm-ups (not reported): clients, broker, and the graph worker's JIT.
    await flood('warm-up', 1, 'in/#', PAYLOAD, WARMUP_N);
    await throughGraph(1, () => flood('warm-up', 1, 'out/#', EXPECTED, WARMUP_N));

    for (let rep = 0; rep < REPS; rep++) {
      for (const qos of [1, 0] as const) {
        // (a) broker pass-through: subscriber on in/#, no graph connected.
        add(`broker-q${qos}`, await flood(`broker q${qos} flood`, qos, 'in/#', PAYLOAD));
        // (b) through the graph: source on in/#, sink to out/x, subscriber on out/#.
        add(`graph-q${qos}`, await throughGraph(qos, () => flood(`graph q${qos} flood`, qos, 'out/#', EXPECTED)));
      }
    }
    add('broker-paced', await paced(`broker q1 ${PACED_RATE}/s`, 'in/#', PAYLOAD));
    add('graph-paced', await throughGraph(1, () => paced(`graph q1 ${PACED_RATE}/s`, 'out/#', EXPECTED)));

    const counters = [...graph.runner.counters()].map(([op, c]) => `${op}: in ${c.in} out ${c.out} dropped ${c.dropped} errors ${c.errors}`);
    console.log(`graph counters (incl. warm-up): ${counters.join('; ')}`);
    if (graph.errors) console.log(`graph errors: ${graph.errors} (first: ${graph.firstError})`);
  } finally {
    process.off('warning', onWarning);
    await graph?.runner.stop();
    await broker.stop();
  }
  const results = new Map([...reps].map(([k, v]) => [k, combine(v)]));
  const get = (k: string) => results.get(k)!;
  console.log('');
  console.log(table([
    ['phase', 'qos', 'window', 'arrived', 'msgs/s per rep', 'msgs/s (median)', 'vs broker', 'p50 ms', 'p99 ms', 'p50 vs broker', 'p99 vs broker', 'check'],
    phaseRow(get('broker-q1')),
    phaseRow(get('broker-q0')),
    phaseRow(get('broker-paced')),
    phaseRow(get('graph-q1'), get('broker-q1')),
    phaseRow(get('graph-q0'), get('broker-q0')),
    phaseRow(get('graph-paced'), get('broker-paced')),
  ]));
  for (const k of ['graph-q1', 'graph-q0', 'graph-paced']) {
    const r = get(k);
    const converted = r.received - r.wrongPayload;
    console.log(`${r.label}: ${fmtInt(converted)}/${fmtInt(r.received)} output payloads converted; sample: ${r.sample ?? '(none)'}${r.sample === EXPECTED_JSON ? ' (= expected Celsius JSON)' : ' (NOT the expected Celsius JSON)'}`);
  }
  console.log('latency = publish call to arrival, pooled over repetitions. Flood latency includes queueing behind the publisher window');
  console.log('(QoS 0 has no acknowledgement, so the publisher runs ahead of the graph); the paced rows show latency at a light load');
  console.log(`(their first ${PACED_SKIP} messages left out: new connections warming up).`);
  if (drainWarnings) {
    console.log(`note: ${drainWarnings} MaxListenersExceededWarning(s) about 'drain' listeners: more than 1000 publishes were waiting on one MQTT socket`);
    console.log('(seen from MqttSink.publish, called per runner output without backpressure; the benchmark publisher keeps at most its window in flight).');
  }
  console.log('');

  const rows: SummaryRow[] = [];
  for (const qos of [1, 0] as const) {
    const b = get(`broker-q${qos}`);
    const g = get(`graph-q${qos}`);
    rows.push({ bench: 'mqtt', metric: `msgs/s q${qos} graph vs broker`, value: fmtInt(g.rate), baseline: fmtInt(b.rate), ratio: ratio(g.rate, b.rate) });
    rows.push({ bench: 'mqtt', metric: `p99 ms q${qos} flood graph vs broker`, value: fmt(g.p99, 1), baseline: fmt(b.p99, 1), ratio: ratio(g.p99, b.p99) });
  }
  const bp = get('broker-paced');
  const gp = get('graph-paced');
  rows.push({ bench: 'mqtt', metric: `p50 ms q1 @${PACED_RATE}/s graph vs broker`, value: fmt(gp.p50, 2), baseline: fmt(bp.p50, 2), ratio: ratio(gp.p50, bp.p50) });
  rows.push({ bench: 'mqtt', metric: `p99 ms q1 @${PACED_RATE}/s graph vs broker`, value: fmt(gp.p99, 2), baseline: fmt(bp.p99, 2), ratio: ratio(gp.p99, bp.p99) });
  const allConverted = ['graph-q1', 'graph-q0', 'graph-paced'].every((k) => get(k).wrongPayload === 0 && get(k).received > 0 && get(k).sample === EXPECTED_JSON);
  rows.push({ bench: 'mqtt', metric: 'graph outputs converted', value: allConverted ? 'all' : 'NO', baseline: '-', ratio: '-' });
  return rows;
}

if (isMain(import.meta.url)) {
  runMqttBench().then((rows) => {
    console.log(summaryTable(rows));
    process.exit(0);
  }, (e: Error) => {
    console.error(`mqtt-throughput failed: ${e.message}`);
    process.exit(1);
  });
}
