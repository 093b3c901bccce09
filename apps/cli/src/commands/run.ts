import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { undeclaredKeys } from '@wgs/graph-model';
import { connectionMetrics, sinkFor, sourceFor, type ConnectionEvent } from '@wgs/connectors';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { countersToPrometheus, GraphRunner, isDataflowManifestText, runnerHealthMetrics, sinkMessage } from '@wgs/runtime';
import { flags, keyValues } from './args.ts';
import { loadGraphFile, loadSchemas, loadStateSeed } from './load-graph.ts';
import { isRegistryGraphReference, pullGraphForRun } from './pull.ts';
import { REGISTRY_FLAGS } from './registry.ts';
import { prepareDataflowRun } from './run-dataflow.ts';

async function isDataflowManifestFile(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text !== undefined && isDataflowManifestText(text);
}

const USAGE = 'usage: wgs run --graph <file|registry/repository:tag|DataflowGraph manifest> --broker mqtt://host:port|kafka://host:port --source <topic filter|Kafka topic> [--source ...] --sink <topic> [--client-id id] [--group <Kafka consumer group>] [--in-flight N] [--drain-ms N] [--memory-limit-mb N] [--config key=value ...] [--state seed.json] [--schema file.json ...] [--metrics-port N]';

/**
 * The MQTT client id when none is given: the same graph reading the same
 * sources into the same sink on the same broker gets the same id, so a
 * restarted run resumes its session and receives what was published while it
 * was down.
 */
export function defaultClientId(graphName: string, graphRef: string, broker: string, sources: string[], sink: string): string {
  const slug = graphName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'graph';
  const hash = createHash('sha256').update(JSON.stringify([graphRef, broker, [...sources].sort(), sink])).digest('hex').slice(0, 12);
  return `wgs-${slug}-${hash}`;
}

export async function runCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    graph: { type: 'string' },
    // --graph <registry>/<repository>:<tag> pulls the graph and its modules (same registry endpoint).
    ...REGISTRY_FLAGS,
    'endpoint-host': { type: 'string' },
    // No default here: a DataflowGraph manifest may name its broker (a DataflowEndpoint in the same file).
    broker: { type: 'string' },
    source: { type: 'string', multiple: true },
    sink: { type: 'string' },
    // Kafka sources: the consumer group (a restart with the same group resumes where it stopped).
    group: { type: 'string', default: 'wgs-run' },
    // MQTT: the session's client id (default: derived from graph, broker, sources and sink).
    'client-id': { type: 'string' },
    // Messages handed to the graph and not yet acknowledged; bounds redeliveries after a crash.
    'in-flight': { type: 'string', default: '1000' },
    // On SIGTERM/SIGINT: how long to wait for in-flight messages before disconnecting.
    'drain-ms': { type: 'string', default: '10000' },
    'memory-limit-mb': { type: 'string', default: '256' },
    config: { type: 'string', multiple: true },
    state: { type: 'string' },
    'deadline-ms': { type: 'string', default: '2000' },
    'lateness-ms': { type: 'string', default: '2000' },
    'stats-interval': { type: 'string', default: '10' },
    qos: { type: 'string', default: '1' },
    'metrics-port': { type: 'string' },
    schema: { type: 'string', multiple: true },
  }, USAGE);
  if (!values.graph) throw new Error(USAGE);
  const remote = isRegistryGraphReference(values.graph) ? await pullGraphForRun(values.graph, values, (line) => console.log(line)) : undefined;
  const schemas = await loadSchemas(values.schema);
  const dataflow = !remote && (await isDataflowManifestFile(values.graph)) ? await prepareDataflowRun(values.graph, values.broker, (line) => console.log(line), schemas) : undefined;
  if (dataflow && (values.source?.length || values.sink || values.config?.length)) {
    await dataflow.pulled.cleanup();
    throw new Error('--source, --sink and --config do not apply to a DataflowGraph: its Source nodes\' dataSources are read, each Destination node\'s outputs go to its dataDestination, and each Graph node has its configuration');
  }
  if (!dataflow && (!values.source?.length || !values.sink)) throw new Error(USAGE);
  const sources = dataflow?.sources ?? values.source!;
  const sinkLabel = dataflow ? [...new Set(dataflow.destinations.values())].join(', ') : values.sink!;
  const broker = dataflow?.broker ?? values.broker ?? 'mqtt://127.0.0.1:1883';
  const graph = dataflow?.pulled.flat.graph ?? remote?.graph ?? (await loadGraphFile(values.graph));
  const configuration = keyValues(values.config, '--config');
  for (const k of undeclaredKeys(graph, configuration)) console.warn(`warning: --config ${k} is not a parameter of any operation in ${values.graph}`);
  const qos = values.qos === '0' ? 0 : 1;
  const clientId = values['client-id'] ?? defaultClientId(graph.metadata.name, remote ? values.graph : resolve(values.graph), broker, sources, sinkLabel);
  const onConnection = (e: ConnectionEvent) => console.error(describeConnection(e));

  const sink = sinkFor(broker, { qos, clientId, onConnection });
  // A data flow's composite sinks are its Destination nodes, each with its own topic.
  const topicOf = (sinkName: string) => (dataflow ? dataflow.destinations.get(sinkName)! : values.sink!);
  const runner = await GraphRunner.start({
    graph,
    baseDir: dirname(values.graph),
    registryDir: remote?.registryDir,
    configuration,
    operationConfiguration: dataflow?.pulled.flat.configuration,
    operationRegistryDirs: dataflow?.pulled.operationRegistryDirs,
    stateSeed: await loadStateSeed(values.state),
    schemas,
    // A data flow's connection schemas go to the modules of the node they enter (reference §2.4).
    operationModuleSchemas: dataflow?.pulled.operationModuleSchemas,
    deadlineMs: Number(values['deadline-ms']),
    memoryLimitBytes: Number(values['memory-limit-mb']) * 1024 * 1024,
    latenessMs: Number(values['lateness-ms']),
    // Awaited per batch: a slow broker slows the graph instead of queueing writes.
    onOutput: ({ item, sink: sinkName }) => sink.publish(sinkMessage(item, topicOf(sinkName))),
  }).catch(async (e: unknown) => {
    // The pulled layouts are temporary: removed when the run cannot start.
    await dataflow?.pulled.cleanup();
    throw e;
  });
  runner.on('error', (e) => console.error(`[${e.operation}] ${e.trap ? 'trap' : 'error'}: ${e.message}`));
  runner.on('log', (r) => console.error(`[${r.operation}] ${r.level} ${r.context}: ${r.message}`));
  runner.on('restart', (reason) => console.error(`graph restarted: ${reason}`));
  runner.on('restart-failed', (f) => console.error(`graph ${f.message} (attempt ${f.attempt}; next try in ${f.retryInMs} ms)`));
  runner.on('recovered', (r) => console.error(`graph running again after ${r.attempts} attempts`));

  const source = sourceFor(broker, sources, { qos, groupId: values.group, clientId, inFlight: Number(values['in-flight']), onConnection });
  try {
    await sink.start();
    await source.start((m) => runner.push(m));
  } catch (e) {
    await runner.stop();
    await sink.stop().catch(() => {});
    await dataflow?.pulled.cleanup();
    throw e;
  }
  console.log(`running "${graph.metadata.name}": ${sources.join(', ')} -> ${sinkLabel} on ${broker}${broker.startsWith('kafka://') ? ` (group ${values.group})` : ` (client id ${clientId})`}`);

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
      res.end(countersToPrometheus(runner.counters(), graph.metadata.name)
        + runnerHealthMetrics(runner.health(), graph.metadata.name)
        + connectionMetrics([{ role: 'source', connector: source.description, stats: source.connection() }, { role: 'sink', connector: sink.description, stats: sink.connection() }])
        + (s.metrics ?? ''));
    }, (e: Error) => res.writeHead(503).end(e.message));
  }).listen(Number(values['metrics-port']), '127.0.0.1') : undefined;
  const signal = await new Promise<string>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  // Drain: take no new messages, finish and acknowledge those in flight; the broker keeps the rest for the next run.
  console.error(`${signal}: draining ${source.inFlight} in-flight messages (at most ${values['drain-ms']} ms)`);
  clearInterval(timer);
  metricsServer?.close();
  await source.stop({ drainMs: Number(values['drain-ms']) });
  report();
  await runner.stop();
  await sink.stop();
  await dataflow?.pulled.cleanup();
  return 0;
}

function describeConnection(e: ConnectionEvent): string {
  switch (e.type) {
    case 'disconnected':
      return `${e.connector}: disconnected: ${e.reason ?? 'connection lost'}`;
    case 'reconnecting':
      return `${e.connector}: reconnecting (attempt ${e.attempt}) in ${e.delayMs} ms${e.reason ? ` after: ${e.reason}` : ''}`;
    case 'connected':
      return `${e.connector}: reconnected${e.attempt ? ` after ${e.attempt} attempts` : ''}`;
  }
}
