/**
 * What the validation worker runs: parsing and validating documents sent to
 * the API, whose cost grows with their size (YAML parsing, JSON schemas,
 * graph rules). Plain functions, so they run the same in a test.
 */
import { parseGraphDefinition, validateResource, type Diagnostic, type GraphParseResult, type ResourceContext } from '@wgs/graph-model';

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
      return validateResource(task.value, task.context);
  }
}
