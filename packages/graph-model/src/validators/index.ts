/**
 * The model's schema checks through the generated validators (no compiler at
 * run time). Each returns located diagnostics, like checkSchema.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.ts';
import { schemaDiagnostics } from '../schema-errors.ts';
import * as generated from './validators.generated.ts';

type Generated = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
export type GeneratedValidator = 'validateGraphDefinition' | 'validateDataflowGraph' | 'validateDataflowEndpoint' | 'validateRegistryEndpoint';

const validators = generated as unknown as Record<GeneratedValidator, Generated>;

export function checkGenerated(name: GeneratedValidator, value: unknown, rule = 'schema'): Diagnostic[] {
  const validate = validators[name];
  if (validate(value)) return [];
  return schemaDiagnostics(validate.errors, rule);
}
