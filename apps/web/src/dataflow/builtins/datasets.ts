/**
 * Enrichment datasets in map, filter and branch rules (reference §1.3
 * `Dataset`, §4 "Enrichment"): `{key: "<state-store key>[ as <alias>]",
 * inputs: ["$source.<f>", "$context.<f>"], expression}`. The editor shows the
 * key and alias apart and writes them back as one string.
 */
export interface Dataset {
  key: string;
  inputs: string[];
  expression: string;
}

/** A new row: match a payload field to a record field, the reference's example shape. */
export const BLANK_DATASET: Dataset = { key: '', inputs: ['$source.', '$context.'], expression: '$1 == $2' };

/** `"sensors as s"` → store key `sensors`, alias `s`; no ` as `: the alias is the key. */
export function splitKey(key: string): { storeKey: string; alias: string } {
  const m = /^(.*?)\s+as\s+(\S*)\s*$/.exec(key);
  return m ? { storeKey: m[1]!, alias: m[2]! } : { storeKey: key, alias: '' };
}

/** The `key` string from the two fields; a blank alias leaves ` as ` out. */
export const joinKey = (storeKey: string, alias: string): string => (alias.trim() ? `${storeKey} as ${alias.trim()}` : storeKey);

/** The name rules use in `$context(<alias>)`: the alias, else the key. */
export function aliasOf(d: Partial<Dataset> | undefined): string {
  const { storeKey, alias } = splitKey(typeof d?.key === 'string' ? d.key : '');
  return (alias || storeKey).trim();
}

/** The datasets of a rules value, as far as they have the shape the editor needs. */
export function datasetsOf(rules: Record<string, unknown> | undefined): Dataset[] {
  const list = rules?.datasets;
  return Array.isArray(list) ? (list.filter((d) => d && typeof d === 'object') as Dataset[]) : [];
}

/** The rules value with `datasets` replaced; none left = the key is removed, so a rules value without datasets stays as it was. */
export function withDatasets(rules: Record<string, unknown>, datasets: Dataset[]): Record<string, unknown> {
  const { datasets: _old, ...rest } = rules;
  return datasets.length ? { ...rules, datasets } : rest;
}

/**
 * What a rule input may name from the datasets: `$context(<alias>)` (the
 * whole record) and `$context(<alias>).<f>` for each record field the
 * dataset's match inputs read (`$context.<f>`).
 */
export function contextInputs(datasets: readonly Partial<Dataset>[]): string[] {
  const out = new Set<string>();
  for (const d of datasets) {
    const alias = aliasOf(d);
    if (!alias) continue;
    out.add(`$context(${alias})`);
    for (const input of Array.isArray(d.inputs) ? d.inputs : []) {
      const field = typeof input === 'string' && input.startsWith('$context.') ? input.slice('$context.'.length) : '';
      if (field) out.add(`$context(${alias}).${field}`);
    }
  }
  return [...out];
}

/** A dataset's problems (graph-model numbers them "dataset <n>: …"). */
export const datasetProblems = <P extends { message: string }>(problems: readonly P[], index: number): P[] =>
  problems.filter((p) => p.message.startsWith(`dataset ${index + 1}: `) || p.message.startsWith(`dataset ${index + 1} `));
