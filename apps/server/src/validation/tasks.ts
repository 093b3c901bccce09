/**
 * What the validation worker runs: parsing and validating documents sent to
 * the API, whose cost grows with their size (YAML parsing, JSON schemas,
 * graph rules). Plain functions, so they run the same in a test.
 */
import { builtinRuleDiagnostics, capDiagnostics, parseGraphDefinition, validateResource, type Diagnostic, type GraphParseResult, type ResourceContext } from '@wgs/graph-model';

export type ValidationTask =
  | { kind: 'graph-definition'; yaml: string }
  | { kind: 'resource'; value: unknown; context?: ResourceContext };

export interface TaskResults {
  'graph-definition': GraphParseResult;
  resource: Diagnostic[];
}

export function runTask(task: ValidationTask): TaskResults[ValidationTask['kind']] {
  switch (task.kind) {
    case 'graph-definition':
      return parseGraphDefinition(task.yaml);
    case 'resource':
      return resourceDiagnostics(task.value, task.context);
  }
}

/**
 * The reference CLI's rules, and for a DataflowGraph the built-ins' rule
 * checks (expression parser included) the designer runs before it saves:
 * errors, so a save or deploy is refused as in the designer (the components
 * would refuse the rules at init anyway).
 */
function resourceDiagnostics(value: unknown, context?: ResourceContext): Diagnostic[] {
  const structural = validateResource(value, context);
  if ((value as { kind?: unknown } | null)?.kind !== 'DataflowGraph') return structural;
  return capDiagnostics([...structural, ...builtinRuleDiagnostics(value)]);
}
