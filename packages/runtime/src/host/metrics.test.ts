import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.ts';

/** Sample lines of a Prometheus exposition, keyed by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/**
 * A strict check of the text format 0.0.4 as far as this exporter uses it:
 * every line is a TYPE comment or a sample, metric and label names are valid,
 * label values are correctly escaped, each metric has exactly one TYPE line
 * that precedes its samples, and the text ends with a newline.
 */
function expectWellFormed(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
  const typed = new Map<string, string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE (\S+) (counter|histogram)$/.exec(line);
    if (type) {
      expect(metricName.test(type[1]!), `metric name ${type[1]}`).toBe(true);
      expect(typed.has(type[1]!), `duplicate TYPE for ${type[1]}`).toBe(false);
      typed.set(type[1]!, type[2]!);
      continue;
    }
    const sample = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(sample, `line "${line}"`).not.toBeNull();
    const [, name, labels, value] = sample!;
    expect(metricName.test(name!), `metric name ${name}`).toBe(true);
    expect(Number.isNaN(Number(value)) && value !== 'NaN').toBe(false);
    const family = typed.has(name!) ? name! : name!.replace(/_(bucket|sum|count)$/, '');
    expect(typed.has(family), `sample ${name} before/without its TYPE line`).toBe(true);
    if (labels !== undefined) {
      // name="value" pairs; a value is any run of non-quote/backslash chars or \\, \", \n escapes.
      const pair = /([^=,]+)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"/y;
      let pos = 0;
      while (pos < labels.length) {
        pair.lastIndex = pos;
        const m = pair.exec(labels);
        expect(m, `labels "${labels}" at ${pos}`).not.toBeNull();
        expect(labelName.test(m![1]!), `label name ${m![1]}`).toBe(true);
        pos = pair.lastIndex;
        if (pos < labels.length) {
          expect(labels[pos]).toBe(',');
          pos++;
        }
      }
    }
  }
}

describe('MetricsRegistry counters', () => {
  it('adds up values per label set, whatever the label order', () => {
    const m = new MetricsRegistry();
    m.addToCounter('requests', 1, { operation: 'map', unit: 'F' });
    m.addToCounter('requests', 2, { unit: 'F', operation: 'map' });
    m.addToCounter('requests', 5, { operation: 'map', unit: 'C' });
    m.addToCounter('requests', 7, { operation: 'filter' });
    expect(m.counterValue('requests', { operation: 'map', unit: 'F' })).toBe(3);
    expect(m.counterValue('requests', { operation: 'map' })).toBe(8);
    expect(m.counterValue('requests')).toBe(15);
    expect(m.counterValue('requests', { operation: 'branch' })).toBe(0);
    expect(m.counterValue('other')).toBe(0);
    expect(m.toJSON().counters).toHaveLength(3);
    expect(m.toJSON().counters).toContainEqual({ name: 'requests', labels: { operation: 'map', unit: 'F' }, value: 3 });
  });

  it('exports counters with a _total suffix and one line per label set', () => {
    const m = new MetricsRegistry();
    m.addToCounter('requests', 2, { operation: 'm' });
    m.addToCounter('requests', 3, { operation: 'm' });
    m.addToCounter('requests', 1, { operation: 'f' });
    const text = m.toPrometheus();
    expectWellFormed(text);
    expect(text).toContain('# TYPE wgs_operator_requests_total counter\n');
    const s = samples(text);
    expect(s.get('wgs_operator_requests_total{operation="m"}')).toBe(5);
    expect(s.get('wgs_operator_requests_total{operation="f"}')).toBe(1);
    expect(s.size).toBe(2);
  });

  it('exports a counter without labels with no braces, and honours the prefix', () => {
    const m = new MetricsRegistry();
    m.addToCounter('ticks', 4, {});
    expect(m.toPrometheus('x_')).toBe('# TYPE x_ticks_total counter\nx_ticks_total 4\n');
  });

  it('an empty registry exports an empty text', () => {
    expect(new MetricsRegistry().toPrometheus()).toBe('');
  });
});

describe('MetricsRegistry histograms', () => {
  it('counts cumulative buckets, sum and count', () => {
    const m = new MetricsRegistry();
    for (const v of [0.003, 0.2, 7, 7, 20_000]) m.recordToHistogram('latency', v, { operation: 'map' });
    const text = m.toPrometheus();
    expectWellFormed(text);
    expect(text).toContain('# TYPE wgs_operator_latency histogram\n');
    const s = samples(text);
    const bucket = (le: string) => s.get(`wgs_operator_latency_bucket{operation="map",le="${le}"}`);
    expect(bucket('0.001')).toBe(0);
    expect(bucket('0.005')).toBe(1);
    expect(bucket('0.1')).toBe(1);
    expect(bucket('0.5')).toBe(2);
    expect(bucket('5')).toBe(2);
    expect(bucket('10')).toBe(4);
    expect(bucket('5000')).toBe(4);
    expect(bucket('+Inf')).toBe(5);
    expect(s.get('wgs_operator_latency_sum{operation="map"}')).toBeCloseTo(20_014.203, 6);
    expect(s.get('wgs_operator_latency_count{operation="map"}')).toBe(5);
  });

  it('an observation equal to a bound falls into that bucket (le is inclusive)', () => {
    const m = new MetricsRegistry();
    m.recordToHistogram('h', 1, {});
    const s = samples(m.toPrometheus());
    expect(s.get('wgs_operator_h_bucket{le="0.5"}')).toBe(0);
    expect(s.get('wgs_operator_h_bucket{le="1"}')).toBe(1);
  });

  it('buckets are non-decreasing and end at the count', () => {
    const m = new MetricsRegistry();
    for (let i = 0; i < 50; i++) m.recordToHistogram('h', i * i * 0.37, { op: 'a' });
    const s = samples(m.toPrometheus());
    const buckets = [...s].filter(([k]) => k.startsWith('wgs_operator_h_bucket')).map(([, v]) => v);
    expect(buckets.length).toBe(15);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!).toBeGreaterThanOrEqual(buckets[i - 1]!);
    expect(buckets.at(-1)).toBe(50);
    expect(s.get('wgs_operator_h_count{op="a"}')).toBe(50);
  });

  it('keeps separate series per label set', () => {
    const m = new MetricsRegistry();
    m.recordToHistogram('h', 1, { op: 'a' });
    m.recordToHistogram('h', 2, { op: 'b' });
    m.recordToHistogram('h', 3, { op: 'b' });
    const s = samples(m.toPrometheus());
    expect(s.get('wgs_operator_h_count{op="a"}')).toBe(1);
    expect(s.get('wgs_operator_h_count{op="b"}')).toBe(2);
    expect(s.get('wgs_operator_h_sum{op="b"}')).toBe(5);
  });
});

describe('MetricsRegistry kind clash', () => {
  it('a histogram name used as a counter throws, and vice versa', () => {
    const m = new MetricsRegistry();
    m.addToCounter('requests', 1, {});
    expect(() => m.recordToHistogram('requests', 1, {})).toThrow(/"requests" is a counter, not a histogram/);
    m.recordToHistogram('latency', 1, {});
    expect(() => m.addToCounter('latency', 1, {})).toThrow(/"latency" is a histogram, not a counter/);
    // The clash recorded nothing.
    expect(m.counterValue('latency')).toBe(0);
    const text = m.toPrometheus();
    expect(text).not.toContain('wgs_operator_requests_bucket');
    expect(text).not.toContain('wgs_operator_latency_total');
  });
});

describe('MetricsRegistry Prometheus text', () => {
  it('escapes backslashes, quotes and newlines in label values', () => {
    const m = new MetricsRegistry();
    m.addToCounter('c', 1, { path: 'C:\\temp\\x', quote: 'say "hi"', multi: 'line1\nline2' });
    const text = m.toPrometheus();
    expectWellFormed(text);
    expect(text).toContain('path="C:\\\\temp\\\\x"');
    expect(text).toContain('quote="say \\"hi\\""');
    expect(text).toContain('multi="line1\\nline2"');
    // One sample line: the newline in the value did not break the line.
    expect(text.split('\n').filter((l) => l.startsWith('wgs_operator_c_total'))).toHaveLength(1);
  });

  it('sanitises metric names and label names', () => {
    const m = new MetricsRegistry();
    m.addToCounter('module-temperature/map.requests', 1, { 'otel/factory-id': 'A', '9lives': 'x', 'ns:key': 'y' });
    m.recordToHistogram('2fast', 0.3, {});
    const text = m.toPrometheus();
    expectWellFormed(text);
    expect(text).toContain('# TYPE wgs_operator_module_temperature_map_requests_total counter');
    expect(text).toContain('otel_factory_id="A"');
    expect(text).toContain('_9lives="x"');
    // Colons are allowed in metric names but not in label names.
    expect(text).toContain('ns_key="y"');
    // Without a prefix, a name starting with a digit still yields a valid metric name.
    const bare = m.toPrometheus('');
    expectWellFormed(bare);
    expect(bare).toContain('# TYPE _2fast histogram\n');
    expect(bare).toContain('_2fast_count 1\n');
  });

  it('a mixed registry is well-formed and lists each TYPE once', () => {
    const m = new MetricsRegistry();
    m.addToCounter('requests', 1, { operation: 'a' });
    m.addToCounter('requests', 1, { operation: 'b' });
    m.recordToHistogram('latency', 0.02, { operation: 'a' });
    m.recordToHistogram('latency', 0.7, { operation: 'b' });
    const text = m.toPrometheus();
    expectWellFormed(text);
    expect(text.match(/^# TYPE/gm)).toHaveLength(2);
  });
});
