import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_NAMESPACE } from '@wgs/graph-model';
import { Engine, ProfileOperator } from '@wgs/engine';
import { flags } from './args.ts';

const USAGE = 'usage: wgs engine --kubeconfig <file|in-cluster> [--namespace ns] [--profile name] [--status-interval-ms N] [--lease-seconds N] [--operator [--template deployment]] [--health-port N] [--health-host addr]';

/** Runs the DataflowGraphs of one profile in a namespace until SIGINT/SIGTERM (see apps/engine). */
export async function engineCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    kubeconfig: { type: 'string', default: process.env.WGS_KUBECONFIG },
    namespace: { type: 'string', default: process.env.POD_NAMESPACE ?? DEFAULT_NAMESPACE },
    profile: { type: 'string', default: process.env.WGS_PROFILE ?? 'default' },
    'status-interval-ms': { type: 'string', default: '3000' },
    // A stateful graph moves to another replica this long after its holder stopped renewing its lease.
    'lease-seconds': { type: 'string', default: '15' },
    // Operator mode: keep one engine Deployment per DataflowProfile (replicas = instanceCount), derived from --template.
    operator: { type: 'boolean', default: false },
    template: { type: 'string', default: 'wgs-engine' },
    // Probes and scraping (deploy/engine): /healthz is 200 once the informers run, /metrics counts graphs by health.
    'health-port': { type: 'string' },
    'health-host': { type: 'string', default: '127.0.0.1' },
  }, USAGE);
  if (!values.kubeconfig) throw new Error(USAGE);
  const kc = new KubeConfig();
  if (values.kubeconfig === 'in-cluster') kc.loadFromCluster();
  else kc.loadFromFile(values.kubeconfig);
  if (values.operator) return operatorMode(kc, values.namespace!, values.template!);
  const engine = new Engine({
    kubeconfig: kc,
    namespace: values.namespace!,
    profile: values.profile,
    pod: process.env.POD_NAME ?? hostname(),
    statusIntervalMs: Number(values['status-interval-ms']),
    leaseSeconds: Number(values['lease-seconds']),
  });
  let started = false;
  const health = values['health-port'] ? createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(started ? 200 : 503, { 'content-type': 'text/plain' }).end(started ? 'ok\n' : 'starting\n');
    } else if (req.url === '/metrics') {
      const statuses = engine.statuses();
      const byHealth = new Map<string, number>();
      for (const s of statuses.values()) {
        const h = s?.healthState.status ?? 'Unknown';
        byHealth.set(h, (byHealth.get(h) ?? 0) + 1);
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end([
        '# HELP wgs_engine_graphs DataflowGraphs of this engine\'s profile, by the health last written.',
        '# TYPE wgs_engine_graphs gauge',
        ...[...byHealth].map(([h, n]) => `wgs_engine_graphs{health="${h}"} ${n}`),
        '# HELP wgs_engine_graph_count DataflowGraphs of this engine\'s profile.',
        '# TYPE wgs_engine_graph_count gauge',
        `wgs_engine_graph_count ${statuses.size}`,
        '',
      ].join('\n'));
    } else res.writeHead(404).end();
  }).listen(Number(values['health-port']), values['health-host']) : undefined;
  try {
    await engine.start();
  } catch (e) {
    health?.close();
    throw e;
  }
  started = true;
  const signal = await new Promise<string>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  console.log(`${signal}: stopping every graph (in-flight messages are drained)`);
  await engine.stop();
  health?.close();
  return 0;
}

async function operatorMode(kc: KubeConfig, namespace: string, template: string): Promise<number> {
  const operator = new ProfileOperator({ kubeconfig: kc, namespace, template });
  await operator.start();
  console.log(`operator: one engine Deployment per DataflowProfile in ${namespace}, derived from Deployment ${template}`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await operator.stop();
  return 0;
}
