import { fileURLToPath } from 'node:url';
import { MqttSink, MqttSource, SIMULATOR_TOPICS, startSimulator } from '@wgs/connectors';
import { startMosquitto } from '@wgs/connectors/testing';
import { GraphRunner, sinkMessage } from '@wgs/runtime';
import { flags } from './args.ts';
import { loadGraphFile } from './load-graph.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Starts a local Mosquitto, the sensor simulator and the example complex graph
 * (10 s windows), and prints every window summary: data flowing in the first
 * minute with nothing to configure.
 */
export async function demoCommand(args: string[]): Promise<number> {
  const { values } = flags(args, { graph: { type: 'string' }, seconds: { type: 'string' } }, 'usage: wgs demo [--graph file] [--seconds N]');
  const broker = await startMosquitto();
  console.log(`broker: ${broker.url} (try: mosquitto_sub -p ${broker.port} -V mqttv5 -t 'analytics/#' -F '%t %p')`);
  const graphFile = values.graph ?? `${root}packages/operators/graphs/graph-complex.yaml`;
  const graph = await loadGraphFile(graphFile);
  const runner = await GraphRunner.start({ graph, latenessMs: 1000, configuration: { snapshot_topic: SIMULATOR_TOPICS.images } });
  const sink = new MqttSink({ url: broker.url });
  await sink.start();
  const destination = 'analytics/sensor/processed';
  runner.setOutputHandler(({ item }) => {
    const text = item.kind === 'message' ? new TextDecoder().decode(item.payload) : `<${item.kind}>`;
    console.log(`${new Date().toISOString()} ${destination} ${text}`);
    return sink.publish(sinkMessage(item, destination));
  });
  runner.on('error', (e) => console.error(`[${e.operation}] ${e.message}`));
  const source = new MqttSource({ url: broker.url }, Object.values(SIMULATOR_TOPICS));
  await source.start((m) => runner.push(m));
  const sim = await startSimulator({ url: broker.url, imagesDir: `${root}packages/operators/frames` });
  console.log(`running "${graph.metadata.name}" on ${Object.values(SIMULATOR_TOPICS).join(', ')}; a summary every 10 s window (Ctrl-C stops)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (values.seconds) setTimeout(resolve, Number(values.seconds) * 1000);
  });
  await sim.stop();
  await source.stop();
  await runner.stop();
  await sink.stop();
  await broker.stop();
  return 0;
}
