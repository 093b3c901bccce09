/**
 * Starts a private, real OCI registry (Debian's `docker-registry`, i.e.
 * distribution) on a free loopback port for a test file, with filesystem
 * storage in a temporary folder, anonymous or with htpasswd basic auth.
 * `.ci/setup` installs the `docker-registry` and `apache2-utils` packages.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { freePort, portAccepts as accepts } from '@wgs/connectors/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  /** The registry's filesystem storage root. */
  storage: string;
  /** Path of a blob's data file in the storage (to corrupt it in tests). */
  blobFile(digest: string): string;
  stop(): Promise<void>;
}

export { freePort };

export interface StartOptions {
  /** Require these credentials (htpasswd, bcrypt). */
  htpasswd?: { username: string; password: string };
  binary?: string;
}

export async function startDockerRegistry(o: StartOptions = {}): Promise<TestRegistry> {
  const binary = o.binary ?? process.env.WGS_DOCKER_REGISTRY ?? '/usr/bin/docker-registry';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wgs-registry-'));
  const storage = join(dir, 'data');
  let auth = '';
  if (o.htpasswd) {
    const line = execFileSync('htpasswd', ['-Bbn', o.htpasswd.username, o.htpasswd.password], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), line.trim() + '\n');
    auth = `auth:\n  htpasswd:\n    realm: wgs-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    auth,
  ].join('\n'));
  const child: ChildProcess = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (e) => (stderr += String(e)));
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on port ${port}: ${stderr.trim() || 'no output'} (is the docker-registry package installed?)`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    storage,
    blobFile: (digest: string) => {
      const hex = digest.slice('sha256:'.length);
      return join(storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP server on loopback that accepts connections and never answers: a registry that hangs. */
export async function startSilentServer(): Promise<{ host: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
