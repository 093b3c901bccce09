/**
 * `pnpm bench`: runs the benchmark suite and prints a compact summary.
 * Figures are only printed, each with its ratio against a baseline measured
 * in the same run (the machine is noisy); nothing is asserted on time.
 *
 *   bench/mqtt-throughput.ts  broker pass-through vs graph-simple.yaml over MQTT
 *   bench/relay-compare.ts    the same F->C over MQTT: pass-through vs wgs run vs Node-RED vs a bare mqtt.js relay (rates, CPU µs/msg)
 *   bench/kafka-throughput.ts the Kafka source alone vs graph-simple.yaml over Kafka
 *   bench/component-call.ts   operator call through the component boundary vs JS; cold start
 *   bench/preview-latency.ts  live preview: publish-to-browser latency vs an MQTT subscriber; idle session memory
 *   bench/canvas-frames.ts    designer canvas frame times in Chromium: panning 500 vs 5 operations; preview streaming 10,000 msg/s
 *   bench/engine-replicas.ts  the simple graph deployed to a cluster: one engine replica vs two sharing it
 *   bench/soak.ts             (only when named) wgs run for 10 minutes at 2,000 msg/s: RSS over time, messages in/out
 *
 * `pnpm bench mqtt`, `pnpm bench relays`, `pnpm bench kafka`, `pnpm bench component`, `pnpm bench preview`, `pnpm bench canvas`, `pnpm bench engine` or `pnpm bench soak` runs one of them.
 */
import { performance } from 'node:perf_hooks';
import { runCanvasBench } from './canvas-frames.ts';
import { runComponentBench } from './component-call.ts';
import { PreflightError } from './lib/preflight.ts';
import { summaryTable, type SummaryRow } from './lib/stats.ts';
import { runMqttBench } from './mqtt-throughput.ts';
import { runKafkaBench } from './kafka-throughput.ts';
import { runPreviewBench } from './preview-latency.ts';
import { runRelayBench } from './relay-compare.ts';
import { runSoakBench } from './soak.ts';
import { runEngineBench } from './engine-replicas.ts';

const suites: [string, () => Promise<SummaryRow[]>][] = [
  ['mqtt', runMqttBench],
  ['relays', runRelayBench],
  ['kafka', runKafkaBench],
  ['component', runComponentBench],
  ['preview', runPreviewBench],
  ['canvas', runCanvasBench],
  ['engine', runEngineBench],
  ['soak', runSoakBench],
];
/** Long-running: only when asked for by name. */
const OPT_IN = new Set(['soak']);

async function main(): Promise<number> {
  const only = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = only.filter((a) => !suites.some(([n]) => n === a));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${suites.map(([n]) => n).join(', ')})`);
    return 2;
  }
  const t0 = performance.now();
  console.log(`wgs benchmarks — node ${process.version}, ${process.platform}/${process.arch}, ${(await import('node:os')).cpus().length} cpu(s); figures are medians, ratios are against baselines of this run\n`);
  const rows: SummaryRow[] = [];
  let failed = 0;
  for (const [name, run] of suites) {
    if (only.length ? !only.includes(name) : OPT_IN.has(name)) continue;
    try {
      rows.push(...(await run()));
    } catch (e) {
      failed++;
      const err = e as Error;
      console.error(`\n${name} benchmark failed: ${err instanceof PreflightError ? err.message : (err.stack ?? err.message)}\n`);
      rows.push({ bench: name, metric: 'FAILED', value: '-', baseline: '-', ratio: '-' });
    }
  }
  console.log(`== summary (${((performance.now() - t0) / 1000).toFixed(0)} s) ==`);
  console.log(summaryTable(rows));
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
