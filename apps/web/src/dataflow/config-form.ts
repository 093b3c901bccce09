/**
 * The per-operator configuration form of a graph transform, generated from
 * the definition's `moduleConfigurations`. The map key is the configuration
 * key (reference §1.3: the CLI enforces `required` on it); `name` is the label,
 * and a differing name is pointed out.
 */
import type { GraphPreview } from '../api/client.ts';

export type Parameter = NonNullable<GraphPreview['graph']>['parameters'][number];

export interface ConfigField {
  /** The configuration key written to graphSettings.configuration. */
  key: string;
  label: string;
  description?: string;
  placeholder?: string;
  required: boolean;
  value: string;
  /** What is wrong with the value ('' when fine). */
  problem: string;
  /** A note about the declaration itself (e.g. key and name differ). */
  note?: string;
}

export interface ConfigSection {
  operation: string;
  fields: ConfigField[];
}

/** Present means: a non-blank value (the CLI ignores blank values). */
const present = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** Sections per operation, in declaration order, with the values the graph node supplies. */
export function configForm(parameters: Parameter[], configuration: { key: string; value: string }[] | undefined): ConfigSection[] {
  const values = new Map((configuration ?? []).map((c) => [c.key, c.value]));
  const sections = new Map<string, ConfigField[]>();
  for (const p of parameters) {
    const value = values.get(p.key) ?? '';
    const fields = sections.get(p.operation) ?? [];
    // One key configures every operation declaring it: a repeated key shows once, in its first operation.
    if ([...sections.values()].some((f) => f.some((x) => x.key === p.key))) continue;
    fields.push({
      key: p.key,
      label: p.name || p.key,
      description: p.description,
      placeholder: p.default,
      required: p.required,
      value,
      problem: p.required && !present(value) ? (present(p.default) ? '' : 'required') : '',
      note: p.name && p.name !== p.key ? `configuration key "${p.key}" (declared name "${p.name}")` : undefined,
    });
    sections.set(p.operation, fields);
  }
  return [...sections.entries()].map(([operation, fields]) => ({ operation, fields }));
}

/** Configuration entries the definition does not declare (kept, but shown as such). */
export function undeclared(parameters: Parameter[], configuration: { key: string; value: string }[] | undefined): { key: string; value: string }[] {
  // A value under the parameter's inner name is accepted too (graph-model resolveConfiguration).
  const declared = new Set(parameters.flatMap((p) => [p.key, p.name]));
  return (configuration ?? []).filter((c) => !declared.has(c.key));
}

/** The form's values as a key → value record, edits applied, undeclared entries kept. */
export function formValues(configuration: { key: string; value: string }[] | undefined, edits: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries((configuration ?? []).map((c) => [c.key, c.value])), ...edits };
}

/** Whether the form can be applied: every required field has a value (or a default the runtime falls back to). */
export function formProblems(sections: ConfigSection[]): string[] {
  return sections.flatMap((s) => s.fields.filter((f) => f.problem).map((f) => `${s.operation}: ${f.label} is ${f.problem}`));
}
