import { capDiagnostics, ValidationError, type Diagnostic } from './diagnostics.ts';
import { checkGraphRules } from './graph-rules.ts';
import { checkGenerated } from './validators/index.ts';
import type { GraphDefinition } from './types.ts';
import { locateAll, parseYamlSource } from './yaml-source.ts';

export interface GraphParseResult {
  graph?: GraphDefinition;
  diagnostics: Diagnostic[];
}

/** Schema and semantic validation of an already parsed value. */
export function validateGraphDefinition(value: unknown): Diagnostic[] {
  const schemaErrors = checkGenerated('validateGraphDefinition', value);
  if (schemaErrors.length) return capDiagnostics(schemaErrors);
  return capDiagnostics(checkGraphRules(value as GraphDefinition));
}

/** Parses graph definition YAML; every diagnostic carries its line and column. */
export function parseGraphDefinition(text: string): GraphParseResult {
  const source = parseYamlSource(text);
  if (source.syntaxErrors.length) return { diagnostics: source.syntaxErrors };
  const diagnostics = locateAll(validateGraphDefinition(source.value), source);
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { graph: ok ? (source.value as GraphDefinition) : undefined, diagnostics };
}

/** Like parseGraphDefinition, but throws a ValidationError on any error. */
export function loadGraphDefinition(text: string, file?: string): GraphDefinition {
  const { graph, diagnostics } = parseGraphDefinition(text);
  if (!graph) throw new ValidationError(diagnostics.filter((d) => d.severity === 'error'), file);
  return graph;
}
