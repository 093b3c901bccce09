import { readFile } from 'node:fs/promises';
import { formatDiagnostic, parseGraphDefinition, parseManifests, type Diagnostic } from '@wgs/graph-model';

/** A graph definition has `operations`; anything with `apiVersion`/`kind` is a manifest. */
function looksLikeManifest(text: string): boolean {
  return /^\s*(apiVersion|kind)\s*:/m.test(text) && !/^\s*operations\s*:/m.test(text);
}

export function validateText(text: string): { kind: string; diagnostics: Diagnostic[] } {
  if (looksLikeManifest(text)) {
    const docs = parseManifests(text);
    return { kind: `manifest (${docs.length} document${docs.length === 1 ? '' : 's'})`, diagnostics: docs.flatMap((d) => d.diagnostics) };
  }
  return { kind: 'graph definition', diagnostics: parseGraphDefinition(text).diagnostics };
}

export async function validateCommand(args: string[]): Promise<number> {
  if (!args.length) throw new Error('usage: wgs validate <file>...');
  let failed = false;
  for (const file of args) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      console.error(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      failed = true;
      continue;
    }
    const { kind, diagnostics } = validateText(text);
    for (const d of diagnostics) console.error(formatDiagnostic(d, file));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (errors) failed = true;
    console.log(`${file}: ${kind}: ${errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'valid'}`);
  }
  return failed ? 1 : 0;
}
