/**
 * Packaging of the data flow engine (apps/engine): the designer's image runs
 * it with another command, deploy/engine runs it in a cluster, and the
 * `engine` profile of docker-compose.yml runs it against a host kubeconfig.
 *
 * - The Dockerfile's production install (the prod-deps stage's own `pnpm
 *   install` arguments) is done for real, offline from the local pnpm store,
 *   in a copy of the build context (what .dockerignore lets through), and the
 *   Deployment's command is run in it: that is what the image holds (no
 *   container engine is needed).
 * - deploy/engine is applied with the real kubectl to a real kube-apiserver
 *   (@wgs/cluster-testing): a server-side dry run of everything, the RBAC
 *   objects for real, checked with `kubectl auth can-i`, and the engine
 *   itself run with nothing but the service account's token.
 * - docker-compose.yml is normalized by the real `docker compose config`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { freePort } from '@wgs/connectors/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never rejects for a non-zero exit (the caller looks at `code`). */
function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------
// The Dockerfile, as far as the engine needs it

interface Stage {
  name?: string;
  /** Instructions with continuation lines joined, comments dropped. */
  instructions: { keyword: string; args: string }[];
}

function dockerfileStages(): Stage[] {
  const stages: Stage[] = [];
  const lines = read('Dockerfile').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      const next = lines[++i]!;
      line = line.replace(/\\\s*$/, ' ') + (/^\s*#/.test(next) ? '' : next);
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line)!;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') stages.push({ name: /\sAS\s+(\S+)$/i.exec(args)?.[1], instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword, args });
  }
  return stages;
}

const stages = dockerfileStages();
const finalStage = stages.at(-1)!;
/** The image's CMD (the designer): node and the server's launcher. */
const imageCmd = JSON.parse(finalStage.instructions.find((i) => i.keyword === 'CMD')!.args) as string[];
const imageUser = Number(finalStage.instructions.filter((i) => i.keyword === 'USER').at(-1)!.args.split(':')[0]);
const imageEnv: Record<string, string> = {};
for (const ins of finalStage.instructions.filter((i) => i.keyword === 'ENV')) {
  for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) imageEnv[m[1]!] = m[2]!.replace(/^"|"$/g, '');
}

/** The prod-deps stage's `pnpm install` arguments (quotes removed). */
function productionInstallArgs(): string[] {
  const stage = stages.find((s) => s.name === 'prod-deps')!;
  const install = stage.instructions.find((i) => i.keyword === 'RUN' && / pnpm install /.test(` ${i.args} `))!;
  return install.args.slice(install.args.indexOf('pnpm install ') + 'pnpm install '.length).split(' ').map((t) => t.replace(/^"|"$/g, ''));
}

/** `.dockerignore` as the builder reads it: patterns from the context root, `**`, `*`, `?`, later `!` exceptions. */
function dockerIgnored(path: string): boolean {
  const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const toRegex = (p: string) =>
    new RegExp(`^${p.replace(/^\/+/, '').replace(/\/+$/, '').split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*').replace(/\.\*\//g, '(.*/)?')}$`);
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    if (candidates.some((c) => toRegex(negated ? raw.slice(1) : raw).test(c))) ignored = !negated;
  }
  return ignored;
}

/** Workspace packages by name, with their folder and manifest. */
function workspace(): Map<string, { folder: string; dependencies: Record<string, string> }> {
  const globs = (parseYaml(read('pnpm-workspace.yaml')) as { packages: string[] }).packages;
  const out = new Map<string, { folder: string; dependencies: Record<string, string> }>();
  for (const g of globs) {
    const base = g.replace(/\/\*$/, '');
    for (const d of readdirSync(join(root, base))) {
      if (!existsSync(join(root, base, d, 'package.json'))) continue;
      const m = JSON.parse(read(`${base}/${d}/package.json`)) as { name: string; dependencies?: Record<string, string> };
      out.set(m.name, { folder: `${base}/${d}`, dependencies: m.dependencies ?? {} });
    }
  }
  return out;
}

/** What `--prod --filter "<name>..."` for each name installs: the names and their workspace dependencies, recursively. */
function productionClosure(names: string[]): Set<string> {
  const ws = workspace();
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n) || !ws.has(n)) return;
    seen.add(n);
    for (const [dep, spec] of Object.entries(ws.get(n)!.dependencies)) if (spec.startsWith('workspace:')) visit(dep);
  };
  names.forEach(visit);
  return seen;
}

// ---------------------------------------------------------------------------
// deploy/engine

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: unknown };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: EnvVar[];
  ports: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet: { path: string; port: string | number } };
  livenessProbe?: { httpGet: { path: string; port: string | number } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  serviceAccountName: string;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes: { name: string; emptyDir?: object }[];
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { replicas?: number; template: { spec: PodSpec } };
}

const manifestDeployment = parseYaml(read('deploy/engine/deployment.yaml')) as KubeObject;
const manifestCommand = manifestDeployment.spec!.template.spec.containers[0]!.command!;

/** The value after a flag in an argv. */
const flagValue = (argv: string[], flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
/** The argv with the values of some flags replaced. */
const withFlags = (argv: string[], values: Record<string, string>): string[] =>
  argv.map((a, i) => (i > 0 && argv[i - 1]! in values ? values[argv[i - 1]!]! : a));

describe('the engine in the designer image (Dockerfile)', () => {
  it('installs the CLI, the engine and the Kubernetes client for production beside the server', () => {
    const args = productionInstallArgs();
    expect(args).toContain('--prod');
    expect(args).toContain('--frozen-lockfile');
    const filters = args.flatMap((a, i) => (args[i - 1] === '--filter' ? [a.replace(/\.\.\.$/, '')] : []));
    expect(filters).toEqual(expect.arrayContaining(['@wgs/cli', '@wgs/server']));
    const closure = productionClosure(filters);
    for (const name of ['@wgs/cli', '@wgs/engine', '@wgs/server', '@wgs/runtime', '@wgs/registry', '@wgs/connectors']) expect(closure, name).toContain(name);
    // The engine's Kubernetes client is a production dependency of what is installed.
    const ws = workspace();
    expect(ws.get('@wgs/engine')!.dependencies['@kubernetes/client-node']).toBeDefined();
    expect(ws.get('@wgs/cli')!.dependencies['@wgs/engine']).toBe('workspace:*');
  });

  it("runs the engine with the CLI's launcher, as `pnpm wgs` does: only the command differs from the designer's", () => {
    expect(imageCmd).toEqual(['node', 'apps/server/bin/server.mjs']);
    const rootManifest = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(rootManifest.scripts.wgs).toBe('node apps/cli/bin/wgs.mjs');
    expect(manifestCommand.slice(0, 3)).toEqual(['node', 'apps/cli/bin/wgs.mjs', 'engine']);
    expect(existsSync(join(root, manifestCommand[1]!))).toBe(true);
    expect(flagValue(manifestCommand, '--kubeconfig')).toBe('in-cluster');
    // The operator mode: the same launcher.
    const operator = parseYaml(read('deploy/engine/operator-deployment.yaml')) as KubeObject;
    expect(operator.spec!.template.spec.containers[0]!.command!.slice(0, 3)).toEqual(manifestCommand.slice(0, 3));
    // The Dockerfile says how to start it.
    expect(read('Dockerfile')).toContain('node apps/cli/bin/wgs.mjs \\\n#     engine --kubeconfig');
  });

  it('the image\'s production install, copied from the build context, builds the launchers\' bundles and runs the engine command from them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgs-engine-image-'));
    const app = join(dir, 'app');
    try {
      await buildContextInstall(app, productionInstallArgs());
      // The Dockerfile's own build step, with the bundles in this test's folder instead of /app/.wgs/bundles.
      const bake = finalStage.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('_BUNDLE=build'))!;
      const bundles = join(dir, 'bundles');
      const env = { PATH: process.env.PATH, HOME: dir, WGS_BUNDLE_DIR: bundles };
      const built = await run('sh', ['-c', bake.args], { cwd: app, env });
      expect(built.code, built.stderr).toBe(0);
      const entries = built.stdout.trim().split('\n');
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatch(new RegExp(`^${bundles}/server/[0-9a-f]{12}/b-[0-9a-f]{16}/main\\.js$`));
      expect(entries[1]).toMatch(new RegExp(`^${bundles}/cli/[0-9a-f]{12}/b-[0-9a-f]{16}/main\\.js$`));
      const before = listing(bundles);

      // Without a kubeconfig it stops at its usage: the CLI's bundle was loaded, not rebuilt, and tsx was not needed.
      const r = await run(process.execPath, [...manifestCommand.slice(1, 3)], { cwd: app, env: { ...env, WGS_CACHE_DIR: join(dir, 'cache') } });
      expect(r.stderr).toContain('usage: wgs engine --kubeconfig');
      expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)|runs through tsx/);
      expect(listing(bundles)).toEqual(before);
      expect(existsSync(join(dir, 'cache'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

/**
 * The files the Dockerfile's `COPY . .` copies (tracked and untracked files
 * the .dockerignore lets through), installed with the prod-deps stage's
 * arguments, offline from the local pnpm store.
 */
async function buildContextInstall(dir: string, installArgs: string[]): Promise<void> {
  const files = (await run('git', ['ls-files', '-co', '--exclude-standard', '-z'])).stdout.split('\0').filter(Boolean);
  let copied = 0;
  for (const f of files) {
    if (dockerIgnored(f) || !existsSync(join(root, f))) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(root, f), join(dir, f));
    copied++;
  }
  expect(copied).toBeGreaterThan(100);
  const store = (await run('pnpm', ['store', 'path'])).stdout.trim();
  const args = ['install', ...installArgs.filter((a) => !a.startsWith('--store-dir')), `--store-dir=${store}`, '--offline'];
  const r = await run('pnpm', args, { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  if (r.code !== 0) throw new Error(`pnpm ${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  // The launchers' esbuild and tsx come from @wgs/runtime's dependencies.
  expect(existsSync(join(dir, 'packages/runtime/node_modules/tsx/package.json'))).toBe(true);
}

/** Every file under a folder with its size and modification time: unchanged when nothing was rebuilt. */
function listing(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
    const s = statSync(join(folder, f));
    return `${f} ${s.size} ${s.mtimeMs}`;
  });
}

// ---------------------------------------------------------------------------
// docker-compose.yml's engine profile

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: unknown[];
  volumes?: { type: string; source: string; target: string; read_only?: boolean; bind?: { create_host_path?: boolean } }[];
  healthcheck?: { test: string[] };
}
interface ComposeProject {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composePlugin = join(homedir(), '.cache', 'wgs', 'bin', 'docker-compose');

/** `docker compose [--profile …] config` (the plugin .ci/setup builds), normalized to JSON, with only the given environment. */
async function composeConfig(profiles: string[], extraEnv: Record<string, string> = {}): Promise<ComposeProject> {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'DOCKER_CONFIG']) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, extraEnv);
  const args = ['-f', 'docker-compose.yml', '--env-file', '/dev/null', ...profiles.flatMap((p) => ['--profile', p]), 'config', '--format', 'json'];
  const docker = await run('docker', ['compose', 'version'], { env }).catch(() => undefined);
  const r = docker?.code === 0 ? await run('docker', ['compose', ...args], { env }) : await run(composePlugin, args, { env });
  if (r.code !== 0) throw new Error(`docker compose config exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ComposeProject;
}

describe('docker-compose.yml: the engine, only under its profile', () => {
  it('leaves the engine out of a plain `docker compose up`', async () => {
    const project = await composeConfig([]);
    expect(Object.keys(project.services).sort()).toEqual(['designer', 'mosquitto', 'registry']);
    // Nothing the engine brings is created either.
    expect(Object.keys(project.volumes ?? {}).sort()).toEqual(['designer-store', 'mosquitto-data', 'registry-data']);
  });

  it('with --profile engine: the designer image, the engine command on the host kubeconfig, mounted read-only', async () => {
    const kubeconfig = '/srv/clusters/engine.kubeconfig';
    const project = await composeConfig(['engine'], { WGS_KUBECONFIG: kubeconfig });
    expect(Object.keys(project.services).sort()).toEqual(['designer', 'engine', 'mosquitto', 'registry']);
    const { engine, designer } = project.services as Record<string, ComposeService>;
    expect(engine!.profiles).toEqual(['engine']);
    expect(engine!.image).toBe(designer!.image);
    expect(engine!.build).toEqual(designer!.build);
    const command = engine!.command!;
    expect(command.slice(0, 4)).toEqual(manifestCommand.slice(0, 4));
    const mount = engine!.volumes!.find((v) => v.target === flagValue(command, '--kubeconfig'));
    expect(mount).toMatchObject({ type: 'bind', source: kubeconfig, read_only: true });
    // A missing kubeconfig must not become an empty folder made on the host.
    expect(mount!.bind?.create_host_path).not.toBe(true);
    expect(engine!.environment).toMatchObject({ POD_NAMESPACE: 'azure-iot-operations', WGS_PROFILE: 'default' });
    expect(engine!.ports ?? []).toEqual([]);
    // The health check asks the port the command serves /healthz on.
    const port = flagValue(command, '--health-port');
    expect(port).toMatch(/^\d+$/);
    expect(engine!.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
  });

  it('reads ~/.kube/config unless WGS_KUBECONFIG is set, and takes WGS_NAMESPACE and WGS_PROFILE', async () => {
    const project = await composeConfig(['engine'], { WGS_NAMESPACE: 'plant-1', WGS_PROFILE: 'fast' });
    const engine = project.services.engine!;
    expect(engine.volumes!.find((v) => v.target === flagValue(engine.command!, '--kubeconfig'))?.source).toBe(join(homedir(), '.kube', 'config'));
    expect(engine.environment).toMatchObject({ POD_NAMESPACE: 'plant-1', WGS_PROFILE: 'fast' });
  });
});

// ---------------------------------------------------------------------------
// deploy/engine on a real kube-apiserver

const NAMESPACE = 'azure-iot-operations';
const OTHER_NAMESPACE = 'wgs-elsewhere';
const SERVICE_ACCOUNT = `system:serviceaccount:${NAMESPACE}:wgs-engine`;
const GROUP = 'connectivity.iotoperations.azure.com';
const READ = ['dataflowgraphs', 'dataflowendpoints', 'registryendpoints', 'dataflowprofiles'];

describe('deploy/engine on a real kube-apiserver', () => {
  let started: KubeCluster | undefined;
  let startError: unknown;
  const cluster = (): KubeCluster => {
    if (!started) throw startError;
    return started;
  };

  /** `kubectl auth can-i … --as` the engine's service account: true for "yes", false for "no". */
  const canI = async (...args: string[]): Promise<boolean> => {
    const kube = cluster();
    const r = await run(kube.binaries.kubectl, ['--kubeconfig', kube.kubeconfigPath, 'auth', 'can-i', ...args, `--as=${SERVICE_ACCOUNT}`]);
    const answer = r.stdout.trim();
    if (answer === 'yes' && r.code === 0) return true;
    if (answer === 'no' && r.code === 1) return false;
    throw new Error(`kubectl auth can-i ${args.join(' ')}: exit ${r.code}, ${answer} ${r.stderr}`);
  };
  const applyRbac = () => cluster().kubectl(['apply', ...['serviceaccount.yaml', 'role.yaml', 'rolebinding.yaml'].flatMap((f) => ['-f', join(root, 'deploy/engine', f)])]);
  const dryRun = async (): Promise<KubeObject[]> => {
    const r = await cluster().kubectl(['apply', '--dry-run=server', '-k', join(root, 'deploy/engine'), '-o', 'json']);
    return (JSON.parse(r.stdout) as { items: KubeObject[] }).items;
  };

  beforeAll(async () => {
    try {
      started = await startKube();
      await started.kubectl(['create', 'namespace', NAMESPACE]);
      await started.kubectl(['create', 'namespace', OTHER_NAMESPACE]);
      await started.kubectl(['apply', '-f', join(root, 'deploy/crds')]);
      await started.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...READ.map((p) => `crd/${p}.${GROUP}`)]);
    } catch (e) {
      startError = e;
    }
  }, 180_000);

  afterAll(async () => {
    await started?.stop();
  });

  it('passes a server-side dry run of kubectl apply -k, all namespaced, nothing created', async () => {
    const items = await dryRun();
    expect(items.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      ['Deployment/wgs-engine', 'Deployment/wgs-engine-operator', 'Role/wgs-engine', 'RoleBinding/wgs-engine', 'ServiceAccount/wgs-engine']);
    for (const o of items) expect(o.metadata.namespace, o.kind).toBe(NAMESPACE);
    const none = await run(cluster().binaries.kubectl, ['--kubeconfig', cluster().kubeconfigPath, '-n', NAMESPACE, 'get', 'deployment/wgs-engine']);
    expect(none.stderr).toMatch(/NotFound/);
    // The manifests without kustomize (kubectl apply -f, file by file: kubectl reads kustomization.yaml in a
    // folder as an object) are the same set: the kustomization only labels and tags.
    const files = readdirSync(join(root, 'deploy/engine')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const plain = await cluster().kubectl(['apply', '--dry-run=server', ...files.flatMap((f) => ['-f', join(root, 'deploy/engine', f)]), '-o', 'json']);
    const plainItems = (JSON.parse(plain.stdout) as { items?: KubeObject[] }).items ?? [];
    expect(plainItems.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(items.map((o) => `${o.kind}/${o.metadata.name}`).sort());
  });

  it('runs the image with the engine command, the downward API, probes on its health port and a read-only root', async () => {
    const deployment = (await dryRun()).find((o) => o.kind === 'Deployment')!;
    const designer = parseYaml(read('deploy/designer/deployment.yaml')) as KubeObject;
    expect(deployment.spec!.replicas).toBe(1);
    const pod = deployment.spec!.template.spec;
    expect(pod.serviceAccountName).toBe('wgs-engine');
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0]!;
    // One image for both.
    expect(c.image).toBe(designer.spec!.template.spec.containers[0]!.image);
    expect(c.command).toEqual(manifestCommand);
    expect(c.args ?? []).toEqual([]);

    const env = Object.fromEntries(c.env.map((e) => [e.name, e]));
    expect(env.POD_NAME?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(env.POD_NAMESPACE?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
    expect(env.WGS_PROFILE?.value).toBe('default');
    // The names the engine command reads.
    const source = read('apps/cli/src/commands/engine.ts');
    for (const name of ['POD_NAME', 'POD_NAMESPACE', 'WGS_PROFILE']) expect(source).toContain(`process.env.${name}`);

    // Probes go to the port the command serves /healthz on, bound to every interface (the kubelet probes the pod IP).
    const port = Number(flagValue(c.command!, '--health-port'));
    expect(flagValue(c.command!, '--health-host')).toBe('0.0.0.0');
    const named = c.ports.find((p) => p.containerPort === port);
    expect(named).toBeDefined();
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      expect(probe?.httpGet.path).toBe('/healthz');
      expect([named!.name, port]).toContain(probe!.httpGet.port);
    }
    expect(c.resources.requests?.cpu).toBeDefined();
    expect(c.resources.requests?.memory).toBeDefined();
    expect(c.resources.limits?.memory).toBeDefined();

    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBe(imageUser);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(c.securityContext.capabilities?.drop).toEqual(['ALL']);
    // Every folder it writes to is an emptyDir: /tmp (tsx) and the module cache.
    const emptyDirs = new Set(pod.volumes.filter((v) => v.emptyDir).map((v) => v.name));
    const writable = c.volumeMounts.filter((m) => emptyDirs.has(m.name)).map((m) => m.mountPath);
    const cacheDir = env.WGS_CACHE_DIR?.value ?? imageEnv.WGS_CACHE_DIR!;
    for (const dir of ['/tmp', cacheDir]) expect(writable.some((m) => dir === m || dir.startsWith(`${m}/`)), `${dir} is writable`).toBe(true);
  });

  it('grants the service account what the engine does, in its namespace only, and refuses the rest', async () => {
    await applyRbac();
    const granted: [string, string[]][] = [
      ...READ.map((r): [string, string[]] => [`${r}.${GROUP}`, ['get', 'list', 'watch']]),
      ['secrets', ['get']],
      // Message schemas (labelled ConfigMaps), watched by the engine.
      ['configmaps', ['get', 'list', 'watch']],
      ['leases.coordination.k8s.io', ['get', 'list', 'watch', 'create', 'update']],
      // The operator mode deletes the copy of a deleted profile (operator.ts).
      ['deployments.apps', ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']],
    ];
    for (const [resource, verbs] of granted) {
      for (const verb of verbs) expect(await canI(verb, resource, '-n', NAMESPACE), `${verb} ${resource}`).toBe(true);
    }
    for (const verb of ['update', 'patch']) expect(await canI(verb, `dataflowgraphs.${GROUP}`, '--subresource=status', '-n', NAMESPACE), `${verb} status`).toBe(true);

    const refused: [string, string, ...string[]][] = [
      // Graphs' specs are the designer's and kubectl's.
      ['delete', `dataflowgraphs.${GROUP}`],
      ['update', `dataflowgraphs.${GROUP}`],
      ['patch', `dataflowgraphs.${GROUP}`],
      ['create', `dataflowgraphs.${GROUP}`],
      ['update', `dataflowendpoints.${GROUP}`],
      ['delete', `registryendpoints.${GROUP}`],
      ['patch', `dataflowprofiles.${GROUP}`],
      ['patch', `dataflowendpoints.${GROUP}`, '--subresource=status'],
      ['create', `dataflows.${GROUP}`],
      ['create', 'secrets'],
      ['create', 'configmaps'],
      ['update', 'configmaps'],
      ['delete', 'configmaps'],
      ['list', 'secrets'],
      ['watch', 'secrets'],
      ['update', 'secrets'],
      ['list', 'pods'],
      ['create', 'pods'],
      ['delete', 'leases.coordination.k8s.io'],
      ['patch', 'leases.coordination.k8s.io'],
      ['create', 'replicasets.apps'],
      ['delete', 'statefulsets.apps'],
      ['create', 'pods/exec'],
      ['create', 'rolebindings.rbac.authorization.k8s.io'],
    ];
    for (const [verb, resource, ...rest] of refused) expect(await canI(verb, resource, ...rest, '-n', NAMESPACE), `${verb} ${resource} ${rest.join(' ')}`).toBe(false);
    expect(await canI('get', `dataflowgraphs.${GROUP}`, '-n', OTHER_NAMESPACE)).toBe(false);
    expect(await canI('get', 'secrets', '-n', OTHER_NAMESPACE)).toBe(false);
    expect(await canI('list', `dataflowgraphs.${GROUP}`, '--all-namespaces')).toBe(false);
    expect(await canI('list', 'namespaces')).toBe(false);

    // No cluster-wide object and no wildcard anywhere in the folder; secrets are not narrowed by name, on purpose (said in role.yaml).
    const text = readdirSync(join(root, 'deploy/engine')).map((f) => read(`deploy/engine/${f}`)).join('\n');
    expect(text).not.toMatch(/kind:\s*Cluster(Role|RoleBinding)/);
    expect(text).not.toMatch(/["']\*["']/);
    const role = parseYaml(read('deploy/engine/role.yaml')) as { rules: { resources: string[]; resourceNames?: string[] }[] };
    expect(role.rules.find((r) => r.resources.includes('secrets'))!.resourceNames).toBeUndefined();
    expect(read('deploy/engine/role.yaml')).toMatch(/resourceNames/);
  });

  it("the image's install runs the Deployment's command with nothing but the service account's token: graphs watched, status written, /healthz and /metrics", async () => {
    const kube = cluster();
    await applyRbac();
    const token = (await kube.kubectl(['-n', NAMESPACE, 'create', 'token', 'wgs-engine'])).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'wgs-engine-pod-'));
    const app = join(dir, 'app');
    let engine: ChildProcess | undefined;
    const logs: string[] = [];
    try {
      await buildContextInstall(app, productionInstallArgs());
      // The pod's view: the service account's token; in-cluster becomes a kubeconfig file holding only it.
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, JSON.stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'pod',
        clusters: [{ name: 'c', cluster: { server: kube.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'wgs-engine', user: { token } }],
        contexts: [{ name: 'pod', context: { cluster: 'c', user: 'wgs-engine' } }],
      }), { mode: 0o600 });
      const port = await freePort();
      const argv = withFlags(manifestCommand, { '--kubeconfig': kubeconfig, '--health-port': String(port), '--health-host': '127.0.0.1' });
      expect(argv).not.toEqual(manifestCommand);
      // The Deployment's env, with the downward API's values filled in.
      const podEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
      for (const e of manifestDeployment.spec!.template.spec.containers[0]!.env) {
        const field = e.valueFrom?.fieldRef?.fieldPath;
        podEnv[e.name] = field === 'metadata.name' ? 'wgs-engine-6d9f-x2k4q' : field === 'metadata.namespace' ? NAMESPACE : e.value;
      }
      podEnv.WGS_CACHE_DIR = join(dir, 'cache');
      engine = spawn(argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1), { cwd: app, env: podEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const s of [engine.stdout!, engine.stderr!]) s.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
      const exited = new Promise<number | null>((resolve) => engine!.once('exit', (code) => resolve(code)));

      const get = async (path: string) => {
        const r = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
        return r ? { status: r.status, text: await r.text() } : undefined;
      };
      const until = async <T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
        const end = Date.now() + ms;
        for (;;) {
          const v = await f();
          if (v !== undefined) return v;
          if (engine!.exitCode !== null) throw new Error(`${what}: the engine exited ${engine!.exitCode}\n${logs.join('\n')}`);
          if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms\n${logs.slice(-20).join('\n')}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await until('/healthz 200', async () => ((await get('/healthz'))?.status === 200 ? true : undefined));

      const graph = (name: string, profileRef: string) => ({
        apiVersion: `${GROUP}/v1`, kind: 'DataflowGraph', metadata: { name, namespace: NAMESPACE },
        spec: {
          profileRef,
          nodes: [
            { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'broker', dataSources: ['sensor/in'] } },
            { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'registry', artifact: 'graph-simple:1.0.0' } },
            { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'broker', dataDestination: 'sensor/out' } },
          ],
          nodeConnections: [{ from: { name: 'sensors' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'out' } }],
        },
      });
      await kube.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [graph('packaged', 'default'), graph('elsewhere', 'other-profile')] }));
      const status = async (name: string) => {
        const r = await kube.request('GET', `/apis/${GROUP}/v1/namespaces/${NAMESPACE}/dataflowgraphs/${name}`);
        return (r.body as { status?: { healthState?: { status: string; reasonCode: string }; engine?: { pod?: string } } }).status;
      };
      // Watched and written through the status subresource, under the pod's name from the downward API.
      const first = await until('EndpointNotFound written', async () => ((await status('packaged'))?.healthState?.reasonCode === 'EndpointNotFound' ? status('packaged') : undefined));
      expect(first?.healthState?.status).toBe('Unavailable');
      expect(first?.engine?.pod).toBe('wgs-engine-6d9f-x2k4q');
      // The endpoint informer too: once the endpoint exists, the next missing piece is the registry endpoint.
      await kube.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'DataflowEndpoint', metadata: { name: 'broker', namespace: NAMESPACE }, spec: { endpointType: 'Mqtt', mqttSettings: { host: '127.0.0.1:1883' } } }));
      await until('RegistryEndpointNotFound written', async () => ((await status('packaged'))?.healthState?.reasonCode === 'RegistryEndpointNotFound' ? true : undefined));
      // Another profile's graph is not this engine's.
      expect(await status('elsewhere')).toBeUndefined();

      const metrics = (await get('/metrics'))!;
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^wgs_engine_graph_count 1$/m);
      expect(metrics.text).toMatch(/^wgs_engine_graphs\{health="Unavailable"\} 1$/m);
      expect((await get('/nothing'))?.status).toBe(404);
      expect(logs.join('\n')).not.toMatch(/forbidden/i);

      engine.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (engine && engine.exitCode === null) engine.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
