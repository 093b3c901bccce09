/**
 * A DataflowGraph manifest read from files, for the CLI (`wgs test`, `run`,
 * `validate`): the DataflowGraph, and the RegistryEndpoint / DataflowEndpoint
 * manifests found beside it (same multi-document file, or extra files).
 * Without a cluster these files are the only place endpoints come from.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import {
  parseManifests, ValidationError,
  type DataflowEndpointResource, type Diagnostic, type DataflowGraphResource, type RegistryEndpointResource,
} from '@wgs/graph-model';
import { openRegistryEndpoint, resolveRegistryEndpoint, type OpenedEndpoint } from '@wgs/registry';

export interface DataflowFile {
  resource: DataflowGraphResource;
  registryEndpoints: Map<string, RegistryEndpointResource>;
  dataflowEndpoints: Map<string, DataflowEndpointResource>;
}

/** True when some document of the text is a DataflowGraph (cheap: no validation). */
export function isDataflowManifestText(text: string): boolean {
  try {
    return parseAllDocuments(text, { uniqueKeys: false }).some((d) => (d.toJS() as { kind?: unknown } | null)?.kind === 'DataflowGraph');
  } catch {
    return false;
  }
}

/** Reads and validates the DataflowGraph in `file` and the endpoint manifests of it and `extraFiles`. */
export async function readDataflowFile(file: string, extraFiles: string[] = []): Promise<DataflowFile> {
  const out: Partial<DataflowFile> = { registryEndpoints: new Map(), dataflowEndpoints: new Map() };
  for (const f of [file, ...extraFiles]) {
    for (const doc of parseManifests(await readFile(f, 'utf8'))) {
      if (doc.diagnostics.some((d) => d.severity === 'error')) throw new ValidationError(doc.diagnostics, f);
      const r = doc.resource;
      if (r?.kind === 'DataflowGraph' && f === file) {
        // One DataflowGraph per file: which one would run otherwise is a guess.
        if (out.resource) throw new Error(`${f}: more than one DataflowGraph`);
        out.resource = r;
      } else if (r?.kind === 'RegistryEndpoint') out.registryEndpoints!.set(r.metadata.name, r);
      else if (r?.kind === 'DataflowEndpoint') out.dataflowEndpoints!.set(r.metadata.name, r);
    }
  }
  if (!out.resource) throw new Error(`${file}: no DataflowGraph`);
  return out as DataflowFile;
}

/**
 * Opens a Graph node's registry endpoint: one given in the files, else the
 * implicit `default` (the embedded registry). Pull secrets cannot be read
 * without a cluster, so an ArtifactPullSecret endpoint is opened anonymously.
 */
export function fileRegistryOpener(f: DataflowFile): (name: string) => Promise<OpenedEndpoint> {
  return async (name) => {
    const endpoint = resolveRegistryEndpoint(name, f.registryEndpoints.get(name));
    if (!endpoint) throw new Error(`no RegistryEndpoint "${name}" given (only "default", the embedded registry, is implicit)`);
    return openRegistryEndpoint(endpoint, async () => undefined);
  };
}

/**
 * Replaces Graph nodes' configuration values: `{ <node>: { <key>: value } }`;
 * a non-string value is written as JSON, as manifests carry rules. Keys not
 * overridden keep the manifest's value. An unknown node is an error (a typo
 * would otherwise silently test the manifest's values).
 */
export function overrideConfiguration(resource: DataflowGraphResource, overrides: Record<string, Record<string, unknown>> | undefined): DataflowGraphResource {
  if (!overrides) return resource;
  const copy = structuredClone(resource);
  for (const [node, values] of Object.entries(overrides)) {
    const n = copy.spec.nodes.find((x) => x.name === node);
    if (n?.nodeType !== 'Graph') throw new Error(`configuration: "${node}" is not a Graph node of ${resource.metadata.name}`);
    if (!values || typeof values !== 'object') throw new Error(`configuration.${node}: expected a map of key: value`);
    const entries = n.graphSettings.configuration ?? [];
    for (const [key, v] of Object.entries(values)) {
      const value = typeof v === 'string' ? v : JSON.stringify(v);
      const existing = entries.find((e) => e.key === key);
      if (existing) existing.value = value;
      else entries.push({ key, value });
    }
    n.graphSettings.configuration = entries;
  }
  return copy;
}

/**
 * Line and column of each diagnostic's path in document `docIndex` of a
 * multi-document text (flatten errors carry only their path).
 */
export function locateInDocument(text: string, docIndex: number, diagnostics: Diagnostic[]): Diagnostic[] {
  const lineCounter = new LineCounter();
  const doc = parseAllDocuments(text, { lineCounter, uniqueKeys: false })[docIndex];
  return diagnostics.map((d) => {
    if (d.line || !d.segments || !doc || !('getIn' in doc)) return d;
    const node = doc.getIn(d.segments, true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) return d;
    const pos = lineCounter.linePos(node.range[0]);
    return { ...d, line: pos.line, column: pos.col };
  });
}
