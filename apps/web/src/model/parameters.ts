/** An operation's parameters as `moduleConfigurations` declares them (for the inspector's editor). */
import type { ConfigParameter } from '@wgs/graph-model';

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

export interface ParameterRow extends ConfigParameter {
  key: string;
}

export function parametersOf(value: unknown, operation: string): ParameterRow[] {
  const mcs = asRecord(value)?.moduleConfigurations;
  const rows: ParameterRow[] = [];
  for (const mc of Array.isArray(mcs) ? mcs.map(asRecord) : []) {
    if (mc?.name !== operation) continue;
    for (const [key, raw] of Object.entries(asRecord(mc.parameters) ?? {})) {
      const p = asRecord(raw) ?? {};
      const description = text(p.description);
      const def = text(p.default);
      rows.push({ key, name: text(p.name) ?? '', ...(description !== undefined ? { description } : {}), ...(def !== undefined ? { default: def } : {}), required: p.required === true });
    }
  }
  return rows;
}
