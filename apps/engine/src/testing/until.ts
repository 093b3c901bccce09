/**
 * Polls `probe` every 200 ms until it gives a value (not undefined, not false):
 * the engine tests wait this way for what the engine writes into the cluster.
 * On timeout the error carries `context()` (the last log lines) to say why.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms: number, context: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms\n${context()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
