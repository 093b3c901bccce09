/**
 * The few JSON-schema (draft-07) features the editor needs to suggest keys
 * and values: properties (also from allOf / anyOf / oneOf and if/then/else),
 * items, additionalProperties, enum / const. Validation is not done here: the
 * located diagnostics from graph-model stay the one source of errors.
 */
export interface JsonSchema {
  type?: string | readonly string[];
  description?: string;
  properties?: Readonly<Record<string, JsonSchema>>;
  additionalProperties?: boolean | JsonSchema;
  required?: readonly string[];
  items?: JsonSchema;
  enum?: readonly unknown[];
  const?: unknown;
  default?: unknown;
  allOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
}

export type PathSegment = string | number;

export interface ObjectShape {
  properties: Map<string, JsonSchema>;
  required: Set<string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether `value` satisfies an `if` schema. Only what `if` clauses of our
 * schemas use (required keys, const / enum on properties); anything else counts as a match.
 */
export function matchesCondition(condition: JsonSchema, value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key of condition.required ?? []) if (!(key in value)) return false;
  for (const [key, sub] of Object.entries(condition.properties ?? {})) {
    if (!(key in value)) continue; // draft-07: absent properties do not fail `properties`
    const v = value[key];
    if ('const' in sub && sub.const !== v) return false;
    if (sub.enum && !sub.enum.includes(v)) return false;
  }
  return true;
}

/** Keys an object may have, given its current value (which decides the if/then branches). */
export function objectShape(schema: JsonSchema, value: unknown): ObjectShape {
  const shape: ObjectShape = { properties: new Map(), required: new Set() };
  const add = (s: JsonSchema | undefined) => {
    if (!s) return;
    for (const [k, v] of Object.entries(s.properties ?? {})) if (!shape.properties.has(k)) shape.properties.set(k, v);
    for (const k of s.required ?? []) shape.required.add(k);
    for (const sub of s.allOf ?? []) add(sub);
    // anyOf / oneOf: any branch may apply, so offer the union (never their `required`).
    for (const sub of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
      for (const [k, v] of objectShape(sub, value).properties) if (!shape.properties.has(k)) shape.properties.set(k, v);
    }
    if (s.if) add(matchesCondition(s.if, value) ? s.then : s.else);
  };
  add(schema);
  return shape;
}

/** The schema of `segment` inside a value described by `schema`; `*` in the pattern for map entries. */
export function childSchema(schema: JsonSchema, segment: PathSegment, value: unknown): { schema: JsonSchema; pattern: string } | undefined {
  if (typeof segment === 'number') return schema.items ? { schema: schema.items, pattern: '[]' } : undefined;
  const own = objectShape(schema, value).properties.get(segment);
  if (own) return { schema: own, pattern: segment };
  if (isObject(schema.additionalProperties)) return { schema: schema.additionalProperties, pattern: '*' };
  return undefined;
}

export interface Resolved {
  schema: JsonSchema;
  /** Document path with indexes as `[]` and free map keys as `*`, e.g. `operations[].name`. */
  pattern: string;
  /** Value of the document at this path. */
  value: unknown;
}

/** Walks the schema down a document path, taking each level's value into account. */
export function resolvePath(root: JsonSchema, path: readonly PathSegment[], document: unknown): Resolved | undefined {
  let current: Resolved = { schema: root, pattern: '', value: document };
  for (const segment of path) {
    const child = childSchema(current.schema, segment, current.value);
    if (!child) return undefined;
    const value = (current.value as Record<PathSegment, unknown> | undefined | null)?.[segment];
    const pattern = child.pattern === '[]' ? `${current.pattern}[]` : current.pattern ? `${current.pattern}.${child.pattern}` : child.pattern;
    current = { schema: child.schema, pattern, value };
  }
  return current;
}

const types = (s: JsonSchema): string[] => (s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : [...s.type]);

export const isObjectSchema = (s: JsonSchema): boolean => types(s).includes('object') || !!s.properties || !!s.allOf;
export const isArraySchema = (s: JsonSchema): boolean => types(s).includes('array') || !!s.items;

/** The values a schema allows outright: enum / const members, or true/false for booleans (null left out). */
export function allowedValues(s: JsonSchema): unknown[] {
  if ('const' in s) return [s.const];
  if (s.enum) return s.enum.filter((v) => v !== null);
  if (types(s).includes('boolean')) return [true, false];
  return [];
}

/** Short type summary for a completion's detail line, e.g. `string`, `object`, `"Source" | "Graph"`. */
export function typeSummary(s: JsonSchema): string {
  const values = allowedValues(s);
  if (values.length && !types(s).includes('boolean')) return values.map((v) => JSON.stringify(v)).join(' | ');
  if (isArraySchema(s)) return s.items && isObjectSchema(s.items) ? 'array of objects' : 'array';
  if (isObjectSchema(s)) return 'object';
  return types(s).filter((t) => t !== 'null').join(' | ') || 'any';
}
