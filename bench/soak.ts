/**
 * Soak: a real `wgs run` process runs the simple graph between a persistent
 * Mosquitto, a publisher paced at BENCH_SOAK_RATE msg/s (default 2,000, QoS 1)
 * and a subscriber, for BENCH_SOAK_SECONDS (default 600). Prints the run's
 * RSS over time (start after warm-up, end, peak, growth per minute) and the
 * messages in and out (lost, duplicated). The baselines are the run's own
 * first sample (RSS) and what was published (messages); nothing is asserted.
 *
 * Run alone: pnpm bench soak (BENCH_SOAK_SECONDS=60 for a short one)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startPersistentMosquitto } from '../packages/connectors/src/testing/index.ts';
import { payloadFor, repoRoot, seqOf, startWgsRun } from '../apps/cli/src/testing/fault-harness.ts';
import { connectClient, type Client } from './lib/mqtt-client.ts';
import { checkRegistry } from './lib/preflight.ts';
import { fmt, fmtInt, isMain, ratio, sleep, table, type SummaryRow } from './lib/stats.ts';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 2000);
const WARMUP_S = Math.min(30, Math.max(5, SECONDS / 10));
const SAMPLE_EVERY_MS = 10_000;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function runSoakBench(): Promise<SummaryRow[]> {
  await checkRegistry();
  console.log(`== soak: graph-simple.yaml in wgs run, ${fmtInt(RATE)} msg/s QoS 1 for ${SECONDS} s ==`);
  const broker = await startPersistentMosquitto();
  const metricsPort = await freePort();
  const run = startWgsRun(['--graph', join(repoRoot, 'packages/operators/graphs/graph-simple.yaml'), '--broker', broker.url,
    '--source', 'soak/in', '--sink', 'soak/out', '--metrics-port', String(metricsPort), '--stats-interval', '3600']);
  const pid = run.child.pid!;
  let sub: Client | undefined;
  let pub: Client | undefined;
  try {
    await run.running;
    sub = (await connectClient(broker.url, `wgs-soak-sub-${process.pid}`)).client;
    pub = (await connectClient(broker.url, `wgs-soak-pub-${process.pid}`)).client;
    const seen = new Uint8Array(RATE * SECONDS + RATE);
    let received = 0;
    let duplicates = 0;
    sub.on('message', (_t, payload) => {
      const seq = seqOf(payload.toString());
      if (seq === undefined) return;
      received++;
      if (seen[seq]) duplicates++;
      else seen[seq] = 1;
    });
    await sub.subscribeAsync('soak/out', { qos: 1 });

    let sent = 0;
    let acked = 0;
    let failed = 0;
    const t0 = Date.now();
    const total = RATE * SECONDS;
    // Paced in 10 ms ticks, catching up when a tick is late.
    const pacer = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * RATE));
      while (sent < due) {
        pub!.publish('soak/in', Buffer.from(payloadFor(sent++)), { qos: 1 }, (e) => (e ? failed++ : acked++));
      }
    }, 10);
    const samples: { t: number; rss: number; received: number }[] = [];
    let nextSample = t0 + WARMUP_S * 1000;
    while (sent < total) {
      await sleep(250);
      if (Date.now() >= nextSample) {
        samples.push({ t: (Date.now() - t0) / 1000, rss: rssMiB(pid), received });
        nextSample += SAMPLE_EVERY_MS;
        const s = samples.at(-1)!;
        console.log(`  ${fmt(s.t, 0)} s: rss ${fmt(s.rss)} MiB, ${fmtInt(sent)} published, ${fmtInt(received)} received`);
      }
    }
    clearInterval(pacer);
    const drainEnd = Date.now() + 60_000;
    while ((received - duplicates < total || acked + failed < total) && Date.now() < drainEnd) await sleep(200);
    const elapsed = (Date.now() - t0) / 1000;
    samples.push({ t: elapsed, rss: rssMiB(pid), received });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const intoGraph = Number(/operation="source",kind="in"\} (\d+)/.exec(metrics)?.[1] ?? NaN);
    const distinct = received - duplicates;
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const peak = Math.max(...samples.map((s) => s.rss));
    const perMinute = last.t > first.t ? ((last.rss - first.rss) / (last.t - first.t)) * 60 : 0;
    console.log(table([
      ['figure', 'value'],
      ['published (acknowledged by the broker)', fmtInt(acked)],
      ['into the graph', fmtInt(intoGraph)],
      ['received at the destination (distinct)', `${fmtInt(received)} (${fmtInt(distinct)})`],
      ['lost / duplicated', `${fmtInt(total - distinct)} / ${fmtInt(duplicates)}`],
      [`RSS after ${fmt(first.t, 0)} s warm-up`, `${fmt(first.rss)} MiB`],
      [`RSS at the end (${fmt(last.t, 0)} s)`, `${fmt(last.rss)} MiB`],
      ['RSS peak', `${fmt(peak)} MiB`],
      ['RSS growth after warm-up', `${fmt(perMinute, 2)} MiB/min`],
    ]));
    return [
      { bench: 'soak', metric: `messages out / in (${SECONDS} s at ${fmtInt(RATE)}/s)`, value: fmtInt(distinct), baseline: fmtInt(total), ratio: ratio(distinct, total) },
      { bench: 'soak', metric: 'wgs run RSS end / after warm-up (MiB)', value: fmt(last.rss), baseline: fmt(first.rss), ratio: ratio(last.rss, first.rss) },
    ];
  } finally {
    await pub?.endAsync(true).catch(() => {});
    await sub?.endAsync(true).catch(() => {});
    run.child.kill('SIGTERM');
    await run.exited;
    await broker.stop();
  }
}

if (isMain(import.meta.url)) {
  runSoakBench().then(() => process.exit(0), (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  });
}
