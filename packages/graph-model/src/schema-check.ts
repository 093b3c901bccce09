import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic, type PathSegment } from './diagnostics.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<object, ValidateFunction>();

function pointerToSegments(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): { segments: PathSegment[]; message: string } {
  const segments = pointerToSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { segments, message: `missing required property "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { segments: [...segments, String(p.additionalProperty)], message: `unknown property "${String(p.additionalProperty)}"` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).filter((v) => v !== null).map((v) => JSON.stringify(v)).join(', ');
      return { segments, message: `must be one of ${allowed}` };
    }
    case 'maxItems':
      return { segments, message: `too many items: at most ${String(p.limit)} allowed` };
    case 'maxProperties':
      return { segments, message: `too many entries: at most ${String(p.limit)} allowed` };
    case 'maxLength':
      return { segments, message: `too long: at most ${String(p.limit)} characters allowed` };
    case 'type':
      return { segments, message: `must be ${String(p.type).replace(',', ' or ')}` };
    default:
      return { segments, message: e.message ?? e.keyword };
  }
}

/** Validates a plain value against a JSON schema; one diagnostic per failure. */
export function checkSchema(schema: object, value: unknown, rule = 'schema'): Diagnostic[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    // `if` only says a `then` branch failed; that branch's own error is reported.
    if (e.keyword === 'if') continue;
    const { segments, message } = describe(e);
    const d = diagnostic(segments, message, rule);
    const key = `${d.path}|${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}
