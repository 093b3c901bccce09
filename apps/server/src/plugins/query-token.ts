/**
 * The `?token=` query parameter, read and redacted by its decoded key, so
 * `?%74oken=…` is the same parameter for both: whatever authenticates is
 * never logged. URLSearchParams decodes keys as form data (percent escapes and `+`).
 */

// Redaction is looser than authentication (any case, spaces around): it must cover everything that could be a token.
const isTokenKey = (key: string) => key.trim().toLowerCase() === 'token';

function queryOf(url: string): string | undefined {
  const q = url.indexOf('?');
  return q < 0 ? undefined : url.slice(q + 1).split('#')[0];
}

/** The token given in the query; undefined when absent, empty or given more than once. */
export function queryToken(url: string): string | undefined {
  const query = queryOf(url);
  if (query === undefined) return undefined;
  const values = [...new URLSearchParams(query)].filter(([k]) => k === 'token').map(([, v]) => v);
  return values.length === 1 && values[0] ? values[0] : undefined;
}

/** The URL with every token parameter's value replaced, for logs. */
export function redactUrl(url: string): string {
  const query = queryOf(url);
  if (query === undefined) return url;
  const params = [...new URLSearchParams(query)];
  if (!params.some(([k]) => isTokenKey(k))) return url;
  const path = url.slice(0, url.indexOf('?'));
  return `${path}?${params.map(([k, v]) => `${encodeURIComponent(k)}=${isTokenKey(k) ? '[Redacted]' : encodeURIComponent(v)}`).join('&')}`;
}
