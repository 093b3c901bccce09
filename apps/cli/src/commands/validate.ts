import { readFile } from 'node:fs/promises';
import {
  formatDiagnostic, parseGraphDefinition, parseManifests,
  type DataflowGraphResource, type Diagnostic, type ManifestDocument, type RegistryEndpointResource,
} from '@wgs/graph-model';
import { checkDataflowShape } from './validate-dataflow.ts';

/** A graph definition has `operations`; anything with `apiVersion`/`kind` is a manifest. */
function looksLikeManifest(text: string): boolean {
  return /^\s*(apiVersion|kind)\s*:/m.test(text) && !/^\s*operations\s*:/m.test(text);
}

export function validateText(text: string): { kind: string; diagnostics: Diagnostic[]; docs?: ManifestDocument[] } {
  if (looksLikeManifest(text)) {
    const docs = parseManifests(text);
    return { kind: `manifest (${docs.length} document${docs.length === 1 ? '' : 's'})`, diagnostics: docs.flatMap((d) => d.diagnostics), docs };
  }
  return { kind: 'graph definition', diagnostics: parseGraphDefinition(text).diagnostics };
}

export async function validateCommand(args: string[]): Promise<number> {
  if (!args.length) throw new Error('usage: wgs validate <file>...');
  let failed = false;
  const files: { file: string; text: string; result: ReturnType<typeof validateText> }[] = [];
  for (const file of args) {
    try {
      const text = await readFile(file, 'utf8');
      files.push({ file, text, result: validateText(text) });
    } catch (e) {
      console.error(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      failed = true;
    }
  }
  // RegistryEndpoints in any of the files serve the Graph nodes of every DataflowGraph given.
  const registryEndpoints = new Map<string, RegistryEndpointResource>();
  for (const f of files) {
    for (const d of f.result.docs ?? []) if (d.resource?.kind === 'RegistryEndpoint') registryEndpoints.set(d.resource.metadata.name, d.resource);
  }
  for (const { file, text, result } of files) {
    const diagnostics = [...result.diagnostics];
    const notes: string[] = [];
    // Shape checks need each Graph node's definition: only for documents valid so far.
    for (const d of result.docs ?? []) {
      if (d.resource?.kind !== 'DataflowGraph') continue;
      const r = d.resource as DataflowGraphResource;
      const check = await checkDataflowShape(text, d.index, r, registryEndpoints);
      diagnostics.push(...check.diagnostics);
      notes.push(check.skipped
        ? `${file}: DataflowGraph ${r.metadata.name}: flattening skipped (the Graph nodes' definitions could not be read: ${check.skipped})`
        : `${file}: DataflowGraph ${r.metadata.name}: flattened with the Graph nodes' definitions`);
    }
    for (const d of diagnostics) console.error(formatDiagnostic(d, file));
    for (const n of notes) console.log(n);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (errors) failed = true;
    console.log(`${file}: ${result.kind}: ${errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'valid'}`);
  }
  return failed ? 1 : 0;
}
