/**
 * Turns JSON-schema validation errors (Ajv's shape, from a compiled or a
 * generated validator) into located diagnostics. No Ajv import here: the
 * designer's bundle validates with generated code only (no eval, so the page
 * needs no 'unsafe-eval' in its Content-Security-Policy).
 */
import type { ErrorObject } from 'ajv';
import { diagnostic, type Diagnostic, type PathSegment } from './diagnostics.ts';

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

/** One diagnostic per distinct failure of a validator run. */
export function schemaDiagnostics(errors: readonly ErrorObject[] | null | undefined, rule = 'schema'): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors ?? []) {
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
