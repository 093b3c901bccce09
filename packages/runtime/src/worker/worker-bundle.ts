/**
 * The graph worker as one precompiled ES module instead of TypeScript loaded
 * through tsx in every worker: tsx's loader, its transforms and Node's
 * source-map cache cost ~34 MiB per worker (a worker with the bundle: +12 MiB
 * RSS, through tsx: +46 MiB), and every `wgs run`, preview session and
 * engine graph runs one.
 *
 * Built once per process with esbuild (tsx's own dependency) from the
 * current sources, so it is never stale, and kept by content hash in
 * `$WGS_CACHE_DIR/worker/`. The jco packages stay outside the bundle (they
 * load files relative to themselves) and are imported by absolute URL. Any
 * failure falls back to the TypeScript entry through tsx;
 * `WGS_WORKER_BUNDLE=off` forces that.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheRoot } from '../components/component-cache.ts';

const TSX_ENTRY = new URL('./graph-worker-entry.mjs', import.meta.url);

let bundled: Promise<URL | undefined> | undefined;

/** The worker's entry: the bundle when it could be built, else the tsx entry. */
export async function workerEntry(): Promise<URL> {
  if (process.env.WGS_WORKER_BUNDLE === 'off') return TSX_ENTRY;
  bundled ??= bundle().catch((e: Error) => {
    process.emitWarning(`graph worker runs through tsx: its bundle could not be built (${e.message})`);
    return undefined;
  });
  return (await bundled) ?? TSX_ENTRY;
}

interface EsbuildPlugin {
  name: string;
  setup(build: { onResolve(o: { filter: RegExp }, cb: (a: { path: string }) => { path: string; external: boolean }): void }): void;
}

interface Esbuild {
  build(o: Record<string, unknown> & { plugins: EsbuildPlugin[] }): Promise<{ outputFiles: { text: string }[] }>;
  stop?(): Promise<void> | void;
}

async function bundle(): Promise<URL> {
  const require = createRequire(import.meta.url);
  // esbuild comes with tsx (a dependency of this package), so it is there wherever tsx is.
  const esbuild = createRequire(require.resolve('tsx/esm/api'))('esbuild') as Esbuild;
  const external: EsbuildPlugin = {
    name: 'jco-by-absolute-url',
    setup(build) {
      // Resolved from this package's directory (not import.meta.resolve: this module may itself run from a bundle elsewhere, see apps/cli/bin/wgs.mjs).
      build.onResolve({ filter: /^@bytecodealliance\// }, (a) => ({ path: pathToFileURL(require.resolve(a.path)).href, external: true }));
    },
  };
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./graph-worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [external],
    // CommonJS dependencies inside an ES module bundle need a require.
    banner: { js: "import { createRequire as __wgsCreateRequire } from 'node:module'; const require = __wgsCreateRequire(import.meta.url);" },
  });
  // esbuild's service is a child process (~30 MiB RSS) that would otherwise live as long as this one; it starts again if needed.
  await esbuild.stop?.();
  const code = result.outputFiles[0]!.text;
  const dir = join(cacheRoot(), 'worker');
  const file = join(dir, `graph-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  try {
    await readFile(file);
  } catch {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, code);
    await rename(tmp, file);
  }
  return pathToFileURL(file);
}
