/**
 * Kafka throughput: a private Kafka 3.9 broker (KRaft) on loopback.
 *
 *  (a) baseline: KafkaSource on in-a, each record acknowledged at once (what
 *      the source connector delivers, one record at a time, offsets committed)
 *  (b) KafkaSource on in-b → GraphRunner with graph-simple.yaml → KafkaSink to
 *      out-b, wired like `wgs run --broker kafka://…`
 *
 * Both inputs are written beforehand in batches, so each phase measures the
 * path from the first record consumed to the last record written (counted by
 * a consumer of the output topic). Figures are printed with their ratio
 * against the baseline of the same run; nothing is asserted on time.
 *
 * Run alone: pnpm exec tsx bench/kafka-throughput.ts
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { loadGraphDefinition } from '../packages/graph-model/src/index.ts';
import { KafkaSink, KafkaSource, type ConnectorMessage } from '../packages/connectors/src/index.ts';
import { startKafka, type KafkaBroker } from '../packages/connectors/src/testing/kafka.ts';
import { GraphRunner, sinkMessage } from '../packages/runtime/src/index.ts';
import { checkRegistry, GRAPH_FILE } from './lib/preflight.ts';
import { fmtInt, isMain, ratio, summaryTable, table, type SummaryRow } from './lib/stats.ts';
import { EXPECTED_JSON, SAMPLE_JSON } from './lib/temperature.ts';

const N = Number(process.env.BENCH_KAFKA_MESSAGES ?? 5_000);
const CAP_MS = 120_000;

async function produceInput(broker: KafkaBroker, topic: string): Promise<void> {
  const producer = new KafkaSink({ url: broker.url });
  await producer.start();
  const payload = new TextEncoder().encode(SAMPLE_JSON);
  // Many sends in flight at once: kafkajs batches them, so writing the input is not what is measured.
  for (let i = 0; i < N; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, N - i) }, () => producer.publish({ topic, payload, userProperties: [['__ts', `${Date.now()}:0:bench`]] })));
  }
  await producer.stop();
}

/** Counts the output topic's records until `N` arrived; resolves with the last arrival time and a sample. */
async function countOutput(broker: KafkaBroker, topic: string): Promise<{ done: Promise<{ at: number; sample: string; wrong: number }>; stop(): Promise<void> }> {
  let n = 0;
  let wrong = 0;
  let sample = '';
  let finish: (v: { at: number; sample: string; wrong: number }) => void = () => {};
  const done = new Promise<{ at: number; sample: string; wrong: number }>((r) => (finish = r));
  const counter = new KafkaSource({ url: broker.url, groupId: `count-${topic}`, fromBeginning: true }, [topic]);
  await counter.start(async (m: ConnectorMessage) => {
    const text = new TextDecoder().decode(m.payload);
    sample ||= text;
    if (text !== EXPECTED_JSON && topic.endsWith('-b')) wrong++;
    if (++n === N) finish({ at: performance.now(), sample, wrong });
  });
  return { done, stop: () => counter.stop() };
}

/** The source alone: how fast records reach a handler that does nothing. */
async function sourceOnly(broker: KafkaBroker): Promise<number> {
  await produceInput(broker, 'in-a');
  let n = 0;
  let finish: (at: number) => void = () => {};
  const done = new Promise<number>((r) => (finish = r));
  const source = new KafkaSource({ url: broker.url, groupId: 'bench-a', fromBeginning: true }, ['in-a']);
  const t0 = performance.now();
  await source.start(async () => {
    if (++n === N) finish(performance.now());
  });
  const at = await Promise.race([done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the source did not deliver ${N} records within ${CAP_MS / 1000} s`)), CAP_MS))]);
  await source.stop();
  return N / ((at - t0) / 1000);
}

async function throughGraph(broker: KafkaBroker): Promise<{ rate: number; wrong: number; sample: string }> {
  const [input, output] = ['in-b', 'out-b'];
  await produceInput(broker, input);
  const counter = await countOutput(broker, output);
  const sink = new KafkaSink({ url: broker.url });
  await sink.start();
  const runner = await GraphRunner.start({ graph: loadGraphDefinition(readFileSync(GRAPH_FILE, 'utf8')), onOutput: ({ item }) => sink.publish(sinkMessage(item, output)) });
  const source = new KafkaSource({ url: broker.url, groupId: 'bench-b', fromBeginning: true }, [input]);
  const t0 = performance.now();
  await source.start((m) => runner.push(m));
  const result = await Promise.race([counter.done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not all ${N} records came out of the graph within ${CAP_MS / 1000} s`)), CAP_MS))]);
  await source.stop();
  await runner.stop();
  await sink.stop();
  await counter.stop();
  return { rate: N / ((result.at - t0) / 1000), wrong: result.wrong, sample: result.sample };
}

export async function runKafkaBench(): Promise<SummaryRow[]> {
  await checkRegistry();
  const broker = await startKafka();
  try {
    console.log(`== kafka: ${fmtInt(N)} records read by the source alone vs run through graph-simple.yaml and written back (one broker, loopback) ==`);
    const base = await sourceOnly(broker);
    const graph = await throughGraph(broker);
    console.log(table([
      ['path', 'records/s'],
      ['source alone (baseline)', fmtInt(base)],
      ['source → graph → sink', fmtInt(graph.rate)],
    ]));
    console.log(`graph output sample: ${graph.sample}\n`);
    return [
      { bench: 'kafka', metric: 'records/s graph vs source alone', value: fmtInt(graph.rate), baseline: fmtInt(base), ratio: ratio(graph.rate, base) },
      { bench: 'kafka', metric: 'graph outputs converted', value: graph.wrong === 0 && graph.sample === EXPECTED_JSON ? 'all' : 'NO', baseline: '-', ratio: '-' },
    ];
  } finally {
    await broker.stop();
  }
}

if (isMain(import.meta.url)) {
  runKafkaBench().then((rows) => {
    console.log(summaryTable(rows));
    process.exit(0);
  }, (e: Error) => {
    console.error(`kafka-throughput failed: ${e.message}`);
    process.exit(1);
  });
}
