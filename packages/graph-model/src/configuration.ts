import type { GraphDefinition } from './types.ts';

export interface OperationConfiguration {
  /** Pairs delivered to the operator's `init`, in declaration order. */
  properties: [string, string][];
  /** Declared required parameters that got no value. */
  missing: string[];
}

/**
 * Resolves what each operation's `init` receives. Decision (reference §1.3 is
 * open): the parameters map key is the configuration key; a value supplied
 * under the parameter's inner `name` is accepted too. Each operation receives
 * only the parameters declared for it; a supplied value overrides `default`.
 * `byOperation` gives an operation its own values instead of `supplied` (a
 * flattened data flow: each Graph node's configuration reaches only its operations).
 */
export function resolveConfiguration(graph: GraphDefinition, supplied: Record<string, string>, byOperation?: Record<string, Record<string, string>>): Map<string, OperationConfiguration> {
  const out = new Map<string, OperationConfiguration>();
  for (const op of graph.operations) out.set(op.name, { properties: [], missing: [] });
  for (const mc of graph.moduleConfigurations ?? []) {
    const target = out.get(mc.name);
    if (!target) continue;
    const values = (byOperation && Object.hasOwn(byOperation, mc.name) ? byOperation[mc.name] : undefined) ?? supplied;
    for (const [key, p] of Object.entries(mc.parameters ?? {})) {
      const value = nonBlank(own(values, key)) ?? nonBlank(own(values, p.name)) ?? p.default ?? undefined;
      if (value === undefined || value === null) {
        if (p.required) target.missing.push(key);
        continue;
      }
      target.properties.push([key, value]);
    }
  }
  return out;
}

/** Keys supplied that no operation declares (likely typos). */
export function undeclaredKeys(graph: GraphDefinition, supplied: Record<string, string>): string[] {
  const declared = new Set<string>();
  for (const mc of graph.moduleConfigurations ?? []) {
    for (const [key, p] of Object.entries(mc.parameters ?? {})) {
      declared.add(key);
      declared.add(p.name);
    }
  }
  return Object.keys(supplied).filter((k) => !declared.has(k));
}

/** Own values only: `supplied.constructor` must not find Object.prototype's. */
function own(o: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function nonBlank(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v : undefined;
}
