import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_CODES, RESOURCE_PLURALS, type ErrorBody } from '@wgs/api-contract';
import { ConflictError, InvalidNameError, NotFoundError, StoreUnavailableError } from '@wgs/cluster-store';
import { ValidationError } from '@wgs/graph-model';
import { ArtifactKindError, ArtifactNotFoundError, RegistryAuthError, RegistryError, RegistryUnreachableError, ResponseTooLargeError, UnusableAuthenticationError } from '@wgs/registry';
import { NotAComponentError } from '@wgs/runtime';
import { ValidationBusyError, ValidationTimeoutError } from '../validation/pool.ts';

/** An error with its HTTP status and API body. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message);
  }
}

/** Maps every failure to `{code, message, where}`; the process keeps serving. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ValidationError) {
    return new ApiError(422, { code: ERROR_CODES.invalid, message: 'the resource is not valid', where: e.diagnostics.map(({ segments: _s, ...d }) => d) });
  }
  if (e instanceof ConflictError) return new ApiError(409, { code: ERROR_CODES.conflict, message: e.message, current: e.current });
  if (e instanceof NotFoundError) return new ApiError(404, { code: ERROR_CODES.notFound, message: e.message });
  if (e instanceof InvalidNameError) return new ApiError(400, { code: ERROR_CODES.invalidName, message: e.message });
  if (e instanceof ValidationTimeoutError) return new ApiError(422, { code: ERROR_CODES.validationTimeout, message: e.message });
  if (e instanceof ValidationBusyError) return new ApiError(503, { code: ERROR_CODES.busy, message: e.message });
  if (e instanceof ArtifactNotFoundError) return new ApiError(404, { code: ERROR_CODES.artifactNotFound, message: e.message });
  if (e instanceof RegistryUnreachableError) return new ApiError(502, { code: ERROR_CODES.registryUnreachable, message: e.message });
  if (e instanceof RegistryAuthError || e instanceof UnusableAuthenticationError) return new ApiError(502, { code: ERROR_CODES.registryAuth, message: e.message });
  if (e instanceof ArtifactKindError || e instanceof NotAComponentError) return new ApiError(422, { code: ERROR_CODES.wrongArtifact, message: e.message });
  if (e instanceof ResponseTooLargeError) return new ApiError(502, { code: ERROR_CODES.registryTooLarge, message: e.message });
  if (e instanceof RegistryError) return new ApiError(502, { code: ERROR_CODES.registryError, message: e.message });
  if ((e as { status?: number }).status === 404) return new ApiError(404, { code: ERROR_CODES.notFound, message: (e as Error).message });
  if (e instanceof StoreUnavailableError) return new ApiError(503, { code: ERROR_CODES.unavailable, message: e.message });
  const fe = e as FastifyError;
  if (fe.validation && fe.validationContext === 'params' && fe.validation.some((v) => v.instancePath === '/name')) {
    return new ApiError(400, {
      code: ERROR_CODES.invalidName,
      message: 'invalid resource name in the URL: a DNS-1123 subdomain is lowercase letters, digits, "-" and ".", starts and ends with a letter or digit, at most 253 characters',
      where: [{ path: 'params.name', message: fe.message }],
    });
  }
  if (fe.validation && fe.validationContext === 'params' && fe.validation.some((v) => v.instancePath === '/plural')) {
    return new ApiError(400, { code: ERROR_CODES.badRequest, message: `the URL names no resource kind: expected /api/<kind> with <kind> one of ${Object.keys(RESOURCE_PLURALS).join(', ')}` });
  }
  if (fe.validation) {
    return new ApiError(400, { code: ERROR_CODES.badRequest, message: fe.message, where: fe.validation.map((v) => ({ path: v.instancePath, message: v.message })) });
  }
  if (fe.statusCode === 413) return new ApiError(413, { code: ERROR_CODES.tooLarge, message: fe.message });
  if (fe.statusCode && fe.statusCode < 500) return new ApiError(fe.statusCode, { code: ERROR_CODES.badRequest, message: fe.message });
  return new ApiError(500, { code: ERROR_CODES.internal, message: (e as Error).message ?? String(e) });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((e, req, reply) => {
    const api = toApiError(e);
    if (api.status >= 500) req.log.error({ err: e }, 'request failed');
    void reply.status(api.status).send(api.body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ code: ERROR_CODES.notFound, message: `no route ${req.method} ${req.url.split('?')[0]}` } satisfies ErrorBody);
  });
}
