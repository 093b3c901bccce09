import { Type, type Static } from '@sinclair/typebox';

/**
 * Message schemas (`aio-sr://<namespace>/<name>:<version>`) the preview and
 * the engine give operators: `/api/schemas`. Namespace, name and version are
 * Kubernetes label values (graph-model `SCHEMA_ID_PATTERN`, checked by the
 * server: 400 `invalid-name`).
 */
export const SchemaIdParams = Type.Object({
  namespace: Type.String({ maxLength: 63 }),
  name: Type.String({ maxLength: 63 }),
  version: Type.String({ maxLength: 63 }),
});
export type SchemaIdParams = Static<typeof SchemaIdParams>;

export const SchemaFormat = Type.Union([Type.Literal('json'), Type.Literal('delta')]);

/** PUT body: the schema text (a JSON Schema object for `json`, the default). */
export const SchemaPutRequest = Type.Object({
  format: Type.Optional(SchemaFormat),
  content: Type.String({ minLength: 1, maxLength: 1_000_000 }),
}, { additionalProperties: false });
export type SchemaPutRequest = Static<typeof SchemaPutRequest>;

export const SchemaSummary = Type.Object({
  namespace: Type.String(),
  name: Type.String(),
  version: Type.String(),
  format: SchemaFormat,
  /** `aio-sr://<namespace>/<name>:<version>`, as a DataflowGraph connection names it. */
  ref: Type.String(),
});
export type SchemaSummary = Static<typeof SchemaSummary>;

export const MessageSchema = Type.Object({ ...SchemaSummary.properties, content: Type.String() });
export type MessageSchema = Static<typeof MessageSchema>;

export const SchemaList = Type.Object({
  items: Type.Array(SchemaSummary),
  /** Objects that look like schemas but cannot be read, each with the reason (e.g. a ConfigMap without data.schema). */
  problems: Type.Array(Type.String()),
  /** Where the schemas are kept. */
  store: Type.String(),
});
export type SchemaList = Static<typeof SchemaList>;
