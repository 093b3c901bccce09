import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Parses flags strictly; unknown flags are errors with the command's usage. */
export function flags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`);
  }
}

/** `key=value` pairs from repeated --config flags. */
export function keyValues(pairs: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} expects key=value, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}
