export interface StartupInfo {
  host: string;
  port: number;
  token: string;
  /** True when the token was made at this start: then, and only then, it is printed. */
  generated: boolean;
  /** Where the token is kept: the environment variable or the token file. */
  from: string;
}

/**
 * What `pnpm start` prints about the address and the token. A configured
 * token (WGS_TOKEN, or the token file of an earlier start) is never printed,
 * only where it is, so terminals and collected logs never hold it.
 */
export function startupLines(s: StartupInfo): string[] {
  // A wildcard bind is reachable on loopback, the address the default allowed origins cover.
  const host = s.host === '0.0.0.0' || s.host === '::' ? '127.0.0.1' : s.host;
  const url = `http://${host}:${s.port}/`;
  if (s.generated) return [`designer: ${url}?token=${s.token}`, `(a new token, saved in ${s.from})`];
  return [`designer: ${url}?token=<token>  (the token is in ${s.from})`];
}
