/**
 * Names for new operations, after the reference's conventions (§1.2):
 * operators are `module-<module>/<kind>` (e.g. `module-temperature/map`),
 * the abstract ends are `source` and `sink`, a concatenate `concatenate1`.
 */
import { MODULE_OPERATION_TYPES, type OperationType } from '@wgs/graph-model';

/** Stands for the module until one is picked (then the name follows the module). */
export const PLACEHOLDER_MODULE = 'new';

/** `temperature` for `azure-samples/explore-iot-operations/temperature:1.0.0` (also host-qualified or by digest). */
export function moduleShortName(reference: string): string {
  const path = reference.split('@')[0]!;
  const last = path.split('/').pop() ?? path;
  const colon = last.lastIndexOf(':');
  return colon > 0 ? last.slice(0, colon) : last;
}

export const needsModule = (kind: string): boolean => (MODULE_OPERATION_TYPES as readonly string[]).includes(kind);

/** The conventional name of an operation of `kind` (without making it unique). */
export function conventionalName(kind: string, module?: string): string {
  if (kind === 'concatenate') return 'concatenate1';
  if (!needsModule(kind)) return kind;
  return `module-${module ? moduleShortName(module) : PLACEHOLDER_MODULE}/${kind}`;
}

/**
 * `wanted` if no operation has that name, else the first free variant:
 * a trailing number counts up (`concatenate1` → `concatenate2`), otherwise
 * `-2`, `-3`, … is appended (`module-temperature/map-2`).
 */
export function uniqueName(wanted: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(wanted)) return wanted;
  const numbered = /^(.*?)(\d+)$/.exec(wanted);
  const stem = numbered ? numbered[1]! : `${wanted.replace(/-\d+$/, '')}-`;
  for (let i = numbered ? Number(numbered[2]) + 1 : 2; ; i++) if (!used.has(`${stem}${i}`)) return `${stem}${i}`;
}

/** A unique default name for a new operation of `kind`. */
export function defaultOperationName(kind: OperationType | string, taken: Iterable<string>, module?: string): string {
  return uniqueName(conventionalName(kind, module), taken);
}

/**
 * Whether `name` is still the placeholder default of an operation of `kind`
 * (`module-new/map`, `module-new/map-2`), so picking a module renames it to
 * follow the module. Names a user chose are never changed.
 */
export function isPlaceholderName(name: string, kind: string): boolean {
  return new RegExp(`^module-${PLACEHOLDER_MODULE}/${kind}(-\\d+)?$`).test(name);
}
