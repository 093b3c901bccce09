import { readFile } from 'node:fs/promises';
import { loadGraphDefinition, type GraphDefinition } from '@wgs/graph-model';

export async function loadGraphFile(file: string): Promise<GraphDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read graph ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return loadGraphDefinition(text, file);
}

/** A state-store seed: `{"k":"v"}` or `[{"k":"v"}, ...]`. */
export async function loadStateSeed(file: string | undefined): Promise<[string, string][]> {
  if (!file) return [];
  const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const entries = Array.isArray(json) ? json.flatMap((o) => Object.entries(o as object)) : Object.entries(json as object);
  return entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}
