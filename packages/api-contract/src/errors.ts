import { Type, type Static } from '@sinclair/typebox';

/** Where a problem is: a path in the document and, when known, its line and column. */
export const Where = Type.Object({
  path: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  rule: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  severity: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('warning')])),
});

/** Every error the API returns has this body. */
export const ErrorBody = Type.Object({
  code: Type.String({ description: 'stable machine-readable code, e.g. invalid-graph, conflict, not-found' }),
  message: Type.String(),
  where: Type.Optional(Type.Array(Where)),
  /** On 409: the version the server holds. */
  current: Type.Optional(Type.Unknown()),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const ERROR_CODES = {
  badRequest: 'bad-request',
  /** A JSON body nested deeper than the server parses. */
  tooDeep: 'json-too-deep',
  /** A resource name in the URL that is not a DNS-1123 subdomain. */
  invalidName: 'invalid-name',
  /** An artifact reference that does not parse (`name:version` or `name@digest`). */
  invalidReference: 'invalid-reference',
  /** A document that took longer than the server allows to validate. */
  validationTimeout: 'validation-timeout',
  /** Too many validations queued: retry later. */
  busy: 'busy',
  invalid: 'invalid-resource',
  /** A message schema whose text cannot be stored (not JSON, not a JSON object). */
  invalidSchema: 'invalid-schema',
  /** A data flow names a message schema that is not in the schema store (preview). */
  schemaNotFound: 'schema-not-found',
  notFound: 'not-found',
  conflict: 'conflict',
  unauthorized: 'unauthorized',
  tooLarge: 'payload-too-large',
  unavailable: 'store-unavailable',
  internal: 'internal',
  artifactNotFound: 'artifact-not-found',
  wrongArtifact: 'wrong-artifact',
  registryUnreachable: 'registry-unreachable',
  registryAuth: 'registry-auth',
  /** The registry answered more than the client reads (endless or oversized body). */
  registryTooLarge: 'registry-answer-too-large',
  registryError: 'registry-error',
} as const;

/** Kubernetes DNS-1123 subdomain: what a resource name in a URL may be. */
export const RESOURCE_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** A resource name as a route parameter. */
export const ResourceName = Type.String({ pattern: RESOURCE_NAME_PATTERN, minLength: 1, maxLength: 253, description: 'a DNS-1123 subdomain: lowercase letters, digits, "-" and "."' });
