/**
 * Builds the sample operators (Rust, packages/operators/rust) into WebAssembly
 * components and publishes them, with the example graphs, into the embedded
 * registry under the repository names the reference's public samples use.
 *
 * Toolchain: Debian's rustc-web (1.96) with its std sources (rust-web-src),
 * std rebuilt for wasm32-unknown-unknown (-Zbuild-std), linked by wasm-ld-19,
 * then wrapped as a component by jco's componentNew. The components import
 * only the wasm-graph host interfaces, no WASI.
 */
import { componentNew } from '@bytecodealliance/jco';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedRegistry } from '@wgs/registry';
import { BUILTIN_LATER_VERSIONS, BUILTIN_REPOSITORY_PREFIX, SAMPLE_MODULES, SAMPLE_REPOSITORY_PREFIX, SAMPLE_TAG } from './samples.ts';
import { buildWat } from './build-wat.ts';

const here = fileURLToPath(new URL('..', import.meta.url));
const rustDir = join(here, 'rust');
const targetDir = process.env.WGS_CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'wgs', 'cargo-target');
const cargo = process.env.WGS_CARGO ?? '/usr/bin/cargo';
const rustc = process.env.WGS_RUSTC ?? '/usr/bin/rustc';

function buildRust(): void {
  if (!existsSync(cargo)) {
    throw new Error(`${cargo} not found: install Debian's rustc-web, cargo-web, rust-web-src and lld-19 (bash scripts/setup.sh)`);
  }
  const started = Date.now();
  const r = spawnSync(cargo, ['build', '--release', '--target', 'wasm32-unknown-unknown'], {
    cwd: rustDir,
    stdio: 'inherit',
    env: { ...process.env, RUSTC: rustc, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_DIR: targetDir, PATH: `/usr/bin:${process.env.PATH}` },
  });
  if (r.status !== 0) throw new Error(`cargo build failed (exit ${r.status})`);
  console.log(`operators: cargo build ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function publish(): Promise<void> {
  const registry = embeddedRegistry();
  for (const m of SAMPLE_MODULES) {
    const core = await readFile(join(targetDir, 'wasm32-unknown-unknown', 'release', `${m.crate}.wasm`));
    const component = await componentNew(core, []);
    for (const tag of [SAMPLE_TAG, ...(m.extraTags ?? [])]) {
      const digest = await registry.push(m.repository, tag, { kind: 'module', content: component, fileName: `${m.crate}.wasm` });
      console.log(`operators: ${m.repository}:${tag} ${component.length} bytes ${digest.slice(0, 19)}`);
    }
  }
  const graphsDir = join(here, 'graphs');
  for (const file of (await readdir(graphsDir)).filter((f) => f.endsWith('.yaml'))) {
    const content = await readFile(join(graphsDir, file));
    const repository = `${SAMPLE_REPOSITORY_PREFIX}/${file.replace(/\.yaml$/, '')}`;
    const digest = await registry.push(repository, SAMPLE_TAG, { kind: 'graph', content, fileName: file });
    console.log(`operators: ${repository}:${SAMPLE_TAG} (graph) ${digest.slice(0, 19)}`);
  }
  // The built-in transforms' graphs, under the reference's names (azureiotoperations/graph-dataflow-<kind>);
  // builtins/<version>/ holds later versions (window 1.1.0).
  for (const tag of [SAMPLE_TAG, ...BUILTIN_LATER_VERSIONS]) {
    const builtinsDir = tag === SAMPLE_TAG ? join(here, 'builtins') : join(here, 'builtins', tag);
    for (const file of (await readdir(builtinsDir)).filter((f) => f.endsWith('.yaml'))) {
      const content = await readFile(join(builtinsDir, file));
      const repository = `${BUILTIN_REPOSITORY_PREFIX}/${file.replace(/\.yaml$/, '')}`;
      const digest = await registry.push(repository, tag, { kind: 'graph', content, fileName: file });
      console.log(`operators: ${repository}:${tag} (graph) ${digest.slice(0, 19)}`);
    }
  }
  console.log(`operators: embedded registry at ${registry.root}`);
}

buildRust();
await publish();
await buildWat();
