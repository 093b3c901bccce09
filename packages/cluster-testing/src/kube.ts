/**
 * Starts a private, real Kubernetes control plane for tests: an etcd and a
 * kube-apiserver, both on free 127.0.0.1 ports, with their data in a
 * temporary folder. No kubelet, scheduler or controller manager: it stores
 * and serves resources (custom resources included) exactly as a cluster's API
 * server does, which is what a backend that persists resources talks to.
 *
 * The binaries come from `.ci/kube/build-apiserver.sh` (kube-apiserver and
 * kubectl built from k8s.io/kubernetes, etcd from Debian or built), which
 * leaves them in `${WGS_CACHE_DIR:-~/.cache/wgs}/bin`. WGS_KUBE_APISERVER,
 * WGS_ETCD and WGS_KUBECTL name other binaries.
 *
 * Access: a static bearer token for the user `wgs-admin` in the group
 * `system:masters` (RBAC lets that group do everything); the API server's
 * self-signed serving certificate is not verified (the kubeconfig says
 * insecure-skip-tls-verify).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubeBinaries {
  kubeApiserver: string;
  etcd: string;
  kubectl: string;
}

export interface KubeResponse {
  status: number;
  /** The body parsed as JSON, or the text where it is not JSON. */
  body: unknown;
}

export interface KubeCommandResult {
  stdout: string;
  stderr: string;
}

export interface KubeCluster {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** Bearer token of the `system:masters` user. */
  token: string;
  /** A kubeconfig for `url` with `token` (TLS not verified). */
  kubeconfigPath: string;
  /** The binaries this cluster runs; `kubectl` matches the server's version. */
  binaries: KubeBinaries;
  /** Milliseconds from the call to startKube to a ready API server. */
  startupMs: number;
  /** Runs kubectl against this cluster; rejects with its stderr when it exits non-zero. */
  kubectl(args: string[], input?: string): Promise<KubeCommandResult>;
  /** One HTTPS request to the API server with the token; `body` is sent as JSON. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<KubeResponse>;
  /** Stops the API server and etcd and removes their folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartKubeOptions {
  binaries?: KubeBinaries;
  /** How long the API server may take to answer /readyz with 200; default 120 s (two loaded cores). */
  readyTimeoutMs?: number;
}

export class KubeBinariesMissingError extends Error {
  override name = 'KubeBinariesMissingError';
}

const BUILD_HINT = 'run `bash .ci/kube/build-apiserver.sh` (once per machine: it builds kube-apiserver and kubectl from the Go module k8s.io/kubernetes, about 10 minutes, and installs etcd; `.ci/setup` runs it too)';

/** The folder build-apiserver.sh fills: `${WGS_CACHE_DIR:-~/.cache/wgs}/bin`. */
export function kubeBinDir(): string {
  return join(process.env.WGS_CACHE_DIR ?? join(homedir(), '.cache', 'wgs'), 'bin');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The binaries to run: the stable names in `binDir` (default kubeBinDir(),
 * where WGS_KUBE_APISERVER, WGS_ETCD and WGS_KUBECTL take precedence).
 * Throws KubeBinariesMissingError, saying how to build them, if any is missing.
 */
export function findKubeBinaries(binDir?: string): KubeBinaries {
  const dir = binDir ?? kubeBinDir();
  const pick = (variable: string, name: string) => (binDir === undefined ? process.env[variable] : undefined) ?? join(dir, name);
  const binaries: KubeBinaries = {
    kubeApiserver: pick('WGS_KUBE_APISERVER', 'kube-apiserver'),
    etcd: pick('WGS_ETCD', 'etcd'),
    kubectl: pick('WGS_KUBECTL', 'kubectl'),
  };
  const missing = Object.values(binaries).filter((path) => !executable(path));
  if (missing.length > 0) {
    throw new KubeBinariesMissingError(`The Kubernetes test binaries are missing (${missing.join(', ')}): ${BUILD_HINT}.`);
  }
  return binaries;
}

function freePort(taken: Set<number>): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => (taken.has(port) ? freePort(taken).then(resolve, reject) : (taken.add(port), resolve(port))));
    });
  });
}

const admissionDefaults = new Map<string, string[]>();

/**
 * The admission plugins this kube-apiserver enables by default, read from its
 * --help (the list changes between releases, and naming an unknown plugin in
 * --disable-admission-plugins is an error).
 */
function defaultAdmissionPlugins(kubeApiserver: string): string[] {
  let plugins = admissionDefaults.get(kubeApiserver);
  if (!plugins) {
    let help = '';
    try {
      help = execFileSync(kubeApiserver, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      // Older releases print --help and exit non-zero.
      help = String((e as { stdout?: string }).stdout ?? '');
    }
    const list = /--enable-admission-plugins[^\n]*?default enabled ones \(([^)]*)\)/.exec(help)?.[1] ?? '';
    plugins = list.split(',').map((p) => p.trim()).filter(Boolean);
    admissionDefaults.set(kubeApiserver, plugins);
  }
  return plugins;
}

/** The last lines of a log file, for error messages. */
function tail(path: string, lines = 25): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface Process {
  child: ChildProcess;
  exited: Promise<void>;
  log: string;
}

function start(binary: string, args: string[], log: string): Process {
  const fd = openSync(log, 'a');
  // Output goes to a file, never to a pipe nobody reads (a full pipe would block the server).
  const child = spawn(binary, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (e) => {
      writeFileSync(log, `spawn ${binary}: ${e.message}\n`, { flag: 'a' });
      resolve();
    });
  });
  return { child, exited, log };
}

function running(p: Process): boolean {
  return p.child.exitCode === null && p.child.signalCode === null && p.child.pid !== undefined;
}

/** SIGTERM, then SIGKILL after graceMs. */
async function terminate(p: Process, graceMs: number): Promise<void> {
  if (!running(p)) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

function send(url: string, method: string, headers: Record<string, string>, payload?: string): Promise<KubeResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = { method, headers, rejectUnauthorized: false, timeout: 30_000 };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, p: Process, deadline: number, ready: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (!running(p)) throw new Error(`${what} exited during startup; its log ends:\n${tail(p.log)}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready in time; its log ends:\n${tail(p.log)}`);
    await sleep(200);
  }
}

function kubeconfig(url: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: wgs-test',
    '    cluster:',
    `      server: ${url}`,
    '      insecure-skip-tls-verify: true',
    'users:',
    '  - name: wgs-admin',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: wgs-test',
    '    context:',
    '      cluster: wgs-test',
    '      user: wgs-admin',
    'current-context: wgs-test',
    '',
  ].join('\n');
}

/**
 * Starts etcd and kube-apiserver on free loopback ports and resolves once the
 * API server answers /readyz with 200. Rejects with KubeBinariesMissingError
 * when the binaries have not been built, or with the processes' last log
 * lines when they do not come up.
 */
export async function startKube(options: StartKubeOptions = {}): Promise<KubeCluster> {
  const began = Date.now();
  const binaries = options.binaries ?? findKubeBinaries();
  const deadline = began + (options.readyTimeoutMs ?? 120_000);
  const dir = mkdtempSync(join(tmpdir(), 'wgs-kube-'));
  const ports = new Set<number>();
  const [etcdClient, etcdPeer, securePort] = [await freePort(ports), await freePort(ports), await freePort(ports)];

  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},wgs-admin,wgs-admin,"system:masters"\n`, { mode: 0o600 });
  // The key pair the API server signs and checks service-account tokens with.
  const serviceAccountKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(join(dir, 'sa.key'), serviceAccountKey.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), serviceAccountKey.publicKey);

  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const etcdPeerUrl = `http://127.0.0.1:${etcdPeer}`;
  const etcd = start(binaries.etcd, [
    '--name=wgs-test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${etcdPeerUrl}`,
    `--initial-advertise-peer-urls=${etcdPeerUrl}`,
    `--initial-cluster=wgs-test=${etcdPeerUrl}`,
    '--initial-cluster-state=new',
    '--initial-cluster-token=wgs-test',
  ], join(dir, 'etcd.log'));
  const processes: Process[] = [etcd];

  const url = `https://127.0.0.1:${securePort}`;
  const kubeconfigPath = join(dir, 'kubeconfig');
  let stopped: Promise<void> | undefined;
  // Stops the API server first: told to stop after its etcd is gone, it waits for etcd for minutes.
  const stopAll = () => (stopped ??= (async () => {
    process.off('exit', killOnExit);
    for (const p of [...processes].reverse()) await terminate(p, 5_000);
    rmSync(dir, { recursive: true, force: true });
  })());
  // A test process that ends without stop() must not leave the servers running.
  const killOnExit = () => {
    for (const p of processes) if (running(p)) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);

  try {
    await waitFor(`etcd (${binaries.etcd})`, etcd, deadline, async () => {
      const r = await send(`${etcdUrl}/health`, 'GET', {});
      return r.status === 200 && (r.body as { health?: unknown }).health === 'true';
    });

    const others = defaultAdmissionPlugins(binaries.kubeApiserver).filter((p) => p !== 'NamespaceLifecycle');
    const apiserver = start(binaries.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      // No --tls-cert-file: the API server writes itself a self-signed certificate here.
      `--cert-dir=${join(dir, 'certs')}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      // Service addresses are only allocated in etcd here, never reached.
      '--service-cluster-ip-range=10.0.0.0/24',
      // The `kubernetes` Service's endpoints may not be a loopback address: do not maintain them.
      '--endpoint-reconciler-type=none',
      // Only namespace lifecycle (objects need an existing namespace); nothing here runs pods.
      '--enable-admission-plugins=NamespaceLifecycle',
      ...(others.length > 0 ? [`--disable-admission-plugins=${others.join(',')}`] : []),
      '--profiling=false',
    ], join(dir, 'kube-apiserver.log'));
    processes.push(apiserver);

    await waitFor(`kube-apiserver (${binaries.kubeApiserver})`, apiserver, deadline, async () => {
      const r = await send(`${url}/readyz`, 'GET', { authorization: `Bearer ${token}` });
      return r.status === 200;
    });
    writeFileSync(kubeconfigPath, kubeconfig(url, token), { mode: 0o600 });
  } catch (e) {
    await stopAll();
    throw e;
  }

  return {
    url,
    token,
    kubeconfigPath,
    binaries,
    startupMs: Date.now() - began,
    // Its discovery cache stays in the cluster's folder, not in ~/.kube.
    kubectl: (args, input) => runKubectl(binaries.kubectl, ['--kubeconfig', kubeconfigPath, `--cache-dir=${join(dir, 'kubectl-cache')}`, ...args], input),
    request: (method, path, body, headers = {}) => {
      const all: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...headers };
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        all['content-type'] ??= 'application/json';
      }
      return send(`${url}${path}`, method, all, payload);
    },
    stop: stopAll,
  };
}

function runKubectl(kubectl: string, args: string[], input?: string): Promise<KubeCommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}
