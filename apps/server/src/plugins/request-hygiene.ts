/**
 * Bounds on what a request may cost before a route sees it: JSON bodies are
 * refused past MAX_JSON_DEPTH levels of nesting (deeper ones overflowed the
 * stack in later recursive steps: a 500), and the app gets a validation pool
 * that validates documents off the event loop.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '@wgs/api-contract';
import { ValidationPool, type ValidationPoolOptions } from '../validation/pool.ts';
import { ApiError } from './errors.ts';

/** Nesting levels of objects and arrays a JSON body may have (a DataflowGraph needs under 10). */
export const MAX_JSON_DEPTH = 64;

declare module 'fastify' {
  interface FastifyInstance {
    /** Validates request documents in worker threads. */
    validation: ValidationPool;
  }
}

/** The deepest nesting of `{`/`[` in JSON text, strings skipped; stops counting past `limit`. Linear, no recursion. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Fastify constructor options: route parameters up to 1,000 characters reach
 * the route schemas (which then say why a name is invalid), and the router's
 * own refusals (longer parameters: 414, malformed percent-encoding: 400) use
 * the API's error shape instead of Fastify's.
 */
export const REQUEST_LINE_OPTIONS = {
  routerOptions: { maxParamLength: 1_000 },
  frameworkErrors: (error: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
    void reply.status(error.statusCode ?? 400).send({ code: ERROR_CODES.badRequest, message: error.message });
  },
};

export function registerRequestHygiene(app: FastifyInstance, options: ValidationPoolOptions = {}): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonDepth(body as string, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(new ApiError(400, { code: ERROR_CODES.tooDeep, message: `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels` }), undefined);
      return;
    }
    parse(req, body as string, done);
  });
  const pool = new ValidationPool(options);
  app.decorate('validation', pool);
  app.addHook('onClose', async () => pool.close());
}
