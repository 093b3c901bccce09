import { dirname } from 'node:path';
import { undeclaredKeys } from '@wgs/graph-model';
import { MqttSink, MqttSource } from '@wgs/connectors';
import { GraphRunner, sinkMessage } from '@wgs/runtime';
import { flags, keyValues } from './args.ts';
import { loadGraphFile, loadStateSeed } from './load-graph.ts';

const USAGE = 'usage: wgs run --graph <file> --broker mqtt://host:port --source <topic filter> [--source ...] --sink <topic> [--config key=value ...]';

export async function runCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    graph: { type: 'string' },
    broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    source: { type: 'string', multiple: true },
    sink: { type: 'string' },
    config: { type: 'string', multiple: true },
    state: { type: 'string' },
    'deadline-ms': { type: 'string', default: '2000' },
    'lateness-ms': { type: 'string', default: '2000' },
    'stats-interval': { type: 'string', default: '10' },
    qos: { type: 'string', default: '1' },
  }, USAGE);
  if (!values.graph || !values.source?.length || !values.sink) throw new Error(USAGE);
  const graph = await loadGraphFile(values.graph);
  const configuration = keyValues(values.config, '--config');
  for (const k of undeclaredKeys(graph, configuration)) console.warn(`warning: --config ${k} is not a parameter of any operation in ${values.graph}`);
  const qos = values.qos === '0' ? 0 : 1;

  const runner = await GraphRunner.start({
    graph,
    baseDir: dirname(values.graph),
    configuration,
    stateSeed: await loadStateSeed(values.state),
    deadlineMs: Number(values['deadline-ms']),
    latenessMs: Number(values['lateness-ms']),
  });
  runner.on('error', (e) => console.error(`[${e.operation}] ${e.trap ? 'trap' : 'error'}: ${e.message}`));
  runner.on('log', (r) => console.error(`[${r.operation}] ${r.level} ${r.context}: ${r.message}`));
  runner.on('restart', (reason) => console.error(`graph restarted: ${reason}`));

  const sink = new MqttSink({ url: values.broker, qos });
  const source = new MqttSource({ url: values.broker, qos }, values.source);
  try {
    await sink.start();
    runner.on('output', ({ item }) => {
      sink.publish(sinkMessage(item, values.sink!)).catch((e: Error) => console.error(`sink: ${e.message}`));
    });
    await source.start((m) => runner.push(m));
  } catch (e) {
    await runner.stop();
    await sink.stop().catch(() => {});
    throw e;
  }
  console.log(`running "${graph.metadata.name}": ${values.source.join(', ')} -> ${values.sink} on ${values.broker}`);

  const report = () => {
    const rows = [...runner.counters()].map(([op, c]) => `  ${op}: in ${c.in} out ${c.out} dropped ${c.dropped} errors ${c.errors}`);
    console.log(`counts:\n${rows.join('\n')}`);
  };
  const timer = setInterval(report, Number(values['stats-interval']) * 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  await source.stop();
  await runner.idle();
  report();
  await runner.stop();
  await sink.stop();
  return 0;
}
