/**
 * Reading a registry's answer with an upper bound: the body is streamed and
 * the read stops (the connection is cancelled) as soon as the bound is passed,
 * so an endless or oversized answer costs at most the bound in memory.
 */

/** JSON answers (manifests, catalog and tag pages, token responses): the OCI spec's manifest limit. */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Error bodies: only their first line is shown. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** A blob whose size is not declared, and the largest declared size accepted (modules are KBs to MBs). */
export const MAX_BLOB_BYTES = 1024 * 1024 * 1024;

/** Thrown by readCapped when the body passes its bound. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The whole body, or a BodyTooLargeError once more than `limit` bytes arrive
 * (or when Content-Length already says so). With `truncate`, the first
 * `limit` bytes instead of the error.
 */
export async function readCapped(res: Response, limit: number, truncate = false): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (!truncate && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.length > limit) {
      await reader.cancel().catch(() => {});
      if (!truncate) throw new BodyTooLargeError(limit);
      chunks.push(value.subarray(0, limit - total));
      total = limit;
      break;
    }
    chunks.push(value);
    total += value.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
