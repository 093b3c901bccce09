/**
 * Runs a TypeScript entry point as precompiled JavaScript: the entry and the
 * workspace sources it imports, bundled by esbuild (tsx's own dependency)
 * into ES modules, one chunk per dynamic import (they stay lazy), kept in
 * `$WGS_CACHE_DIR/<name>/`. Third-party packages are not bundled: they are
 * imported by absolute URL from where they are installed. Used by `wgs`
 * (apps/cli/bin/wgs.mjs) and the server (apps/server/bin/server.mjs).
 *
 * Why: tsx's loader runs in a thread of its own with its own heap (12-39 MiB
 * RSS in every process). Node alone starts at ~39 MiB, with tsx ~78 MiB.
 *
 * The bundle is rebuilt when any of its inputs (or the lockfile) changed
 * size or modification time, so it is never stale. Any failure runs the
 * TypeScript through tsx as before. `import.meta.url` in a bundled source is
 * that source's own URL, so relative paths (the embedded registry, the
 * worker's sources, the web app's build) still work.
 *
 * Bundles go to `$WGS_BUNDLE_DIR` when set (the Docker image builds them
 * into its own read-only folder), else `$WGS_CACHE_DIR`, else ~/.cache/wgs.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const LOCKFILE = join(ROOT, 'pnpm-lock.yaml');
/** Bumped when what this file generates changes. */
const FORMAT = 1;
/**
 * tsx (and its esbuild) as @wgs/runtime installs it: the server and the CLI
 * both depend on @wgs/runtime, while the root's devDependencies are missing
 * from a production install (the Docker image).
 */
const requireTsx = createRequire(join(ROOT, 'packages', 'runtime', 'package.json'));

/** tsx/esm/api as an ES module: its CommonJS build's `register()` cannot find its own loader. */
async function importTsxApi() {
  const manifest = requireTsx.resolve('tsx/package.json');
  const { exports } = JSON.parse(await readFile(manifest, 'utf8'));
  return import(pathToFileURL(join(dirname(manifest), exports['./esm/api'].import.default)).href);
}

async function tsxFallback(main) {
  (await importTsxApi()).register();
  await import(pathToFileURL(main).href);
}

async function fingerprint(files) {
  const parts = await Promise.all(files.map(async (f) => {
    const s = await stat(f);
    return `${f}\0${s.size}\0${s.mtimeMs}`;
  }));
  return createHash('sha256').update(`${FORMAT}\n${process.version}\n${parts.join('\n')}`).digest('hex').slice(0, 20);
}

/** The cached bundle's entry when its recorded inputs are unchanged. */
async function cached(dir, main) {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    if (manifest.format !== FORMAT || manifest.main !== main) return undefined;
    if ((await fingerprint(manifest.inputs)) !== manifest.fingerprint) return undefined;
    const entry = join(dir, manifest.bundle, manifest.entry);
    await stat(entry);
    return entry;
  } catch {
    return undefined;
  }
}

/** Strings, template literals and comments: left as they are (a banner in a string may name `import.meta.url`). */
const LITERAL_OR_META = /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|\bimport\.meta\.(url\b|dirname\b|filename\b|resolve\()/g;

/** Source text with `import.meta.url` (and `.dirname`, `.filename`, `.resolve(`) bound to the source file, not to the bundle. */
function pinImportMeta(text, file) {
  const url = JSON.stringify(pathToFileURL(file).href);
  return text.replace(LITERAL_OR_META, (all, literal, what) => {
    if (literal) return all;
    if (what === 'url') return url;
    if (what === 'dirname') return JSON.stringify(dirname(file));
    if (what === 'filename') return JSON.stringify(file);
    return `__wgsResolveFrom(${url})(`;
  });
}

async function build(dir, main) {
  // esbuild comes with tsx (the fallback's loader), so it is there wherever tsx is.
  const esbuild = createRequire(requireTsx.resolve('tsx/esm/api'))('esbuild');
  const outdir = join(dir, 'out');
  const thirdParty = {
    name: 'third-party-by-absolute-url',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (a) => {
        if (a.pluginData?.wgsInner) return undefined;
        const r = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: { wgsInner: true } });
        if (r.errors.length) return { errors: r.errors };
        if (r.external) return { path: a.path, external: true };
        // Workspace packages resolve through pnpm's symlinks to their sources: bundled.
        if (!r.path.includes(`${'/'}node_modules${'/'}`)) return { path: r.path };
        return { path: pathToFileURL(r.path).href, external: true };
      });
      b.onLoad({ filter: /\.(ts|mts|mjs|js)$/ }, async (a) => {
        if (a.path.includes('/node_modules/')) return undefined;
        const text = await readFile(a.path, 'utf8');
        return { contents: pinImportMeta(text, a.path), loader: a.path.endsWith('ts') ? 'ts' : 'js' };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: { main: main },
    bundle: true,
    splitting: true,
    write: false,
    outdir,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    metafile: true,
    plugins: [thirdParty],
    banner: {
      js: [
        "import { createRequire as __wgsCreateRequire } from 'node:module';",
        "import { pathToFileURL as __wgsPathToFileURL } from 'node:url';",
        'const require = __wgsCreateRequire(import.meta.url);',
        'const __wgsResolveFrom = (from) => (s) => __wgsPathToFileURL(__wgsCreateRequire(from).resolve(s)).href;',
      ].join(' '),
    },
  });
  await esbuild.stop?.();
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith('file:') && !p.includes('node_modules'))
    .map((p) => join(process.cwd(), p));
  inputs.push(LOCKFILE);
  const bundleName = `b-${createHash('sha256').update(result.outputFiles.map((f) => `${f.path}\0${f.text}`).join('\0')).digest('hex').slice(0, 16)}`;
  const target = join(dir, bundleName);
  const staging = `${target}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(staging, { recursive: true });
  for (const f of result.outputFiles) {
    const rel = f.path.slice(outdir.length + 1);
    await mkdir(dirname(join(staging, rel)), { recursive: true });
    await writeFile(join(staging, rel), f.text);
  }
  await rename(staging, target).catch(async (e) => {
    // Another process wrote the same bundle meanwhile: use theirs.
    await rm(staging, { recursive: true, force: true });
    await stat(join(target, 'main.js')).catch(() => { throw e; });
  });
  const manifest = { format: FORMAT, main: main, inputs, fingerprint: await fingerprint(inputs), bundle: bundleName, entry: 'main.js' };
  const tmp = join(dir, `manifest.json.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(manifest));
  await rename(tmp, join(dir, 'manifest.json'));
  await pruneOlderBundles(dir, bundleName);
  return join(target, 'main.js');
}

/** Earlier bundles of this checkout, unused for a while (a process running one has long imported its command's chunk). */
async function pruneOlderBundles(dir, keep) {
  const before = Date.now() - 10 * 60 * 1000;
  for (const name of await readdir(dir)) {
    if (name === keep || !name.startsWith('b-')) continue;
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (s && s.mtimeMs < before) await rm(join(dir, name), { recursive: true, force: true }).catch(() => {});
  }
}

async function bundledEntry(main, name) {
  const base = process.env.WGS_BUNDLE_DIR ?? process.env.WGS_CACHE_DIR ?? join(homedir(), '.cache', 'wgs');
  const dir = join(base, name, createHash('sha256').update(main).digest('hex').slice(0, 12));
  await mkdir(dir, { recursive: true });
  return (await cached(dir, main)) ?? (await build(dir, main));
}

/**
 * Runs `main` (a TypeScript entry) from its cached bundle under
 * `<bundle folder>/<name>/`; through tsx when `process.env[offVariable]` is
 * `off` or the bundle cannot be built. With `build`, only builds the bundle
 * (or finds it fresh) and prints its entry; failing to is an error, not tsx.
 */
export async function launchPrecompiled({ main, name, offVariable }) {
  if (process.env[offVariable] === 'off') return tsxFallback(main);
  if (process.env[offVariable] === 'build') {
    process.stdout.write(`${await bundledEntry(main, name)}\n`);
    return;
  }
  let entry;
  try {
    entry = await bundledEntry(main, name);
  } catch (e) {
    process.emitWarning(`${name} runs through tsx: its bundle could not be built (${e.message})`);
  }
  if (entry) await import(pathToFileURL(entry).href);
  else await tsxFallback(main);
}
