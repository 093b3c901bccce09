/**
 * Which operations changed since a baseline (the definition as opened or
 * last saved). Operations are compared by name: kind, module, parameters
 * and the connections leaving or entering them. A renamed operation is a
 * new one.
 */
import { readConnections, readOperations } from './flow.ts';

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** A comparable summary of each operation of a parsed document, by name. */
export function operationSignatures(value: unknown): Map<string, string> {
  const params = new Map<string, unknown>();
  const mcs = asRecord(value)?.moduleConfigurations;
  for (const mc of Array.isArray(mcs) ? mcs.map(asRecord) : []) if (typeof mc?.name === 'string') params.set(mc.name, mc.parameters);
  const wires = new Map<string, string[]>();
  const wire = (name: string, text: string) => wires.set(name, [...(wires.get(name) ?? []), text]);
  for (const c of readConnections(value)) {
    const text = `${c.from}${c.arm ? `[${c.arm}]` : ''}->${c.to}`;
    wire(c.from, text);
    if (c.to !== c.from) wire(c.to, text);
  }
  const out = new Map<string, string>();
  for (const op of readOperations(value)) {
    out.set(op.name, JSON.stringify([op.operationType, op.module ?? null, params.get(op.name) ?? null, (wires.get(op.name) ?? []).sort()]));
  }
  return out;
}

/** Names of operations in `current` that are new or differ from `baseline`. */
export function changedOperations(baseline: ReadonlyMap<string, string>, current: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [name, sig] of current) if (baseline.get(name) !== sig) out.add(name);
  return out;
}
