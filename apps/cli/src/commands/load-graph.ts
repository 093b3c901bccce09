import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { loadGraphDefinition, type GraphDefinition } from '@wgs/graph-model';
import { seedPairs, type LocalSchema } from '@wgs/runtime';

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
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`state seed ${file}: ${(e as Error).message}`);
  }
  return seedPairs(json);
}

/** JSON schema files for the local schema registry and the operators' init (`--schema`). */
export async function loadSchemas(files: string[] | undefined): Promise<LocalSchema[]> {
  return Promise.all((files ?? []).map(async (file) => {
    const content = await readFile(file, 'utf8');
    try {
      JSON.parse(content);
    } catch (e) {
      throw new Error(`schema ${file} is not JSON: ${(e as Error).message}`);
    }
    return { name: basename(file, extname(file)), namespace: 'local', version: '1', format: 'json' as const, content };
  }));
}
