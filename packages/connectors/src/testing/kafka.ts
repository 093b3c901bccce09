/**
 * Starts a private, real Apache Kafka broker (KRaft, broker and controller in
 * one JVM) on loopback for tests, from the jars `.ci/kafka/fetch-kafka.sh`
 * puts in `${WGS_CACHE_DIR:-~/.cache/wgs}/kafka/lib`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portAccepts } from './ports.ts';

export interface KafkaBroker {
  /** `kafka://127.0.0.1:PORT`, the URL form the connectors take. */
  url: string;
  bootstrap: string;
  /** The broker's classpath, for Kafka's own console tools as a second opinion. */
  classpath: string;
  /** Runs a Kafka tool class (e.g. org.apache.kafka.tools.consumer.ConsoleConsumer) with the broker's classpath. */
  tool(mainClass: string, args: string[], input?: string, timeoutMs?: number): { stdout: string; stderr: string; status: number | null };
  stop(): Promise<void>;
  /** Graceful stop (SIGTERM), `downMs` of nothing, then the same broker (ports, data) again. */
  restart(downMs?: number): Promise<void>;
}

export function kafkaLibDir(): string {
  return join(process.env.WGS_CACHE_DIR ?? join(homedir(), '.cache', 'wgs'), 'kafka', 'lib');
}

export async function startKafka(): Promise<KafkaBroker> {
  const lib = kafkaLibDir();
  if (!existsSync(lib)) throw new Error(`no Kafka jars in ${lib}: run \`bash .ci/kafka/fetch-kafka.sh\` (.ci/setup does)`);
  const classpath = `${lib}/*`;
  const [port, controller] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'wgs-kafka-'));
  const props = join(dir, 'server.properties');
  writeFileSync(props, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
    '',
  ].join('\n'));
  const java = (args: string[]) => ['-Xmx512m', '-cp', classpath, ...args];
  // Kafka's own ids never start with '-': the storage tool would read one as an option.
  const idBytes = randomBytes(16);
  idBytes.writeUInt8(idBytes.readUInt8(0) & 0x7f, 0);
  const clusterId = idBytes.toString('base64url');
  const formatted = spawnSync('java', java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props]), { encoding: 'utf8' });
  if (formatted.status !== 0) throw new Error(`formatting the Kafka log folder failed: ${formatted.stderr || formatted.stdout}`);
  const launch = async () => {
    const child: ChildProcess = spawn('java', java(['kafka.Kafka', props]), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while (!(await portAccepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Kafka did not start on port ${port}: ${stderr.trim().split('\n').slice(-5).join('\n') || 'no output'}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child, exited };
  };
  const halt = async (k: { child: ChildProcess; exited: Promise<void> }) => {
    if (k.child.exitCode !== null) return;
    k.child.kill('SIGTERM');
    const timer = setTimeout(() => k.child.kill('SIGKILL'), 10_000);
    await k.exited;
    clearTimeout(timer);
  };
  let current = await launch();
  const bootstrap = `127.0.0.1:${port}`;
  return {
    url: `kafka://${bootstrap}`,
    bootstrap,
    classpath,
    tool: (mainClass, args, input, timeoutMs = 30_000) => {
      const r = spawnSync('java', ['-cp', classpath, mainClass, ...args], { input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
      return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
    },
    async stop() {
      await halt(current);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(downMs = 0) {
      await halt(current);
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      while (await portAccepts(port)) await new Promise((r) => setTimeout(r, 100));
      current = await launch();
    },
  };
}
