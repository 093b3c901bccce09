import { dirname } from 'node:path';
import { undeclaredKeys } from '@wgs/graph-model';
import { sinkFor, sourceFor } from '@wgs/connectors';
import { createServer } from 'node:http';
import { countersToPrometheus, GraphRunner, sinkMessage } from '@wgs/runtime';
import { flags, keyValues } from './args.ts';
import { loadGraphFile, loadSchemas, loadStateSeed } from './load-graph.ts';
import { isRegistryGraphReference, pullGraphForRun } from './pull.ts';
import { REGISTRY_FLAGS } from './registry.ts';

const USAGE = 'usage: wgs run --graph <file|registry/repository:tag> --broker mqtt://host:port|kafka://host:port --source <topic filter|Kafka topic> [--source ...] --sink <topic> [--group <Kafka consumer group>] [--config key=value ...] [--state seed.json] [--schema file.json ...] [--metrics-port N]';

export async function runCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    graph: { type: 'string' },
    // --graph <registry>/<repository>:<tag> pulls the graph and its modules (same registry endpoint).
    ...REGISTRY_FLAGS,
    'endpoint-host': { type: 'string' },
    broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    source: { type: 'string', multiple: true },
    sink: { type: 'string' },
    // Kafka sources: the consumer group (a restart with the same group resumes where it stopped).
    group: { type: 'string', default: 'wgs-run' },
    config: { type: 'string', multiple: true },
    state: { type: 'string' },
    'deadline-ms': { type: 'string', default: '2000' },
    'lateness-ms': { type: 'string', default: '2000' },
    'stats-interval': { type: 'string', default: '10' },
    qos: { type: 'string', default: '1' },
    'metrics-port': { type: 'string' },
    schema: { type: 'string', multiple: true },
  }, USAGE);
  if (!values.graph || !values.source?.length || !values.sink) throw new Error(USAGE);
  const remote = isRegistryGraphReference(values.graph) ? await pullGraphForRun(values.graph, values, (line) => console.log(line)) : undefined;
  const graph = remote?.graph ?? (await loadGraphFile(values.graph));
  const configuration = keyValues(values.config, '--config');
  for (const k of undeclaredKeys(graph, configuration)) console.warn(`warning: --config ${k} is not a parameter of any operation in ${values.graph}`);
  const qos = values.qos === '0' ? 0 : 1;

  const sink = sinkFor(values.broker, { qos });
  const runner = await GraphRunner.start({
    graph,
    baseDir: dirname(values.graph),
    registryDir: remote?.registryDir,
    configuration,
    stateSeed: await loadStateSeed(values.state),
    schemas: await loadSchemas(values.schema),
    deadlineMs: Number(values['deadline-ms']),
    latenessMs: Number(values['lateness-ms']),
    // Awaited per batch: a slow broker slows the graph instead of queueing writes.
    onOutput: ({ item }) => sink.publish(sinkMessage(item, values.sink!)),
  });
  runner.on('error', (e) => console.error(`[${e.operation}] ${e.trap ? 'trap' : 'error'}: ${e.message}`));
  runner.on('log', (r) => console.error(`[${r.operation}] ${r.level} ${r.context}: ${r.message}`));
  runner.on('restart', (reason) => console.error(`graph restarted: ${reason}`));

  const source = sourceFor(values.broker, values.source, { qos, groupId: values.group });
  try {
    await sink.start();
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
  // Prometheus scrape endpoint: message counts per operation plus the operators' own metrics.
  const metricsServer = values['metrics-port'] ? createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    runner.fetchStatus().then((s) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(countersToPrometheus(runner.counters(), graph.metadata.name) + (s.metrics ?? ''));
    }, (e: Error) => res.writeHead(503).end(e.message));
  }).listen(Number(values['metrics-port']), '127.0.0.1') : undefined;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  metricsServer?.close();
  await source.stop();
  await runner.idle();
  report();
  await runner.stop();
  await sink.stop();
  return 0;
}
