/**
 * Module artifacts offered for an operation: only modules that export the
 * operation's kind. A module is referenced the way the samples do it
 * (`<repository>:<tag>`, e.g. `azure-samples/explore-iot-operations/temperature:1.0.0`),
 * resolved against the graph's registry endpoint.
 */
export interface ModuleInfo {
  /** As written in `operations[].module`. */
  reference: string;
  /** Operator kinds the component exports (map, filter, …); undefined when it could not be read. */
  exportedKinds?: string[];
  /** Why the kinds could not be read. */
  error?: string;
  /** WIT imports, e.g. `wasi:nn/...` (which needs the `wasi-nn` feature). */
  imports?: string[];
}

export const moduleReference = (repository: string, tag: string): string => `${repository}:${tag}`;

export function modulesForKind(modules: readonly ModuleInfo[], kind: string): ModuleInfo[] {
  return modules.filter((m) => m.exportedKinds?.includes(kind));
}

/** The inspector's message when `module` cannot serve an operation of `kind`, else undefined. */
export function moduleKindError(kind: string, module: ModuleInfo | undefined): string | undefined {
  if (!module?.exportedKinds) return module?.error ? `module ${module.reference}: ${module.error}` : undefined;
  if (module.exportedKinds.includes(kind)) return undefined;
  const has = module.exportedKinds.length ? module.exportedKinds.join(', ') : 'no operator kinds';
  return `module ${module.reference} does not export a ${kind} operator (it exports ${has})`;
}

/** Whether a module's imports need `moduleRequirements.features` `wasi-nn`. */
export const needsWasiNn = (m: ModuleInfo): boolean => !!m.imports?.some((i) => i.startsWith('wasi:nn'));
