/**
 * JSON schema (draft-07 subset used in graph-model) → Kubernetes structural
 * OpenAPI v3 schema, the form a CRD's openAPIV3Schema must have:
 * every node typed, `$ref` inlined, `nullable` instead of type arrays, no
 * `additionalProperties` beside `properties`, no `if`/`then`/`const`.
 * Anything it cannot translate faithfully throws, naming the JSON path, so a
 * schema change that the API server would refuse fails the generator instead.
 */

export type JsonSchema = Record<string, unknown>;

export interface CelValidation {
  rule: string;
  message: string;
}

export interface StructuralSchema {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  nullable?: boolean;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  enum?: unknown[];
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-validations'?: CelValidation[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  [bound: string]: unknown;
}

/** Validation keywords Kubernetes takes as they are. */
const KEPT = ['description', 'default', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
/** Annotations with no meaning for validation. */
const DROPPED = ['$schema', '$id', 'title', 'examples', 'definitions', '$defs'];
/** Handled below. */
const HANDLED = ['$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'allOf', 'oneOf', 'anyOf', 'uniqueItems'];
/** What may appear in a oneOf/anyOf branch: value validations only (the structural rule). */
const JUNCTOR_BRANCH = ['required', 'description', 'minProperties', 'maxProperties'];

class SchemaConversionError extends Error {
  override name = 'SchemaConversionError';
}

const fail = (path: string, why: string): never => {
  throw new SchemaConversionError(`${path}: ${why}`);
};

/** Converts `schema`; `root` resolves local `$ref`s (`#/definitions/…`, `#/$defs/…`). */
export function toStructural(schema: JsonSchema, root: JsonSchema = schema, path = '#', refs: string[] = []): StructuralSchema {
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (refs.includes(ref)) fail(path, `recursive $ref ${ref} cannot be inlined`);
    const { $ref: _ref, ...siblings } = schema;
    return toStructural({ ...resolveRef(root, ref, path), ...siblings }, root, path, [...refs, ref]);
  }
  for (const key of Object.keys(schema)) {
    if (!KEPT.includes(key) && !DROPPED.includes(key) && !HANDLED.includes(key)) fail(path, `keyword "${key}" has no structural equivalent`);
  }
  const { type, nullable } = typeOf(schema, path);
  const out: StructuralSchema = { type };
  if (nullable) out.nullable = true;
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
  const values = enumValues(schema);
  if (values) {
    out.enum = values.filter((v) => v !== null);
    if (values.includes(null)) out.nullable = true;
  }
  if (type === 'object') convertObject(schema, root, path, refs, out);
  if (type === 'array') convertArray(schema, root, path, refs, out);
  for (const junctor of ['oneOf', 'anyOf'] as const) {
    const branches = schema[junctor];
    if (branches === undefined) continue;
    (branches as JsonSchema[]).forEach((b, i) => {
      const extra = Object.keys(b).find((k) => !JUNCTOR_BRANCH.includes(k));
      if (extra) fail(`${path}/${junctor}/${i}`, `"${extra}" inside ${junctor} is not structural`);
    });
    out[junctor] = branches;
  }
  return out;
}

function resolveRef(root: JsonSchema, ref: string, path: string): JsonSchema {
  const m = /^#\/(definitions|\$defs)\/([^/]+)$/.exec(ref);
  const target = m ? (root[m[1] as string] as Record<string, JsonSchema> | undefined)?.[m[2] as string] : undefined;
  return target ?? fail(path, `cannot resolve $ref ${ref}`);
}

function enumValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  return schema.enum as unknown[] | undefined;
}

/** The one non-null type; `['string', 'null']` becomes string + nullable. Inferred when absent. */
function typeOf(schema: JsonSchema, path: string): { type: StructuralSchema['type']; nullable: boolean } {
  let types: unknown[] = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = types.includes('null');
  types = types.filter((t) => t !== 'null');
  if (types.length > 1) fail(path, `type ${JSON.stringify(schema.type)}: Kubernetes allows one type (plus nullable)`);
  if (types.length === 1) return { type: types[0] as StructuralSchema['type'], nullable };
  if (schema.properties || schema.required || schema.additionalProperties !== undefined || schema.allOf) return { type: 'object', nullable };
  if (schema.items) return { type: 'array', nullable };
  const values = (enumValues(schema) ?? []).filter((v) => v !== null);
  const kinds = new Set(values.map((v) => (Number.isInteger(v) ? 'integer' : typeof v)));
  if (kinds.size === 1) {
    const kind = [...kinds][0] as string;
    if (['string', 'integer', 'number', 'boolean'].includes(kind)) return { type: kind as StructuralSchema['type'], nullable };
  }
  return fail(path, 'no type, and none can be inferred');
}

function convertObject(schema: JsonSchema, root: JsonSchema, path: string, refs: string[], out: StructuralSchema): void {
  const properties: Record<string, StructuralSchema> = {};
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    properties[name] = toStructural(sub, root, `${path}/properties/${name}`, refs);
  }
  const validations: CelValidation[] = [];
  ((schema.allOf ?? []) as JsonSchema[]).forEach((part, i) => {
    conditional(part, root, `${path}/allOf/${i}`, refs, properties, validations);
  });
  if (Object.keys(properties).length) out.properties = properties;
  if (Array.isArray(schema.required) && schema.required.length) out.required = [...(schema.required as string[])];
  if (validations.length) out['x-kubernetes-validations'] = validations;

  const additional = schema.additionalProperties;
  if (additional === false) return; // closed: unknown fields are pruned, or refused by kubectl's strict validation
  if (additional === undefined || additional === true) {
    // JSON schema leaves objects open: keep what graph-model does not model (newer API fields).
    out['x-kubernetes-preserve-unknown-fields'] = true;
    return;
  }
  if (out.properties) fail(path, 'additionalProperties beside properties is not structural');
  out.additionalProperties = toStructural(additional as JsonSchema, root, `${path}/additionalProperties`, refs);
}

/**
 * `allOf: [{ if: { properties: { k: { const: v } } }, then: { required, properties } }]`
 * (a discriminated union): `then`'s properties join the object's own (Kubernetes
 * needs every field declared outside junctors), its `required` becomes a CEL rule.
 */
function conditional(part: JsonSchema, root: JsonSchema, path: string, refs: string[], properties: Record<string, StructuralSchema>, validations: CelValidation[]): void {
  const { if: cond, then, ...rest } = part as { if?: JsonSchema; then?: JsonSchema };
  if (!cond || !then || Object.keys(rest).length) fail(path, 'only { if, then } entries are supported in allOf');
  const condProps = Object.entries(((cond as JsonSchema).properties ?? {}) as Record<string, JsonSchema>);
  const [discriminator, value] = condProps.length === 1 && Object.keys(cond as JsonSchema).length === 1 ? [condProps[0]?.[0], condProps[0]?.[1].const] : [];
  if (discriminator === undefined || value === undefined) fail(`${path}/if`, 'only { properties: { key: { const } } } conditions are supported');
  for (const key of Object.keys(then as JsonSchema)) if (key !== 'required' && key !== 'properties') fail(`${path}/then`, `"${key}" is not supported in then`);
  for (const [name, sub] of Object.entries(((then as JsonSchema).properties ?? {}) as Record<string, JsonSchema>)) {
    if (properties[name]) fail(`${path}/then/properties/${name}`, 'already declared; cannot merge two schemas of one property');
    properties[name] = toStructural(sub, root, `${path}/then/properties/${name}`, refs);
  }
  const required = ((then as JsonSchema).required ?? []) as string[];
  if (!required.length) return;
  const literal = JSON.stringify(value);
  // As in JSON schema, an absent discriminator matches the condition.
  validations.push({
    rule: `(has(self.${discriminator}) && self.${discriminator} != ${literal}) || (${required.map((r) => `has(self.${r})`).join(' && ')})`,
    message: `${discriminator} ${String(value)} requires ${required.join(', ')}`,
  });
}

function convertArray(schema: JsonSchema, root: JsonSchema, path: string, refs: string[], out: StructuralSchema): void {
  if (!schema.items || Array.isArray(schema.items)) fail(path, 'arrays need one items schema');
  out.items = toStructural(schema.items as JsonSchema, root, `${path}/items`, refs);
  if (schema.uniqueItems === true) {
    if (out.items.type === 'object' || out.items.type === 'array') fail(path, 'uniqueItems is only structural for scalar items (list-type set)');
    out['x-kubernetes-list-type'] = 'set';
  }
}
