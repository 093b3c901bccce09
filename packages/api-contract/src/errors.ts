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
  invalid: 'invalid-resource',
  notFound: 'not-found',
  conflict: 'conflict',
  unauthorized: 'unauthorized',
  tooLarge: 'payload-too-large',
  unavailable: 'store-unavailable',
  internal: 'internal',
} as const;
