import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatHlc, hlcFromMillis, loadGraphDefinition, type GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { fromUtf8, type Item } from '../data-model.ts';
import { seedPairs } from '../host/state-store.ts';
import { GraphRunner } from '../worker/graph-runner.ts';
import { compareRecords, type OutputRecord } from './compare.ts';
import { isDataflowManifestText } from '../dataflow-file.ts';
import { loadDataflowForTest } from './dataflow-test.ts';

/** A `*.test.yaml` file: the reference's local test format, plus optional extensions. */
export interface GraphTestSpec {
  name: string;
  graph: string;
  input: string;
  expected: string;
  timeout?: number;
  select?: string[];
  ignores?: string[];
  /**
   * Extension: graph configuration values (DataflowGraph `configuration`).
   * When `graph` is a DataflowGraph manifest: per Graph node, `{ <node>: { <key>: value } }`
   * (non-string values written as JSON), replacing the manifest's values of those keys.
   */
  configuration?: Record<string, unknown>;
  /** Extension: RegistryEndpoint manifest files for a DataflowGraph's Graph nodes (besides `default`). */
  registryEndpoints?: string[];
  /** Extension: topic of non-image inputs (default `sensors`, as the reference). */
  topic?: string;
  /** Extension: state-store seed file (relative to the test file). */
  state?: string;
  /** Extension: JSON schema files for the local schema registry and operators' init. */
  schemas?: string[];
}

export interface GraphTestResult {
  file: string;
  name: string;
  passed: boolean;
  durationMs: number;
  failures: string[];
  outputs: OutputRecord[];
}

const IMAGE_EXTENSIONS = new Set(['.raw', '.jpg', '.jpeg', '.png']);

/** Finds `*.test.yaml` files below the given folders/files, sorted. */
export async function findTestFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const s = await stat(p);
    if (s.isFile()) {
      if (p.endsWith('.test.yaml') || p.endsWith('.test.yml')) out.push(resolve(p));
      return;
    }
    for (const e of await readdir(p)) if (e !== 'node_modules' && e !== 'output') await walk(join(p, e));
  };
  for (const p of paths) await walk(p);
  return out.sort();
}

/** Input files become messages; images go to the graph's snapshot topic, as in the reference's local runner. */
async function inputMessages(spec: GraphTestSpec, dir: string, graph: GraphDefinition, startMs: number, defaultTopic = 'sensors'): Promise<ConnectorMessage[]> {
  const folder = resolve(dir, spec.input);
  const files = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  const snapshotTopic = graph.moduleConfigurations?.flatMap((m) => Object.entries(m.parameters)).find(([k]) => k === 'snapshot_topic')?.[1].default;
  return Promise.all(files.map(async (f, i) => {
    const image = IMAGE_EXTENSIONS.has(extname(f).toLowerCase());
    return {
      topic: image ? (stringValue(spec.configuration?.snapshot_topic) ?? snapshotTopic ?? 'images') : (spec.topic ?? defaultTopic),
      payload: new Uint8Array(await readFile(join(folder, f))),
      // One run is one window: all inputs share the start time, counters order them.
      userProperties: [['__ts', formatHlc(hlcFromMillis(startMs, BigInt(i), 'wgs-test'))]],
      contentType: image ? undefined : 'application/json',
    } satisfies ConnectorMessage;
  }));
}

const stringValue = (v: unknown) => (typeof v === 'string' ? v : undefined);

function outputRecord(item: Item, sink: string): OutputRecord {
  const userProperties = Object.fromEntries(item.kind === 'message' ? item.userProperties : []);
  const payload = item.kind === 'message' ? item.payload : item.kind === 'snapshot' ? item.frame : item.bytes;
  return {
    sink,
    topic: item.kind === 'message' ? fromUtf8(item.topic) : undefined,
    payload: fromUtf8(payload),
    properties: { 'user-properties': userProperties },
  };
}

export async function runGraphTest(file: string, options: { registryDir?: string } = {}): Promise<GraphTestResult> {
  const started = Date.now();
  const dir = dirname(file);
  const failures: string[] = [];
  let name = basename(file);
  const outputs: OutputRecord[] = [];
  let runner: GraphRunner | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const spec = parseYaml(await readFile(file, 'utf8')) as GraphTestSpec;
    for (const key of ['name', 'graph', 'input', 'expected'] as const) {
      if (typeof spec?.[key] !== 'string') throw new Error(`"${key}" is required`);
    }
    name = spec.name;
    const graphPath = resolve(dir, spec.graph);
    const graphText = await readFile(graphPath, 'utf8');
    const schemas = await Promise.all((spec.schemas ?? []).map(async (f) => ({
      name: basename(f, extname(f)), namespace: 'local', version: '1', format: 'json' as const, content: await readFile(resolve(dir, f), 'utf8'),
    })));
    // A DataflowGraph manifest runs flattened (one composite graph; sinks named after Destination nodes).
    const dataflow = isDataflowManifestText(graphText)
      ? await loadDataflowForTest(graphPath, (spec.registryEndpoints ?? []).map((f) => resolve(dir, f)), spec.configuration as Record<string, Record<string, unknown>> | undefined, schemas)
      : undefined;
    cleanup = dataflow?.cleanup;
    const graph = dataflow?.graph ?? loadGraphDefinition(graphText, graphPath);
    const expectedJson = JSON.parse(await readFile(resolve(dir, spec.expected), 'utf8')) as OutputRecord | OutputRecord[];
    const timeout = spec.timeout ?? 60_000;
    const stateSeed = spec.state ? seedPairs(JSON.parse(await readFile(resolve(dir, spec.state), 'utf8'))) : [];

    const run = async () => {
      const configuration = dataflow ? undefined : (spec.configuration as Record<string, string> | undefined);
      runner = await GraphRunner.start({ graph, baseDir: dirname(graphPath), configuration, registryDir: options.registryDir, stateSeed, schemas, ...dataflow?.runnerOptions });
      runner.on('output', ({ item, sink }) => outputs.push(outputRecord(item, sink)));
      runner.on('error', (e) => failures.push(`operator ${e.operation}: ${e.message}`));
      for (const m of await inputMessages(spec, dir, graph, Date.now(), dataflow?.topic)) await runner.push(m);
      await runner.drain();
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout); })]);
    clearTimeout(timer);
    const errorsBeforeCompare = failures.length;
    failures.length = 0;
    const mismatches = compareRecords(expectedJson, outputs, spec.select ?? ['payload'], spec.ignores ?? []);
    failures.push(...mismatches);
    if (mismatches.length && errorsBeforeCompare) failures.push('(operators reported errors during the run)');
    const outDir = join(dir, 'output');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'output.jsonl'), outputs.map((o) => JSON.stringify(o)).join('\n') + (outputs.length ? '\n' : ''));
  } catch (e) {
    failures.push((e as Error).message);
  } finally {
    await (runner as GraphRunner | undefined)?.stop();
    await cleanup?.();
  }
  return { file, name, passed: failures.length === 0, durationMs: Date.now() - started, failures, outputs };
}
