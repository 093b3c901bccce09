/** Small helpers shared by the benchmarks: percentiles, formatting, tables. */

export interface SummaryRow {
  bench: string;
  metric: string;
  value: string;
  baseline: string;
  ratio: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

/** Renders rows as an aligned text table (first row = header). */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

export function summaryTable(rows: SummaryRow[]): string {
  return table([['bench', 'metric', 'value', 'baseline', 'ratio'], ...rows.map((r) => [r.bench, r.metric, r.value, r.baseline, r.ratio])]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether this module is the process's entry (run directly with tsx). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return new URL(metaUrl).pathname === entry || new URL(metaUrl).pathname.replace(/\.ts$/, '') === entry.replace(/\.ts$/, '');
  } catch {
    return false;
  }
}
