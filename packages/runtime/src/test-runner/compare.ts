import { isDeepStrictEqual } from 'node:util';

/** An output message as the reference's test runner records it (mosquitto-JSON-like). */
export interface OutputRecord {
  /** Extension: the sink operation the message left through (e.g. a branch graph's `output.true`). */
  sink?: string;
  topic?: string;
  payload: string;
  properties?: { 'user-properties'?: Record<string, string> };
}

function get(value: unknown, path: string[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/**
 * Splits a dotted path; `properties.user-properties.otel/factoryId` keeps the
 * user property key whole (it may contain dots or slashes).
 */
function splitPath(path: string): string[] {
  const prefix = 'properties.user-properties.';
  if (path.startsWith(prefix)) return ['properties', 'user-properties', path.slice(prefix.length)];
  return path.split('.');
}

function parseJson(text: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof text !== 'string') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function removePath(value: unknown, path: string[]): void {
  if (!path.length || value === null || typeof value !== 'object') return;
  const [head, ...rest] = path as [string, ...string[]];
  if (!rest.length) delete (value as Record<string, unknown>)[head];
  else removePath((value as Record<string, unknown>)[head], rest);
}

/** Semantic comparison of one selected path: JSON payloads compare as values. */
function compareOne(expected: OutputRecord, actual: OutputRecord, select: string, ignores: string[]): string | undefined {
  const path = splitPath(select);
  const e = get(expected, path);
  const a = get(actual, path);
  if (path[0] === 'payload' && path.length === 1) {
    const ej = parseJson(e);
    const aj = parseJson(a);
    if (ej.ok && aj.ok) {
      for (const ig of ignores.filter((i) => i.startsWith('payload.'))) {
        removePath(ej.value, ig.split('.').slice(1));
        removePath(aj.value, ig.split('.').slice(1));
      }
      return isDeepStrictEqual(ej.value, aj.value) ? undefined : `payload differs:\n  expected ${JSON.stringify(ej.value)}\n  actual   ${JSON.stringify(aj.value)}`;
    }
  }
  return isDeepStrictEqual(e, a) ? undefined : `${select} differs: expected ${JSON.stringify(e)}, actual ${JSON.stringify(a)}`;
}

/** Expected object = exactly one output; array = that many, in order ([] = none). */
export function compareRecords(expected: OutputRecord | OutputRecord[], actual: OutputRecord[], select: string[], ignores: string[]): string[] {
  const list = Array.isArray(expected) ? expected : [expected];
  const failures: string[] = [];
  if (list.length !== actual.length) failures.push(`expected ${list.length} output message(s), got ${actual.length}`);
  list.forEach((e, i) => {
    const a = actual[i];
    if (!a) return;
    for (const s of select) {
      const f = compareOne(e, a, s, ignores);
      if (f) failures.push(`output ${i + 1}: ${f}`);
    }
  });
  return failures;
}
