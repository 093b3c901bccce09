/** Counters and histograms reported by operators, exported as Prometheus text. */
export type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  value: number;
}

interface HistogramSeries {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50, 100, 500, 1000, 5000];

/** Identity of a label set, independent of label order (hot path: called per operator metric call). */
function labelKey(l: Labels): string {
  const keys = Object.keys(l);
  if (keys.length > 1) keys.sort();
  let out = '';
  for (const k of keys) out += `${k}\u0001${l[k]}\u0002`;
  return out;
}

export class MetricsRegistry {
  private readonly counters = new Map<string, Map<string, Series>>();
  private readonly histograms = new Map<string, Map<string, HistogramSeries>>();
  private readonly kinds = new Map<string, 'counter' | 'histogram'>();

  /** Throws a message on a kind clash (surfaced to the guest as incompatible-type). */
  private claim(name: string, kind: 'counter' | 'histogram'): void {
    const existing = this.kinds.get(name);
    if (existing && existing !== kind) throw new Error(`metric "${name}" is a ${existing}, not a ${kind}`);
    this.kinds.set(name, kind);
  }

  addToCounter(name: string, value: number, labels: Labels): void {
    this.counter(name, labels).value += value;
  }

  /**
   * The series of a counter (created at 0 on first use). Adding to its
   * `value` is adding to the counter: the host imports keep it per call site
   * so that a call per message costs a Map look-up.
   */
  counter(name: string, labels: Labels): { value: number } {
    this.claim(name, 'counter');
    let series = this.counters.get(name);
    if (!series) {
      series = new Map<string, Series>();
      this.counters.set(name, series);
    }
    const key = labelKey(labels);
    let s = series.get(key);
    if (!s) {
      s = { labels, value: 0 };
      series.set(key, s);
    }
    return s;
  }

  recordToHistogram(name: string, value: number, labels: Labels): void {
    this.claim(name, 'histogram');
    const series = this.histograms.get(name) ?? new Map<string, HistogramSeries>();
    this.histograms.set(name, series);
    const key = labelKey(labels);
    let s = series.get(key);
    if (!s) {
      s = { labels, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      series.set(key, s);
    }
    BUCKETS.forEach((b, i) => {
      if (value <= b) s!.buckets[i]!++;
    });
    s.sum += value;
    s.count++;
  }

  counterValue(name: string, labels: Labels = {}): number {
    let total = 0;
    for (const s of this.counters.get(name)?.values() ?? []) {
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  toJSON(): { counters: { name: string; labels: Labels; value: number }[] } {
    const counters = [...this.counters].flatMap(([name, m]) => [...m.values()].map((s) => ({ name, labels: s.labels, value: s.value })));
    return { counters };
  }

  /** Prometheus text exposition format (version 0.0.4). */
  toPrometheus(prefix = 'wgs_operator_'): string {
    const lines: string[] = [];
    const fmt = (l: Labels) => {
      const parts = Object.entries(l).map(([k, v]) => `${sanitizeLabel(k)}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
      return parts.length ? `{${parts.join(',')}}` : '';
    };
    for (const [name, series] of this.counters) {
      const n = `${prefix}${sanitize(name)}_total`;
      lines.push(`# TYPE ${n} counter`);
      for (const s of series.values()) lines.push(`${n}${fmt(s.labels)} ${s.value}`);
    }
    for (const [name, series] of this.histograms) {
      const n = `${prefix}${sanitize(name)}`;
      lines.push(`# TYPE ${n} histogram`);
      for (const s of series.values()) {
        BUCKETS.forEach((b, i) => lines.push(`${n}_bucket${fmt({ ...s.labels, le: String(b) })} ${s.buckets[i]}`));
        lines.push(`${n}_bucket${fmt({ ...s.labels, le: '+Inf' })} ${s.count}`);
        lines.push(`${n}_sum${fmt(s.labels)} ${s.sum}`);
        lines.push(`${n}_count${fmt(s.labels)} ${s.count}`);
      }
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}

/** Metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
function sanitize(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** Label names: `[a-zA-Z_][a-zA-Z0-9_]*` (no colons, unlike metric names). */
function sanitizeLabel(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}
