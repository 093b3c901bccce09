import { Ajv, type ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostics.ts';
import { schemaDiagnostics } from './schema-errors.ts';

/**
 * Validates against any JSON schema by compiling it with Ajv (Node: tests,
 * tools). The model's own schemas use the generated validators instead
 * (validators/), which need no compiler at run time.
 */
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<object, ValidateFunction>();

/** Validates a plain value against a JSON schema; one diagnostic per failure. */
export function checkSchema(schema: object, value: unknown, rule = 'schema'): Diagnostic[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return schemaDiagnostics(validate.errors, rule);
}
