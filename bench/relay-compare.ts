/**
 * The same F -> C conversion over MQTT by four contenders, in one run, on a
 * private Mosquitto:
 *
 *  - broker pass-through: publisher -> broker -> subscriber (the ceiling)
 *  - `wgs run` with graph-simple.yaml (the real CLI in its own process: MQTT
 *    source, GraphRunner with its worker, the temperature component, sink)
 *  - Node-RED 4 (pinned devDependency), headless: mqtt in -> function -> mqtt out
 *  - a bare mqtt.js relay doing the conversion in JS (the floor for Node.js)
 *
 * Each contender runs in its own process, so its CPU time per message is read
 * from /proc (user + system, all threads) around each flood; the broker's too.
 * Floods alternate between contenders, repeated BENCH_RELAY_REPS times per
 * QoS; rates are medians, ratios are against the pass-through of the same
 * run. Nothing is asserted on time.
 *
 * Run alone: pnpm bench relays
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBroker, type Broker } from './lib/broker.ts';
import { connectClient } from './lib/mqtt-client.ts';
import { checkRegistry, findMosquitto, GRAPH_FILE, ROOT } from './lib/preflight.ts';
import { fmt, fmtInt, isMain, median, ratio, sleep, summaryTable, table, type SummaryRow } from './lib/stats.ts';
import { EXPECTED_JSON, SAMPLE_JSON } from './lib/temperature.ts';
import { combine, phase, type PhaseResult } from './mqtt-throughput.ts';
import { freePort } from '../packages/connectors/src/testing/ports.ts';

const N = Number(process.env.BENCH_RELAY_MESSAGES ?? 20_000);
const REPS = Math.max(1, Number(process.env.BENCH_RELAY_REPS ?? 3));
const WARMUP_N = 2_000;
const QOS = (process.env.BENCH_RELAY_QOS ?? '0,1').split(',').map((q) => (q.trim() === '0' ? 0 : 1)) as (0 | 1)[];
const START_TIMEOUT_MS = 60_000;
/** Set: `wgs run` writes V8 CPU profiles of its main thread and its worker under <dir>/q<qos>/{main,worker}. */
const PROFILE_DIR = process.env.BENCH_RELAY_PROFILE;
/**
 * Set (e.g. "WGS_GLUE=general WGS_MAX_DELIVERING=1"): a second `wgs run` with these environment
 * variables runs beside the first, for a before/after of a runtime change in the same run.
 */
const BASELINE_ENV = process.env.BENCH_RELAY_BASELINE;
/**
 * Set: the baseline `wgs run` runs from this checkout instead (e.g. the previous commit, made with
 * `git archive <commit> | tar -x -C <dir>`, `ln -s $PWD/node_modules <dir>/node_modules` and each
 * package's node_modules copied with `cp -a`).
 */
const BASELINE_ROOT = process.env.BENCH_RELAY_BASELINE_ROOT;
const BASELINE_LABEL = [BASELINE_ROOT, BASELINE_ENV].filter(Boolean).join(' ');
/** BENCH_RELAY_COMPLEX=0 leaves out graph-complex.yaml (measured by what it consumed). */
const COMPLEX = process.env.BENCH_RELAY_COMPLEX !== '0';
const COMPLEX_GRAPH_FILE = join(ROOT, 'packages/operators/graphs/graph-complex.yaml');
/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux). */
const CLK_TCK = 100;

const PAYLOAD = Buffer.from(SAMPLE_JSON);
const EXPECTED = Buffer.from(EXPECTED_JSON);

/** User + system CPU time of a process (all its threads), in µs; NaN when unreadable. */
export function cpuMicros(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of the file (utime, stime); the slice starts at field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Resident set size of a process, in MiB. */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Contender {
  key: string;
  label: string;
  /** Measured by what the graph consumed (its source's count on /metrics), not by arrivals: the complex graph emits one summary per window. */
  metricsPort?: number;
  /** The process doing the work (none for the pass-through). */
  pid?: number;
  publishTopic: string;
  listen: string;
  expect: Buffer;
  stop(): Promise<void>;
}

let counter = 0;

/**
 * `wgs` as `pnpm wgs` starts it: the precompiled launcher (no tsx in the process; WGS_CLI_BUNDLE=off makes
 * it register tsx itself), or through tsx for a baseline checkout that has no launcher yet.
 */
function wgsEntry(root: string): { args: string[]; tsx: boolean } {
  return existsSync(join(root, 'apps/cli/bin/wgs.mjs')) ? { args: ['apps/cli/bin/wgs.mjs'], tsx: false } : { args: ['apps/cli/src/main.ts'], tsx: true };
}

/** Spawns a node child (tsx loaded unless `tsx` is false) and resolves once it printed a line matching `ready`. */
function startChild(label: string, args: string[], ready: RegExp, nodeArgs: string[] = [], env: Record<string, string> = {}, cwd = ROOT, tsx = true): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, ...(tsx ? ['--import', 'tsx'] : []), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 20_000) err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${START_TIMEOUT_MS} ms: ${err.trim() || out.trim()}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      if (out.length < 20_000) out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${signal ?? `code ${code}`}) while starting: ${err.trim() || out.trim()}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

/** Publishes probes until one comes out the other side: the contender is subscribed and connected. */
async function probe(url: string, c: Contender): Promise<void> {
  const { client: sub } = await connectClient(url, `wgs-bench-probe-sub-${process.pid}-${++counter}`);
  const { client: pub } = await connectClient(url, `wgs-bench-probe-pub-${process.pid}-${++counter}`);
  try {
    let arrived = false;
    sub.on('message', () => (arrived = true));
    await sub.subscribeAsync(c.listen, { qos: 0 });
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (!arrived) {
      if (performance.now() > deadline) throw new Error(`${c.label}: no output on ${c.listen} within ${START_TIMEOUT_MS} ms`);
      pub.publish(c.publishTopic, PAYLOAD, { qos: 0, properties: { userProperties: { seq: 'probe' } } }, () => {});
      await sleep(250);
    }
  } finally {
    await pub.endAsync(true);
    await sub.endAsync(true);
  }
}

async function startContenders(broker: Broker, qos: 0 | 1): Promise<Contender[]> {
  const url = broker.url;
  const q = String(qos);
  const list: Contender[] = [
    { key: 'broker', label: 'broker pass-through', publishTopic: 'pt/in', listen: 'pt/in', expect: PAYLOAD, stop: async () => {} },
  ];
  try {
    const entry = wgsEntry(ROOT);
    const wgs = await startChild('wgs run', [...entry.args, 'run', '--graph', GRAPH_FILE, '--broker', url, '--source', 'wgs/in',
      '--sink', 'wgs/out', '--qos', q, '--client-id', `wgs-bench-relays-${process.pid}-${++counter}`, '--stats-interval', '3600'], /^running /m,
      PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, `q${qos}`, 'main')}`] : [],
      PROFILE_DIR ? { WGS_WORKER_CPU_PROF: join(PROFILE_DIR, `q${qos}`, 'worker') } : {}, ROOT, entry.tsx);
    list.push({ key: 'wgs', label: 'wgs run (simple graph)', pid: wgs.pid, publishTopic: 'wgs/in', listen: 'wgs/out', expect: EXPECTED, stop: () => stopChild(wgs) });
    if (BASELINE_ENV || BASELINE_ROOT) {
      const env = Object.fromEntries((BASELINE_ENV ?? '').split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      // Another checkout's modules live in this one's registry (it has no .wgs of its own).
      if (BASELINE_ROOT) env.WGS_REGISTRY_DIR ??= process.env.WGS_REGISTRY_DIR ?? join(ROOT, '.wgs', 'registry');
      const baseEntry = wgsEntry(BASELINE_ROOT ?? ROOT);
      const base = await startChild('wgs run (baseline)', [...baseEntry.args, 'run', '--graph', GRAPH_FILE, '--broker', url, '--source', 'wgb/in',
        '--sink', 'wgb/out', '--qos', q, '--client-id', `wgs-bench-relays-${process.pid}-${++counter}`, '--stats-interval', '3600'], /^running /m, [], env, BASELINE_ROOT ?? ROOT, baseEntry.tsx);
      list.push({ key: 'wgs-baseline', label: `baseline: ${BASELINE_LABEL}`, pid: base.pid, publishTopic: 'wgb/in', listen: 'wgb/out', expect: EXPECTED, stop: () => stopChild(base) });
    }
    if (COMPLEX) {
      const metricsPort = await freePort();
      const cx = await startChild('wgs run (complex graph)', [...entry.args, 'run', '--graph', COMPLEX_GRAPH_FILE, '--broker', url, '--source', 'cx/in',
        '--sink', 'cx/out', '--qos', q, '--client-id', `wgs-bench-relays-${process.pid}-${++counter}`, '--stats-interval', '3600', '--metrics-port', String(metricsPort)], /^running /m, [], {}, ROOT, entry.tsx);
      list.push({ key: 'complex', label: 'wgs run (complex graph, consumed)', pid: cx.pid, metricsPort, publishTopic: 'cx/in', listen: 'cx/out', expect: EXPECTED, stop: () => stopChild(cx) });
    }
    const red = await startChild('Node-RED', [join('bench', 'lib', 'nodered-child.ts'), url, q, 'nr/in', 'nr/out'], /^ready /m);
    list.push({ key: 'nodered', label: 'Node-RED (mqtt in -> function -> mqtt out)', pid: red.pid, publishTopic: 'nr/in', listen: 'nr/out', expect: EXPECTED, stop: () => stopChild(red) });
    const relay = await startChild('mqtt.js relay', [join('bench', 'lib', 'relay-child.ts'), url, q, 'rl/in', 'rl/out'], /^ready/m);
    list.push({ key: 'relay', label: 'bare mqtt.js relay (JS function)', pid: relay.pid, publishTopic: 'rl/in', listen: 'rl/out', expect: EXPECTED, stop: () => stopChild(relay) });
    for (const c of list) if (!c.metricsPort) await probe(url, c);
  } catch (e) {
    await Promise.all(list.map((c) => c.stop()));
    throw e;
  }
  return list;
}

/** The source's `in` count of a running `wgs run` (its /metrics answers once the graph is idle). */
async function consumed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /wgs_operation_messages_total\{[^}]*operation="source",kind="in"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : NaN;
}

/**
 * Floods `n` messages into a graph whose outputs do not follow its inputs one to one, and measures
 * first publish to the moment its source has taken all of them in (polled on /metrics).
 */
async function consumePhase(url: string, c: Contender, qos: 0 | 1, n: number): Promise<PhaseResult> {
  const port = c.metricsPort!;
  const before = await consumed(port);
  const { client: pub } = await connectClient(url, `wgs-bench-cx-pub-${process.pid}-${++counter}`);
  const start = performance.now();
  let sent = 0;
  let acked = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < n && sent - acked < 500) {
        sent++;
        pub.publish(c.publishTopic, PAYLOAD, { qos, properties: { userProperties: { seq: String(sent) } } }, (e) => {
          if (e) return reject(e);
          if (++acked === n) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  await pub.endAsync();
  let got = 0;
  let timedOut = false;
  for (;;) {
    got = (await consumed(port)) - before;
    if (got >= n) break;
    if (performance.now() - start > 120_000) {
      timedOut = true;
      break;
    }
    await sleep(20);
  }
  const elapsedMs = performance.now() - start;
  const rate = got / (elapsedMs / 1000);
  return { label: c.label, qos, sent, received: got, duplicates: 0, wrongPayload: 0, elapsedMs: [elapsedMs], rates: [rate], rate, latencies: [], p50: NaN, p99: NaN, window: 500, timedOut };
}

interface Measured {
  result: PhaseResult;
  /** CPU µs per arrived message, per repetition: the contender's process, the broker. */
  cpu: number[];
  brokerCpu: number[];
}

export async function runRelayBench(): Promise<SummaryRow[]> {
  findMosquitto();
  await checkRegistry();
  console.log('== relays: pass-through vs wgs run vs Node-RED vs mqtt.js relay ==');
  const broker = await startBroker();
  console.log(`broker: ${broker.binary} on ${broker.url}; ${fmtInt(N)} messages per flood, ${REPS} repetitions per QoS, contenders in rotating order`);
  console.log(`payload: ${SAMPLE_JSON} -> ${EXPECTED_JSON}`);
  const rows: SummaryRow[] = [];
  try {
    for (const qos of QOS) {
      const contenders = await startContenders(broker, qos);
      const measured = new Map<string, { reps: PhaseResult[]; cpu: number[]; brokerCpu: number[] }>();
      try {
        const rss = new Map(contenders.map((c) => [c.key, rssMiB(c.pid)]));
        for (const c of contenders) {
          if (c.metricsPort) {
            await consumePhase(broker.url, c, qos, WARMUP_N);
            continue;
          }
          await phase({ url: broker.url, label: `warm-up ${c.key}`, qos, n: WARMUP_N, publishTopic: c.publishTopic, listen: c.listen, expect: c.expect });
        }
        for (let rep = 0; rep < REPS; rep++) {
          for (let k = 0; k < contenders.length; k++) {
            const c = contenders[(k + rep) % contenders.length]!;
            const cpu0 = cpuMicros(c.pid);
            const b0 = cpuMicros(broker.pid);
            const r = c.metricsPort
              ? await consumePhase(broker.url, c, qos, N)
              : await phase({ url: broker.url, label: `${c.label} q${qos}`, qos, n: N, publishTopic: c.publishTopic, listen: c.listen, expect: c.expect });
            const m = measured.get(c.key) ?? { reps: [], cpu: [], brokerCpu: [] };
            m.reps.push(r);
            m.cpu.push((cpuMicros(c.pid) - cpu0) / r.received);
            m.brokerCpu.push((cpuMicros(broker.pid) - b0) / r.received);
            measured.set(c.key, m);
          }
        }
        const res = new Map<string, Measured>([...measured].map(([k, v]) => [k, { result: combine(v.reps), cpu: v.cpu, brokerCpu: v.brokerCpu }]));
        const base = res.get('broker')!.result;
        console.log('');
        console.log(`QoS ${qos}:`);
        console.log(table([
          ['contender', 'arrived', 'msgs/s per rep', 'msgs/s (median)', 'vs pass-through', 'CPU µs/msg (median)', 'per rep', 'broker CPU µs/msg', 'RSS MiB after warm-up', 'check'],
          ...contenders.map((c) => {
            const m = res.get(c.key)!;
            const r = m.result;
            const lost = r.sent - r.received;
            return [
              c.label,
              `${fmtInt(r.received)}/${fmtInt(r.sent)}${r.timedOut ? ' (timeout)' : ''}`,
              r.rates.map((x) => fmtInt(x)).join(' '),
              fmtInt(r.rate),
              ratio(r.rate, base.rate),
              c.pid ? fmt(median(m.cpu), 1) : '-',
              c.pid ? m.cpu.map((x) => fmt(x, 1)).join(' ') : '-',
              fmt(median(m.brokerCpu), 1),
              c.pid ? fmt(rss.get(c.key)!, 0) : '-',
              `${lost > 0 ? `lost ${lost} ` : ''}${r.duplicates ? `dup ${r.duplicates} ` : ''}${r.wrongPayload ? `wrong payload ${r.wrongPayload}` : ''}`.trim() || 'ok',
            ];
          }),
        ]));
        const wgs = res.get('wgs')!;
        const red = res.get('nodered')!;
        const relay = res.get('relay')!;
        rows.push({ bench: 'relays', metric: `q${qos} wgs run msgs/s vs pass-through`, value: fmtInt(wgs.result.rate), baseline: fmtInt(base.rate), ratio: ratio(wgs.result.rate, base.rate) });
        rows.push({ bench: 'relays', metric: `q${qos} Node-RED msgs/s vs pass-through`, value: fmtInt(red.result.rate), baseline: fmtInt(base.rate), ratio: ratio(red.result.rate, base.rate) });
        rows.push({ bench: 'relays', metric: `q${qos} mqtt.js relay msgs/s vs pass-through`, value: fmtInt(relay.result.rate), baseline: fmtInt(base.rate), ratio: ratio(relay.result.rate, base.rate) });
        rows.push({ bench: 'relays', metric: `q${qos} CPU µs/msg wgs run vs Node-RED`, value: fmt(median(wgs.cpu), 1), baseline: fmt(median(red.cpu), 1), ratio: ratio(median(wgs.cpu), median(red.cpu)) });
        rows.push({ bench: 'relays', metric: `q${qos} CPU µs/msg wgs run vs mqtt.js relay`, value: fmt(median(wgs.cpu), 1), baseline: fmt(median(relay.cpu), 1), ratio: ratio(median(wgs.cpu), median(relay.cpu)) });
        rows.push({ bench: 'relays', metric: `q${qos} wgs run msgs/s vs Node-RED`, value: fmtInt(wgs.result.rate), baseline: fmtInt(red.result.rate), ratio: ratio(wgs.result.rate, red.result.rate) });
        const complex = res.get('complex');
        if (complex) rows.push({ bench: 'relays', metric: `q${qos} complex graph msgs/s consumed vs pass-through`, value: fmtInt(complex.result.rate), baseline: fmtInt(base.rate), ratio: ratio(complex.result.rate, base.rate) });
        const before = res.get('wgs-baseline');
        if (before) {
          rows.push({ bench: 'relays', metric: `q${qos} wgs run msgs/s vs baseline`, value: fmtInt(wgs.result.rate), baseline: fmtInt(before.result.rate), ratio: ratio(wgs.result.rate, before.result.rate) });
          rows.push({ bench: 'relays', metric: `q${qos} wgs run CPU µs/msg vs baseline`, value: fmt(median(wgs.cpu), 1), baseline: fmt(median(before.cpu), 1), ratio: ratio(median(wgs.cpu), median(before.cpu)) });
        }
      } finally {
        await Promise.all(contenders.map((c) => c.stop()));
      }
    }
  } finally {
    await broker.stop();
  }
  console.log('Node-RED and the mqtt.js relay acknowledge a QoS 1 message on arrival; wgs run only after its output was published.');
  console.log('');
  return rows;
}

if (isMain(import.meta.url)) {
  runRelayBench().then((rows) => {
    console.log(summaryTable(rows));
    process.exit(0);
  }, (e: Error) => {
    console.error(`relay-compare failed: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}
