import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_NAMESPACE } from '@wgs/graph-model';
import { Engine } from '@wgs/engine';
import { flags } from './args.ts';

const USAGE = 'usage: wgs engine --kubeconfig <file|in-cluster> [--namespace ns] [--profile name] [--status-interval-ms N]';

/** Runs the DataflowGraphs of one profile in a namespace until SIGINT/SIGTERM (see apps/engine). */
export async function engineCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    kubeconfig: { type: 'string', default: process.env.WGS_KUBECONFIG },
    namespace: { type: 'string', default: process.env.POD_NAMESPACE ?? DEFAULT_NAMESPACE },
    profile: { type: 'string', default: process.env.WGS_PROFILE ?? 'default' },
    'status-interval-ms': { type: 'string', default: '3000' },
  }, USAGE);
  if (!values.kubeconfig) throw new Error(USAGE);
  const kc = new KubeConfig();
  if (values.kubeconfig === 'in-cluster') kc.loadFromCluster();
  else kc.loadFromFile(values.kubeconfig);
  const engine = new Engine({
    kubeconfig: kc,
    namespace: values.namespace!,
    profile: values.profile,
    pod: process.env.POD_NAME ?? hostname(),
    statusIntervalMs: Number(values['status-interval-ms']),
  });
  await engine.start();
  const signal = await new Promise<string>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  console.log(`${signal}: stopping every graph (in-flight messages are drained)`);
  await engine.stop();
  return 0;
}
