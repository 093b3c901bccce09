import { parseAllDocuments, LineCounter } from 'yaml';
import { capDiagnostics, diagnostic, type Diagnostic } from './diagnostics.ts';
import { checkDataflowGraphRules, checkRegistryEndpointRules, type ResourceContext } from './resource-rules.ts';
import type { AioResource, DataflowGraphResource, RegistryEndpointResource } from './resources.ts';
import { checkGenerated, type GeneratedValidator } from './validators/index.ts';
import { locateAll, nestingError, parseYamlSource } from './yaml-source.ts';

const schemas: Record<string, GeneratedValidator> = {
  DataflowGraph: 'validateDataflowGraph',
  DataflowEndpoint: 'validateDataflowEndpoint',
  RegistryEndpoint: 'validateRegistryEndpoint',
};

export const SUPPORTED_KINDS = Object.keys(schemas);

/** Validates one resource value (already parsed); at most MAX_DIAGNOSTICS (+1) diagnostics. */
export function validateResource(value: unknown, ctx?: ResourceContext): Diagnostic[] {
  return capDiagnostics(resourceDiagnostics(value, ctx));
}

function resourceDiagnostics(value: unknown, ctx?: ResourceContext): Diagnostic[] {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') return [diagnostic(['kind'], 'missing "kind"', 'schema')];
  const schema = schemas[kind];
  if (!schema) return [diagnostic(['kind'], `unsupported kind "${kind}" (expected one of ${SUPPORTED_KINDS.join(', ')})`, 'schema')];
  const errors = checkGenerated(schema, value);
  if (errors.length) return errors;
  if (kind === 'DataflowGraph') return checkDataflowGraphRules(value as DataflowGraphResource, ctx);
  if (kind === 'RegistryEndpoint') return checkRegistryEndpointRules(value as RegistryEndpointResource);
  return [];
}

export interface ManifestDocument {
  index: number;
  resource?: AioResource;
  diagnostics: Diagnostic[];
}

/** Parses a (multi-document) manifest file; each document validated and located. */
export function parseManifests(text: string, ctx?: ResourceContext): ManifestDocument[] {
  const tooDeep = nestingError(text);
  if (tooDeep) return [{ index: 0, diagnostics: [tooDeep] }];
  const lineCounter = new LineCounter();
  // Only to split documents: each one is parsed again (with the linear duplicate-key check) below.
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  if (!Array.isArray(docs)) return [];
  return docs.map((doc, index) => {
    const start = doc.range[0];
    const slice = text.slice(start, doc.range[2]);
    const source = parseYamlSource(slice);
    const base = lineCounter.linePos(start).line - 1;
    const shift = (d: Diagnostic): Diagnostic => (d.line ? { ...d, line: d.line + base } : d);
    if (source.syntaxErrors.length) return { index, diagnostics: source.syntaxErrors.map(shift) };
    const diagnostics = locateAll(validateResource(source.value, ctx), source).map(shift);
    const ok = !diagnostics.some((d) => d.severity === 'error');
    return { index, resource: ok ? (source.value as AioResource) : undefined, diagnostics };
  });
}
