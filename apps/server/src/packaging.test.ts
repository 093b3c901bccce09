/**
 * Packaging: the Dockerfile, docker-compose.yml and the Kubernetes manifests
 * in deploy/designer.
 *
 * - The Dockerfile is checked statically (this machine has the docker CLI but
 *   no engine): COPY sources exist and are not ignored, the apt packages are
 *   scripts/setup.sh's, every workspace manifest reaches `pnpm install`, the CMD's
 *   files exist where the production install puts them.
 * - docker-compose.yml is normalized by the real `docker compose config` (the
 *   v2 plugin .ci/setup builds), and the broker's config is run by Debian's
 *   mosquitto.
 * - deploy/designer is applied with the real kubectl to a real kube-apiserver
 *   (@wgs/cluster-testing): a server-side dry run of everything, then the RBAC
 *   objects for real, checked with `kubectl auth can-i` and by the server's
 *   own store opened with `WGS_KUBECONFIG=in-cluster` and the service
 *   account's token.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KubeStore } from '@wgs/cluster-store';
import { startKube, type KubeCluster } from '@wgs/cluster-testing';
import { freePort } from '@wgs/connectors/testing';
import { embeddedRegistryDir } from '@wgs/registry';
import { defaultConfig } from './config.ts';
import { openStores } from './stores.ts';

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
// Dockerfile

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
  line: number;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped, grouped by stage. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/, ' ');
      const next = lines[++i]!;
      if (!/^\s*#/.test(next)) line += next;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile:${first}: cannot read "${line}"`);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile:${first}: cannot read FROM ${args}`);
      stages.push({ image: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (keyword === 'ARG') continue;
      throw new Error(`Dockerfile:${first}: ${keyword} before FROM`);
    }
    stage.instructions.push({ keyword, args, stage: stages.length - 1, line: first });
  }
  return stages;
}

/** `.dockerignore` as the builder reads it: patterns from the context root, `**`, `*`, `?`, later `!` exceptions. */
function dockerIgnored(patterns: string[], path: string): boolean {
  const toRegex = (p: string) =>
    new RegExp(`^${p.replace(/^\/+/, '').replace(/\/+$/, '').split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*').replace(/\.\*\//g, '(.*/)?')}$`);
  const parts = path.split('/');
  // A path is excluded when it, or a folder above it, matches.
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const re = toRegex(negated ? raw.slice(1) : raw);
    if (candidates.some((c) => re.test(c))) ignored = !negated;
  }
  return ignored;
}

function dockerignorePatterns(): string[] {
  return read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** Packages an `apt-get install` in the stage installs. */
function aptPackages(stage: Stage): string[] {
  const out: string[] = [];
  for (const ins of stage.instructions.filter((i) => i.keyword === 'RUN')) {
    for (const m of ins.args.matchAll(/apt-get install((?:\s+[^\s&;|]+)+)/g)) {
      out.push(...m[1]!.trim().split(/\s+/).filter((t) => !t.startsWith('-')));
    }
  }
  return out;
}

function setupValue(name: string): string {
  const m = new RegExp(`^${name}=(.*)$`, 'm').exec(read('scripts/setup.sh'));
  if (!m) throw new Error(`scripts/setup.sh sets no ${name}`);
  return m[1]!.trim();
}

/** The workspace packages' folders, from pnpm-workspace.yaml's `folder/*` globs. */
function workspaceFolders(): string[] {
  const globs = (parseYaml(read('pnpm-workspace.yaml')) as { packages: string[] }).packages;
  return globs.flatMap((g) => {
    if (!g.endsWith('/*')) throw new Error(`unexpected workspace glob ${g}`);
    const base = g.slice(0, -2);
    return readdirSync(join(root, base)).map((d) => `${base}/${d}`).filter((d) => existsSync(join(root, d, 'package.json')));
  }).sort();
}

/** The workspace packages `pnpm install --prod --filter "<name>..."` installs: name and its workspace dependencies, recursively. */
function productionWorkspaceClosure(name: string): string[] {
  const manifests = new Map(workspaceFolders().map((d) => {
    const m = JSON.parse(read(`${d}/package.json`)) as { name: string; dependencies?: Record<string, string> };
    return [m.name, m] as const;
  }));
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const [dep, spec] of Object.entries(manifests.get(n)?.dependencies ?? {})) if (spec.startsWith('workspace:')) visit(dep);
  };
  visit(name);
  return [...seen].sort();
}

/** ENV key=value pairs of a stage. */
function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

const stages = parseDockerfile(read('Dockerfile'));
const finalStage = stages.at(-1)!;
/** Packages of scripts/setup.sh that the image does not build with (the broker is in the final stage). */
const SETUP_ONLY = ['mosquitto', 'mosquitto-clients'];

describe('Dockerfile', () => {
  it('builds on node 20 bookworm and runs on node 20 bookworm slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toMatch(/^node:20-bookworm(-slim)?$/);
    expect(finalStage.image).toBe('node:20-bookworm-slim');
  });

  it('copies only paths that exist in the repository and are in the build context', () => {
    const patterns = dockerignorePatterns();
    const names = stages.map((s) => s.name).filter(Boolean);
    let copies = 0;
    for (const ins of stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
      const tokens = ins.args.split(' ');
      const flags = tokens.filter((t) => t.startsWith('--'));
      const paths = tokens.filter((t) => !t.startsWith('--'));
      expect(paths.length, `Dockerfile:${ins.line}`).toBeGreaterThanOrEqual(2);
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      if (from) {
        // From an earlier stage of this file.
        expect(names.slice(0, ins.stage), `Dockerfile:${ins.line}`).toContain(from);
        continue;
      }
      for (const source of paths.slice(0, -1)) {
        const path = source.replace(/^\.\//, '').replace(/\/$/, '') || '.';
        expect(existsSync(join(root, path)), `Dockerfile:${ins.line}: ${source} does not exist`).toBe(true);
        if (path !== '.') expect(dockerIgnored(patterns, path), `Dockerfile:${ins.line}: ${source} is excluded by .dockerignore`).toBe(false);
        copies++;
      }
    }
    expect(copies).toBeGreaterThan(0);
  });

  it('keeps local state, secrets and host-built dependencies out of the build context', () => {
    const patterns = dockerignorePatterns();
    for (const path of ['.wgs/token', '.wgs/store/dataflowgraphs/a.yaml', '.wgs/registry/index.json', '.env', 'apps/server/.env',
      'node_modules/x', 'packages/runtime/node_modules/tsx', 'packages/operators/rust/target/release/a.wasm', '.git/config']) {
      expect(dockerIgnored(patterns, path), path).toBe(true);
    }
    // The sample frames and graphs the server and the demo use are in the image: nothing is read from outside the repository.
    for (const path of ['package.json', 'pnpm-lock.yaml', 'apps/server/src/main.ts', 'packages/operators/rust/Cargo.lock', 'wit/types.wit', 'packages/operators/frames/camera.raw', 'packages/operators/graphs/graph-complex.yaml']) {
      expect(dockerIgnored(patterns, path), path).toBe(false);
    }
  });

  it('installs the toolchain scripts/setup.sh installs, and nothing it does not know', () => {
    const setup = setupValue('APT_PACKAGES').replace(/^\(|\)$/g, '').split(/\s+/);
    const build = stages.find((s) => aptPackages(s).length > 0 && s !== finalStage)!;
    expect(build, 'a stage that installs the toolchain').toBeDefined();
    expect([...aptPackages(build)].sort()).toEqual(setup.filter((p) => !SETUP_ONLY.includes(p)).sort());
    for (const s of stages) for (const p of aptPackages(s)) expect(setup, `${p} (FROM ${s.image})`).toContain(p);
  });

  it('uses the pnpm of scripts/setup.sh and package.json on the whole workspace, and ships the registry it builds', () => {
    const version = setupValue('PNPM_VERSION');
    expect((JSON.parse(read('package.json')) as { packageManager: string }).packageManager).toBe(`pnpm@${version}`);
    // Every workspace package is in the build context: the frozen install fails on a missing one.
    const patterns = dockerignorePatterns();
    for (const folder of workspaceFolders()) expect(dockerIgnored(patterns, `${folder}/package.json`), folder).toBe(false);
    const installs: { stage: Stage; args: string }[] = [];
    for (const s of stages) {
      const install = s.instructions.findIndex((i) => i.keyword === 'RUN' && /pnpm install --frozen-lockfile/.test(i.args));
      if (install < 0) continue;
      installs.push({ stage: s, args: s.instructions[install]!.args });
      const argVersions = s.instructions.filter((i) => i.keyword === 'ARG' && i.args.startsWith('PNPM_VERSION=')).map((i) => i.args.split('=')[1]);
      expect(argVersions, `FROM ${s.image} AS ${s.name}`).toEqual([version]);
      expect(s.instructions.slice(0, install).some((i) => i.keyword === 'COPY' && i.args === '. .'), `COPY . . before pnpm install in ${s.name}`).toBe(true);
    }
    expect(installs.map((i) => i.stage.name)).toEqual(['build', 'prod-deps']);
    const build = stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /pnpm build\b/.test(i.args)));
    expect(build?.name).toBe('build');
    expect(finalStage.instructions.some((i) => i.keyword === 'COPY' && i.args === '--from=build /app/.wgs/registry /app/.wgs/registry')).toBe(true);
    // That is where `pnpm build` (WORKDIR /app) writes the registry and the server reads it.
    expect(build!.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args).toBe('/app');
    if (!process.env.WGS_REGISTRY_DIR) expect(embeddedRegistryDir()).toBe(join(root, '.wgs', 'registry'));
    expect(finalStage.instructions.some((i) => i.keyword === 'COPY' && i.args === '--from=prod-deps /app /app')).toBe(true);
    // The production install is the server and what it depends on (and the CLI's engine: engine-packaging.test.ts).
    expect(installs[1]!.args).toMatch(/--prod(?: --filter "[^"]+")* --filter "@wgs\/server\.\.\."$/);
    expect((JSON.parse(read('apps/server/package.json')) as { name: string }).name).toBe('@wgs/server');
  });

  it("runs the server's launcher as `pnpm start` does, from bundles built into the image, as a non-root user on 0.0.0.0:8420", () => {
    const cmd = finalStage.instructions.filter((i) => i.keyword === 'CMD');
    expect(cmd).toHaveLength(1);
    const argv = JSON.parse(cmd[0]!.args) as string[];
    expect(finalStage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args).toBe('/app');
    const rootManifest = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(argv.join(' ')).toBe(rootManifest.scripts.start);
    expect(argv).toEqual(['node', 'apps/server/bin/server.mjs']);
    expect(existsSync(join(root, argv[1]!))).toBe(true);
    // The launchers find esbuild and tsx through @wgs/runtime, whose production install keeps tsx (a non-dev dependency).
    const runtimeManifest = JSON.parse(read('packages/runtime/package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(runtimeManifest.dependencies)).toContain('tsx');
    expect(productionWorkspaceClosure('@wgs/server')).toContain('@wgs/runtime');
    expect(read('scripts/precompiled-launch.mjs')).toContain("createRequire(join(ROOT, 'packages', 'runtime', 'package.json'))");

    // Both launchers' bundles are built as root after the sources are in and before the user switch,
    // into a folder of the image (not the cache, which a volume or an emptyDir may hide).
    const env = stageEnv(finalStage);
    expect(env.WGS_BUNDLE_DIR).toMatch(/^\/app\//);
    const index = (p: (i: Instruction) => boolean) => finalStage.instructions.findIndex(p);
    const bake = index((i) => i.keyword === 'RUN' && i.args.includes('_BUNDLE=build'));
    expect(bake).toBeGreaterThan(index((i) => i.keyword === 'COPY' && i.args === '--from=prod-deps /app /app'));
    expect(bake).toBeGreaterThan(index((i) => i.keyword === 'ENV' && i.args.includes('WGS_BUNDLE_DIR=')));
    expect(bake).toBeLessThan(index((i) => i.keyword === 'USER'));
    expect(finalStage.instructions[bake]!.args).toBe('WGS_SERVER_BUNDLE=build node apps/server/bin/server.mjs && WGS_CLI_BUNDLE=build node apps/cli/bin/wgs.mjs');
    for (const [bin, variable] of [['apps/server/bin/server.mjs', 'WGS_SERVER_BUNDLE'], ['apps/cli/bin/wgs.mjs', 'WGS_CLI_BUNDLE']] as const) {
      expect(read(bin)).toContain(`offVariable: '${variable}'`);
    }

    const user = finalStage.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
    expect(user).toMatch(/^[1-9][0-9]*(:[0-9]+)?$/);
    expect(finalStage.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toEqual(['8420']);
    expect(env.WGS_HOST).toBe('0.0.0.0');
    // The folders the server writes to exist and belong to that user.
    for (const dir of [env.WGS_STORE_DIR!, env.WGS_CACHE_DIR!]) {
      expect(finalStage.instructions.some((i) => i.keyword === 'RUN' && i.args.includes(`mkdir -p`) && i.args.includes(dir))).toBe(true);
    }
    expect(finalStage.instructions.some((i) => i.keyword === 'RUN' && /chown -R wgs:wgs \/var\/lib\/wgs \/var\/cache\/wgs/.test(i.args))).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// docker-compose.yml

interface ComposePort {
  host_ip?: string;
  target: number;
  published?: string;
  protocol?: string;
}
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: ComposePort[];
  volumes?: { type: string; source: string; target: string; read_only?: boolean }[];
}
interface ComposeProject {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composePlugin = join(homedir(), '.cache', 'wgs', 'bin', 'docker-compose');

/** `docker compose config` (the plugin .ci/setup builds), normalized to JSON. */
async function composeConfig(extraEnv: Record<string, string> = {}): Promise<ComposeProject> {
  const env: NodeJS.ProcessEnv = {};
  // Only what the command needs, so a developer's WGS_* or COMPOSE_* variables do not leak in.
  for (const key of ['PATH', 'HOME', 'DOCKER_CONFIG']) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, extraEnv);
  // --env-file /dev/null: a developer's .env must not change the result either.
  const args = ['-f', 'docker-compose.yml', '--env-file', '/dev/null', 'config', '--format', 'json'];
  const docker = await run('docker', ['compose', 'version'], { env }).catch(() => undefined);
  const r = docker?.code === 0 ? await run('docker', ['compose', ...args], { env }) : await run(composePlugin, args, { env }).catch((e: Error) => {
    throw new Error(`neither \`docker compose\` nor ${composePlugin} works (${e.message}): run \`bash .ci/setup\`, which builds the compose v2 plugin`);
  });
  if (r.code !== 0) throw new Error(`docker compose config exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ComposeProject;
}

describe('docker-compose.yml, through docker compose config', () => {
  it('has the designer, the broker and the registry, every port on 127.0.0.1 only', async () => {
    const project = await composeConfig();
    expect(Object.keys(project.services).sort()).toEqual(['designer', 'mosquitto', 'registry']);
    const { designer, mosquitto, registry } = project.services as Record<string, ComposeService>;
    expect(designer!.build).toMatchObject({ context: root.replace(/\/$/, ''), dockerfile: 'Dockerfile' });
    expect(designer!.ports).toEqual([expect.objectContaining({ host_ip: '127.0.0.1', target: 8420, published: '8420', protocol: 'tcp' })]);
    expect(mosquitto!.image).toBe('eclipse-mosquitto:2');
    expect(mosquitto!.ports).toEqual([expect.objectContaining({ host_ip: '127.0.0.1', target: 1883 })]);
    expect(registry!.image).toBe('registry:2');
    expect(registry!.ports).toEqual([expect.objectContaining({ host_ip: '127.0.0.1', target: 5000 })]);
    for (const [name, s] of Object.entries(project.services)) {
      for (const p of s.ports ?? []) expect(p.host_ip, `${name} publishes ${p.target}`).toBe('127.0.0.1');
    }
    expect(mosquitto!.volumes).toEqual([
      expect.objectContaining({ type: 'bind', source: join(root, 'deploy/compose/mosquitto.conf'), target: '/mosquitto/config/mosquitto.conf', read_only: true }),
      // Sessions and queued messages survive a broker restart.
      expect.objectContaining({ type: 'volume', source: 'mosquitto-data', target: '/mosquitto/data' }),
    ]);
  });

  it("gives the designer the broker, a token (a placeholder unless WGS_TOKEN is set) and its store on a named volume", async () => {
    const project = await composeConfig();
    const designer = project.services.designer!;
    const env = designer.environment!;
    expect(env.WGS_BROKER_URL).toBe('mqtt://mosquitto:1883');
    expect(env.WGS_TOKEN).toBe('change-me-wgs-token');
    const volume = designer.volumes?.find((v) => env.WGS_STORE_DIR!.startsWith(`${v.target}/`) || env.WGS_STORE_DIR === v.target);
    expect(volume?.type).toBe('volume');
    expect(Object.keys(project.volumes ?? {})).toContain(volume!.source);
    // The image creates that folder for its user, so a new volume starts writable.
    expect(stageEnv(finalStage).WGS_STORE_DIR).toBe(env.WGS_STORE_DIR);
    // The placeholder is documented as one to change.
    expect(read('README.md')).toContain('change-me-wgs-token');

    const mine = await composeConfig({ WGS_TOKEN: 'a-real-token-0123456789' });
    expect(mine.services.designer!.environment!.WGS_TOKEN).toBe('a-real-token-0123456789');
  });

  it("mosquitto's config accepts anonymous clients on its listener (run by Debian's mosquitto)", async () => {
    const conf = read('deploy/compose/mosquitto.conf');
    expect(conf).toMatch(/^listener 1883$/m);
    expect(conf).toMatch(/^allow_anonymous true$/m);
    // The same file, on a free loopback port instead of every interface's 1883.
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'wgs-compose-mosquitto-'));
    expect(conf).toMatch(/^persistence true$/m);
    expect(conf).toMatch(/^persistence_location \/mosquitto\/data\/$/m);
    // The container's data folder is a temporary one here (and root keeps root, as in the container).
    const local = conf.replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`).replace(/^persistence_location .*$/m, `persistence_location ${dir}/`);
    writeFileSync(join(dir, 'mosquitto.conf'), process.getuid?.() === 0 ? `${local}user root\n` : local);
    const broker: ChildProcess = spawn(process.env.WGS_MOSQUITTO ?? '/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    try {
      let client: Awaited<ReturnType<typeof connectAsync>> | undefined;
      for (let i = 0; !client; i++) {
        client = await connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 2000 }).catch((e: Error) => {
          if (i > 50 || broker.exitCode !== null) throw e;
          return new Promise<undefined>((r) => setTimeout(() => r(undefined), 100));
        });
      }
      const received = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())));
      await client.subscribeAsync('packaging/check');
      await client.publishAsync('packaging/check', 'anonymous ok');
      expect(await received).toBe('anonymous ok');
      await client.endAsync();
    } finally {
      broker.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------
// deploy/designer on a real kube-apiserver

const NAMESPACE = 'azure-iot-operations';
const OTHER_NAMESPACE = 'wgs-elsewhere';
const SERVICE_ACCOUNT = `system:serviceaccount:${NAMESPACE}:wgs-designer`;
const GROUP = 'connectivity.iotoperations.azure.com';
const MANAGED = ['dataflowgraphs', 'dataflowendpoints', 'registryendpoints'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

interface Container {
  name: string;
  image: string;
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: string | number } };
  livenessProbe: { httpGet: { path: string; port: string | number } };
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean };
  volumeMounts: { name: string; mountPath: string }[];
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes: { name: string; emptyDir?: object }[];
}

describe('deploy/designer on a real kube-apiserver', () => {
  let started: KubeCluster | undefined;
  let startError: unknown;
  const cluster = (): KubeCluster => {
    if (!started) throw startError;
    return started;
  };

  /** `kubectl auth can-i … --as` the designer's service account: true for "yes", false for "no". */
  const canI = async (...args: string[]): Promise<boolean> => {
    const kube = cluster();
    const r = await run(kube.binaries.kubectl, ['--kubeconfig', kube.kubeconfigPath, 'auth', 'can-i', ...args, `--as=${SERVICE_ACCOUNT}`]);
    const answer = r.stdout.trim();
    if (answer === 'yes' && r.code === 0) return true;
    if (answer === 'no' && r.code === 1) return false;
    throw new Error(`kubectl auth can-i ${args.join(' ')}: exit ${r.code}, ${answer} ${r.stderr}`);
  };

  beforeAll(async () => {
    try {
      started = await startKube();
      await started.kubectl(['create', 'namespace', NAMESPACE]);
      await started.kubectl(['create', 'namespace', OTHER_NAMESPACE]);
      await started.kubectl(['apply', '-f', join(root, 'deploy/crds')]);
      await started.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...MANAGED.map((p) => `crd/${p}.${GROUP}`)]);
    } catch (e) {
      startError = e;
    }
  }, 180_000);

  afterAll(async () => {
    await started?.stop();
  });

  it('passes a server-side dry run of kubectl apply -k, all namespaced, nothing created', async () => {
    const kube = cluster();
    const r = await kube.kubectl(['apply', '--dry-run=server', '-k', join(root, 'deploy/designer'), '-o', 'json']);
    const items = (JSON.parse(r.stdout) as { items: KubeObject[] }).items;
    expect(items.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      ['Deployment/wgs-designer', 'Role/wgs-designer', 'RoleBinding/wgs-designer', 'Service/wgs-designer', 'ServiceAccount/wgs-designer']);
    for (const o of items) expect(o.metadata.namespace, `${o.kind}`).toBe(NAMESPACE);
    const none = await run(kube.binaries.kubectl, ['--kubeconfig', kube.kubeconfigPath, '-n', NAMESPACE, 'get', 'deployment/wgs-designer']);
    expect(none.stderr).toMatch(/NotFound/);
  });

  it('runs the image as the Dockerfile builds it: token from the Secret, in-cluster config, probes, read-only root with writable folders', async () => {
    const kube = cluster();
    const r = await kube.kubectl(['apply', '--dry-run=server', '-k', join(root, 'deploy/designer'), '-o', 'json']);
    const items = (JSON.parse(r.stdout) as { items: KubeObject[] }).items;
    const deployment = items.find((o) => o.kind === 'Deployment') as KubeObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('wgs-designer');
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0]!;
    expect(c.image).toBe('wgs-designer:0.1.0');
    const env = Object.fromEntries(c.env.map((e) => [e.name, e]));
    expect(env.WGS_KUBECONFIG?.value).toBe('in-cluster');
    expect(env.WGS_TOKEN?.valueFrom?.secretKeyRef).toEqual({ name: 'wgs-designer-token', key: 'token' });
    expect(env.WGS_NAMESPACE?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
    const port = c.ports.find((p) => p.containerPort === 8420);
    expect(port).toBeDefined();
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/healthz');
      expect([port!.name, 8420]).toContain(probe.httpGet.port);
    }
    // Non-root, as the image's numeric USER.
    const user = Number(finalStage.instructions.filter((i) => i.keyword === 'USER').at(-1)!.args.split(':')[0]);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBe(user);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    // Every folder the server writes to is an emptyDir: /tmp (tsx, mosquitto), the cache, the fallback store.
    const emptyDirs = new Set(pod.volumes.filter((v) => v.emptyDir).map((v) => v.name));
    const writable = c.volumeMounts.filter((m) => emptyDirs.has(m.name)).map((m) => m.mountPath);
    const cacheDir = env.WGS_CACHE_DIR?.value;
    expect(cacheDir).toBe(stageEnv(finalStage).WGS_CACHE_DIR);
    for (const dir of ['/tmp', cacheDir!, env.WGS_STORE_DIR!.value!]) {
      expect(writable.some((m) => dir === m || dir.startsWith(`${m}/`)), `${dir} is writable`).toBe(true);
    }

    const service = items.find((o) => o.kind === 'Service') as KubeObject & { spec: { type: string; selector: Record<string, string>; ports: { port: number; targetPort: string | number }[] } };
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 8420, targetPort: port!.name })]);
    for (const [k, v] of Object.entries(service.spec.selector)) expect(deployment.spec.template.metadata.labels[k]).toBe(v);
  });

  it('grants the service account exactly the managed custom resources, reading secrets and the schema ConfigMaps, in its namespace only', async () => {
    const kube = cluster();
    const rbac = ['serviceaccount.yaml', 'role.yaml', 'rolebinding.yaml'].flatMap((f) => ['-f', join(root, 'deploy/designer', f)]);
    await kube.kubectl(['apply', ...rbac]);
    for (const resource of MANAGED) {
      for (const verb of VERBS) expect(await canI(verb, `${resource}.${GROUP}`, '-n', NAMESPACE), `${verb} ${resource}`).toBe(true);
    }
    expect(await canI('get', 'secrets', '-n', NAMESPACE)).toBe(true);
    // Message schemas (/api/schemas) are labelled ConfigMaps.
    for (const verb of ['get', 'list', 'create', 'update', 'delete']) expect(await canI(verb, 'configmaps', '-n', NAMESPACE), `${verb} configmaps`).toBe(true);
    expect(await canI('get', 'configmaps', '-n', OTHER_NAMESPACE)).toBe(false);

    expect(await canI('list', 'pods', '-n', NAMESPACE)).toBe(false);
    expect(await canI('create', `dataflowgraphs.${GROUP}`, '-n', OTHER_NAMESPACE)).toBe(false);
    expect(await canI('list', `dataflowgraphs.${GROUP}`, '--all-namespaces')).toBe(false);
    expect(await canI('list', 'secrets', '-n', NAMESPACE)).toBe(false);
    expect(await canI('get', 'secrets', '-n', OTHER_NAMESPACE)).toBe(false);
    expect(await canI('create', 'secrets', '-n', NAMESPACE)).toBe(false);
    expect(await canI('create', `dataflows.${GROUP}`, '-n', NAMESPACE)).toBe(false);
    expect(await canI('create', 'rolebindings.rbac.authorization.k8s.io', '-n', NAMESPACE)).toBe(false);
    expect(await canI('create', 'deployments.apps', '-n', NAMESPACE)).toBe(false);
    expect(await canI('list', 'namespaces')).toBe(false);

    // No cluster-wide object anywhere in the folder.
    const text = readdirSync(join(root, 'deploy/designer')).map((f) => read(`deploy/designer/${f}`)).join('\n');
    expect(text).not.toMatch(/kind:\s*Cluster(Role|RoleBinding)/);
    expect(text).not.toMatch(/["']\*["']/);
  });

  it("is enough for the server's store opened with WGS_KUBECONFIG=in-cluster and the service account's token", async () => {
    const kube = cluster();
    await kube.kubectl(['apply', ...['serviceaccount.yaml', 'role.yaml', 'rolebinding.yaml'].flatMap((f) => ['-f', join(root, 'deploy/designer', f)])]);
    await kube.kubectl(['-n', NAMESPACE, 'create', 'secret', 'docker-registry', 'pull-secret',
      '--docker-server=registry.example.com', '--docker-username=reader', '--docker-password=s3cret']);
    const token = (await kube.kubectl(['-n', NAMESPACE, 'create', 'token', 'wgs-designer'])).stdout.trim();
    // What the pod sees: the service account's token; loadFromDefault reads it here through KUBECONFIG.
    const dir = mkdtempSync(join(tmpdir(), 'wgs-in-cluster-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'pod',
      clusters: [{ name: 'c', cluster: { server: kube.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'wgs-designer', user: { token } }],
      contexts: [{ name: 'pod', context: { cluster: 'c', user: 'wgs-designer', namespace: NAMESPACE } }],
    }), { mode: 0o600 });
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    try {
      const config = defaultConfig({ token: 't', kubeconfig: 'in-cluster', namespace: NAMESPACE, storeDir: join(dir, 'store'), logLevel: 'silent' });
      const { store, cluster: kubeStore, warning } = await openStores(config, 10_000);
      expect(warning).toBeUndefined();
      expect(store).toBeInstanceOf(KubeStore);
      expect(kubeStore).toBe(store);
      await store.create({ apiVersion: `${GROUP}/v1`, kind: 'RegistryEndpoint', metadata: { name: 'from-designer' }, spec: { host: 'registry.example.com', authentication: { method: 'Anonymous', anonymousSettings: {} } } });
      expect((await store.list('RegistryEndpoint')).map((r) => r.metadata.name)).toEqual(['from-designer']);
      const back = await kube.kubectl(['-n', NAMESPACE, 'get', `registryendpoints.${GROUP}/from-designer`, '-o', 'jsonpath={.spec.host}']);
      expect(back.stdout).toBe('registry.example.com');
      expect(JSON.parse((await store.readPullSecret('pull-secret')) ?? '{}')).toMatchObject({ auths: { 'registry.example.com': { username: 'reader' } } });
      await store.delete('RegistryEndpoint', 'from-designer');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
