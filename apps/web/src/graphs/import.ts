/**
 * Reading DataflowGraph manifests a user imports (a file or pasted text): one
 * or more YAML documents; the DataflowGraphs among them, with the reasons the
 * others are not taken.
 */
import { parseAllDocuments, stringify } from 'yaml';
import type { Resource } from '@wgs/api-contract';
import { toResource } from '../dataflow/manifest.ts';

export interface ImportResult {
  graphs: { name: string; yaml: string }[];
  problems: string[];
}

export function readImport(text: string): ImportResult {
  const graphs: ImportResult['graphs'] = [];
  const problems: string[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { graphs, problems: ['the text holds no YAML document'] };
  docs.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors.length) return problems.push(`${where}: ${doc.errors[0]!.message.split('\n')[0]}`);
    const value = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
    if (value === null || value === undefined) return;
    if (value.kind !== 'DataflowGraph') return problems.push(`${where}: kind ${JSON.stringify(value.kind ?? null)} is not a DataflowGraph (skipped)`);
    if (typeof value.metadata?.name !== 'string' || !value.metadata.name) return problems.push(`${where}: the DataflowGraph has no metadata.name`);
    // The document's own text, comments included.
    graphs.push({ name: value.metadata.name, yaml: doc.toString({ lineWidth: 0 }) });
  });
  if (!graphs.length && !problems.length) problems.push('the text holds no DataflowGraph');
  return { graphs, problems };
}

/** A resource as a manifest to save or hand to kubectl (server fields dropped). */
export function exportYaml(resource: Resource): string {
  return stringify(toResource(resource), { lineWidth: 0 });
}

/** A name for a copy: `name-copy`, `name-copy-2`, … not in `taken`. */
export function copyName(name: string, taken: Set<string>): string {
  const base = `${name}-copy`.slice(0, 63);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Kubernetes object names: lowercase RFC 1123 subdomain (the reference's resources are named so). */
export function nameProblem(name: string): string | undefined {
  if (!name) return 'a name is required';
  if (name.length > 63) return 'at most 63 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return 'lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}
