/** Diagnostic: batch sizes the runner sends to its worker during a QoS 0 flood (pnpm exec tsx bench/lib/probe-batches.ts). */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadGraphDefinition } from '../../packages/graph-model/src/index.ts';
import { MqttSink, MqttSource } from '../../packages/connectors/src/index.ts';
import { GraphRunner, sinkMessage } from '../../packages/runtime/src/index.ts';
import { unpackMessages, type Flat } from '../../packages/runtime/src/worker/wire.ts';
import { startBroker } from './broker.ts';
import { GRAPH_FILE } from './preflight.ts';
import { EXPECTED_JSON } from './temperature.ts';
import { phase } from '../mqtt-throughput.ts';

const qos = (process.argv[2] === '1' ? 1 : 0) as 0 | 1;
const broker = await startBroker();
const graph = loadGraphDefinition(readFileSync(GRAPH_FILE, 'utf8'), GRAPH_FILE);
const runner = await GraphRunner.start({ graph, baseDir: dirname(GRAPH_FILE), latenessMs: 2000 });
const w = (runner as unknown as { worker: { postMessage(m: { type: string; messages?: Flat; payloads?: ArrayBuffer }, t?: unknown): void } }).worker;
const post = w.postMessage.bind(w);
let batches = 0;
let msgs = 0;
let postMs = 0;
w.postMessage = (m, t) => {
  const n = m.type === 'ingest' ? unpackMessages(m.messages!, m.payloads!).length : 0;
  const t0 = performance.now();
  post(m, t);
  if (m.type === 'ingest') {
    postMs += performance.now() - t0;
    batches++;
    msgs += n;
  }
};
const sink = new MqttSink({ url: broker.url, qos });
await sink.start();
runner.setOutputHandler(({ item }) => sink.publish(sinkMessage(item, 'out/x')));
const source = new MqttSource({ url: broker.url, qos }, ['in/#']);
await source.start((m) => runner.push(m));
const r = await phase({ url: broker.url, label: 'probe', qos, n: 30_000, listen: 'out/#', expect: Buffer.from(EXPECTED_JSON) });
console.log(`qos ${qos}: ${r.received} arrived, ${Math.round(r.rate)} msg/s; ${batches} batches, ${(msgs / batches).toFixed(1)} messages per batch; postMessage ${((postMs * 1000) / msgs).toFixed(2)} µs per message`);
await source.stop();
await runner.stop();
await sink.stop();
await broker.stop();
process.exit(0);
