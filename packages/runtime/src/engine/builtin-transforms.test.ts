/**
 * The built-in transforms (map, filter, branch, concatenate, window, throttle)
 * and their expression language, on the REAL components the operators' build
 * publishes (`azureiotoperations/graph-dataflow-<kind>:1.0.0` in the embedded
 * registry; `pnpm build` first). Cases follow the reference's worked examples
 * (aio-builtin-transforms.md §1.4, §2, §3) and the decisions in
 * docs/architecture.md, "Built-in transforms".
 */
import { hlcFromMillis, loadGraphDefinition, type GraphDefinition } from '@wgs/graph-model';
import { embeddedRegistry, pullArtifact } from '@wgs/registry';
import { describe, expect, it } from 'vitest';
import { InitFailedError } from '../components/operator-instance.ts';
import { fromUtf8, utf8, type Item, type MessageItem } from '../data-model.ts';
import { LayoutModuleResolver } from '../module-resolver.ts';
import { GraphEngine, type EngineEvent } from './graph-engine.ts';
import { instantiateGraph, type GraphInstances, type LogRecord } from './graph-instance.ts';

const resolver = new LayoutModuleResolver();
const graphs = new Map<string, GraphDefinition>();

async function builtinGraph(kind: string): Promise<GraphDefinition> {
  let g = graphs.get(kind);
  if (!g) {
    const pulled = await pullArtifact(embeddedRegistry(), `azureiotoperations/graph-dataflow-${kind}`, '1.0.0', { expect: 'graph' });
    g = loadGraphDefinition(new TextDecoder().decode(pulled.content));
    graphs.set(kind, g);
  }
  return g;
}

interface Built {
  g: GraphDefinition;
  gi: GraphInstances;
  logs: LogRecord[];
}

/** A built-in transform started with DataflowGraph-style configuration (values are JSON strings). */
async function builtin(kind: string, configuration: Record<string, unknown>): Promise<Built> {
  const g = await builtinGraph(kind);
  const logs: LogRecord[] = [];
  const values = Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const gi = await instantiateGraph({ graph: g, resolver, configuration: values, onLog: (r) => logs.push(r) });
  return { g, gi, logs };
}

/** Why a built-in refused to start (its init log), or undefined when it started. */
async function initError(kind: string, configuration: Record<string, unknown>): Promise<string | undefined> {
  const g = await builtinGraph(kind);
  const logs: LogRecord[] = [];
  const values = Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  try {
    await instantiateGraph({ graph: g, resolver, configuration: values, onLog: (r) => logs.push(r) });
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(InitFailedError);
    return logs.filter((l) => l.level === 'error').map((l) => l.message).join('\n') || (e as Error).message;
  }
}

function msg(payload: string | object, o: { ms?: number; counter?: bigint; topic?: string; props?: [string, string][]; contentType?: string } = {}): MessageItem {
  return {
    kind: 'message',
    timestamp: hlcFromMillis(o.ms ?? 1_000, o.counter ?? 0n, 'test-node'),
    topic: utf8(o.topic ?? 'sensors'),
    payload: utf8(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    userProperties: o.props ?? [],
    ...(o.contentType ? { contentType: o.contentType } : {}),
  };
}

function run(b: Built, items: Item[], close = true) {
  const outputs: { sink: string; item: MessageItem }[] = [];
  const errors: Extract<EngineEvent, { type: 'error' }>[] = [];
  const engine = new GraphEngine(b.g, b.gi.instances, {
    onSink: (sink, item) => outputs.push({ sink, item: item as MessageItem }),
    onError: (e) => errors.push(e),
  });
  for (const i of items) engine.ingest(i);
  if (close) engine.advance();
  return { outputs, errors, payloads: outputs.map((o) => fromUtf8(o.item.payload)), engine };
}

/** The raw JSON text of a top-level key of a compact JSON object (to tell 56.0 from 56). */
function raw(json: string, key: string): string | undefined {
  const at = json.indexOf(`"${key}":`);
  if (at < 0) return undefined;
  let i = at + key.length + 3;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) break;
  }
  return json.slice(start, i);
}

/** Evaluates expressions through one map (one rule per expression, outputs r0, r1, …) over one payload. */
async function evaluate(cases: { inputs?: string[]; expression: string }[], payload: object = {}): Promise<(string | undefined)[]> {
  const rules = { map: cases.map((c, i) => ({ inputs: c.inputs ?? [], output: `r${i}`, expression: c.expression })) };
  const b = await builtin('map', { rules });
  const r = run(b, [msg(payload)]);
  expect(r.errors).toEqual([]);
  expect(r.payloads).toHaveLength(1);
  return cases.map((_, i) => raw(r.payloads[0]!, `r${i}`));
}

/** One expression over one payload that must fail: the message is dropped with this error. */
async function failure(expression: string, inputs: string[] = [], payload: object | string = {}): Promise<string> {
  const b = await builtin('map', { rules: { map: [{ inputs, output: 'r', expression, description: 'under test' }] } });
  const r = run(b, [msg(payload)]);
  expect(r.outputs).toEqual([]);
  expect(r.errors).toHaveLength(1);
  return r.errors[0]!.message;
}

const PAYLOAD = { i: 7, j: 2, f: 2.5, n: -3.7, s: '  Hello World  ', t: [1, 2, 3], raw: 2048, obj: { x: 1 } };

describe('expression language: literals, types and operator precedence (§2.2, §2.3)', () => {
  it('follows the precedence table: ! and unary minus, then ^ (right-associative), * / %, + -, relational, equality, &&, ||', async () => {
    const out = await evaluate([
      { inputs: ['i'], expression: '$1 * 2 ^ 3' }, // documented: $1 * 8; ^ gives a float
      { inputs: ['i'], expression: '-$1 * 2' }, // documented: negation first
      { expression: '2 + 3 * 4' },
      { expression: '(2 + 3) * 4' },
      { expression: '2 ^ 3 ^ 2' },
      { expression: '-2 ^ 2' }, // prefix operators bind tighter than ^ (table level 1)
      { expression: '!true == false' },
      { expression: 'true == 1 < 2' }, // relational binds tighter than equality
      { expression: 'false && true || true' },
      { expression: 'true || true && false' },
      { expression: '10 - 4 - 3' },
      { expression: '2 * 3 % 4' },
      { expression: '!(1 > 2)' },
    ], PAYLOAD);
    expect(out).toEqual(['56.0', '-14', '14', '20', '512.0', '4.0', 'true', 'true', 'true', 'true', '3', '2', 'true']);
  });

  it('integer and float arithmetic, mixed equality, string concatenation and comparison', async () => {
    const out = await evaluate([
      { expression: '7 / 2' },
      { expression: '-7 / 2' },
      { expression: '7 % 3' },
      { expression: '7.0 / 2' },
      { expression: '1 == 1.0' },
      { expression: '"a" + 1' },
      { expression: '1.5 + "x"' },
      { expression: '2.0 + "x"' },
      { expression: '"abc" < "abd"' },
      { expression: '"say \\"hi\\""' },
      { expression: "'High'" },
      { expression: '(1, 2.5, "x")' },
      { expression: '()' },
      { expression: '1e3' },
      { expression: '"a" == 1' },
      { inputs: ['f', 'i'], expression: '$1 + $2' },
      { inputs: ['s', 'i'], expression: '$1 + $2' },
    ], PAYLOAD);
    expect(out).toEqual(['3', '-3', '1', '3.5', 'true', '"a1"', '"1.5x"', '"2.0x"', 'true', '"say \\"hi\\""', '"High"', '[1,2.5,"x"]', undefined, '1000.0', 'false', '9.5', '"  Hello World  7"']);
  });

  it('typeof names every type; JSON numbers with a fraction are floats, arrays of primitives tuples, null empty', async () => {
    const out = await evaluate(
      ['s', 'f', 'i', 'b', 't', 'missing', 'nul', 'whole'].map((field) => ({ inputs: [field], expression: 'typeof($1)' })),
      { ...PAYLOAD, b: true, nul: null, whole: 23.0 },
    );
    // JSON.stringify writes 23.0 as 23, so "whole" arrives as an int here.
    expect(out).toEqual(['"string"', '"float"', '"int"', '"boolean"', '"tuple"', '"empty"', '"empty"', '"int"']);
    const b = await builtin('map', { rules: { map: [{ inputs: ['whole'], output: 'r', expression: 'typeof($1)' }] } });
    expect(run(b, [msg('{"whole":23.0}')]).payloads).toEqual(['{"r":"float"}']);
  });

  it("rejects at init: the words and/or/not, unknown functions, aggregations outside windows, unknown $ references, $n beyond the inputs", async () => {
    const refuse = (expression: string, inputs: string[] = ['i', 'j']) => initError('map', { rules: { map: [{ inputs, output: 'r', expression }] } });
    expect(await refuse('$1 > 1 and $2 < 3')).toMatch(/"and" is not an operator/);
    expect(await refuse('not $1')).toMatch(/"not" is not an operator/);
    expect(await refuse('foo($1)')).toMatch(/unknown function "foo"/);
    expect(await refuse('average($1)')).toMatch(/aggregation; it exists only in window accumulate rules/);
    expect(await refuse('$metadata.topic')).toMatch(/belong in "inputs"/);
    expect(await refuse('$3 + 1')).toMatch(/uses \$3 but the rule has 2 input/);
    expect(await refuse('$1 = 2')).toMatch(/use "=="/);
    expect(await refuse('($1 + 2')).toMatch(/expected "\)"/);
    expect(await refuse('round_n($1)')).toMatch(/round_n\(\) takes 2 argument/);
    expect(await refuse('str::regex_matches($1, "(")')).toMatch(/invalid regular expression/);
    expect(await refuse('$1 + 1', ['i'])).toBeUndefined();
  });
});

describe('expression language: built-in functions (§2.4)', () => {
  it('unit conversions return floats', async () => {
    const fns: [string, number, number][] = [
      ['cToF', 100, 212], ['fToC', 212, 100], ['psiToBar', 100, 6.89476], ['barToPsi', 1, 1 / 0.0689476], ['inToCm', 2, 5.08],
      ['cmToIn', 5.08, 2], ['ftToM', 10, 3.048], ['mToFt', 3.048, 10], ['lbToKg', 2, 0.907184], ['kgToLb', 0.907184, 2],
      ['galToL', 2, 7.57082], ['lToGal', 7.57082, 2],
    ];
    const out = await evaluate(fns.map(([f, x]) => ({ expression: `${f}(${x})` })));
    fns.forEach(([f, , want], k) => {
      expect(Number(out[k]), f).toBeCloseTo(want, 9);
      expect(out[k], f).toMatch(/\.|e/); // always a float
    });
    expect((await evaluate([{ inputs: ['i'], expression: 'cToF($1)' }], { i: 100 }))[0]).toBe('212.0');
  });

  it('scale, round_n, floor, ceil, round (half away from zero)', async () => {
    const out = await evaluate([
      { inputs: ['raw'], expression: 'scale($1, 0, 4095, 0, 100)' },
      { expression: 'scale(5, 0, 10, 100, 200)' },
      { expression: 'round_n(3.14159, 2)' },
      { expression: 'round_n(2.5, 0)' },
      { expression: 'round(2.5)' },
      { expression: 'round(-2.5)' },
      { expression: 'floor(-3.7)' },
      { expression: 'ceil(-3.7)' },
      { expression: 'floor(7)' },
      { expression: 'round_n(23.0 - 19.8, 1)' },
    ], PAYLOAD);
    expect(Number(out[0])).toBe((2048 * 100) / 4095);
    expect(out.slice(1)).toEqual(['150.0', '3.14', '3.0', '3.0', '-3.0', '-4.0', '-3.0', '7', '3.2']);
  });

  it('math:: functions', async () => {
    const out = await evaluate([
      { expression: 'math::abs(-3.7)' }, { expression: 'math::abs(-7)' }, { expression: 'math::sqrt(16)' }, { expression: 'math::cbrt(27)' },
      { expression: 'math::ln(1)' }, { expression: 'math::log2(8)' }, { expression: 'math::log10(1000)' }, { expression: 'math::log(8, 2)' },
      { expression: 'math::exp(0)' }, { expression: 'math::exp2(10)' }, { expression: 'math::pow(2, 10)' }, { expression: 'math::sin(0)' },
      { expression: 'math::cos(0)' }, { expression: 'math::tan(0)' }, { expression: 'math::asin(1)' }, { expression: 'math::acos(1)' },
      { expression: 'math::atan(1)' }, { expression: 'math::atan2(1, 1)' }, { expression: 'math::hypot(3, 4)' },
      { expression: 'typeof(math::sqrt(-1))' }, { expression: 'math::sqrt(-1) == math::sqrt(-1)' },
    ]);
    const want = [3.7, 7, 4, 3, 0, 3, 3, 3, 1, 1024, 1024, 0, 1, 0, Math.PI / 2, 0, Math.PI / 4, Math.PI / 4, 5];
    want.forEach((w, k) => expect(Number(out[k]), `case ${k}`).toBeCloseTo(w, 12));
    expect(out[1]).toBe('7'); // abs keeps an int an int
    expect(out.slice(19)).toEqual(['"float"', 'false']); // NaN for a negative square root
  });

  it('string functions, counting characters, substring (0-based, end exclusive, optional), regular expressions', async () => {
    const out = await evaluate([
      { inputs: ['s'], expression: 'len($1)' },
      { expression: 'len("héllo")' },
      { inputs: ['t'], expression: 'len($1)' },
      { expression: 'str::to_lowercase("AbC")' },
      { expression: 'str::to_uppercase("AbC")' },
      { inputs: ['s'], expression: 'str::trim($1)' },
      { expression: 'str::from(2.0)' },
      { expression: 'str::from(7)' },
      { expression: 'str::from(true)' },
      { expression: 'str::substring("Hello World", 6, 11)' },
      { expression: 'str::substring("Hello", 1)' },
      { expression: 'str::regex_matches("sensor-42", "^sensor-\\d+$")' },
      { expression: 'str::regex_matches("sensor-x", "^sensor-\\d+$")' },
      { expression: 'str::regex_replace("factory/line1/temp", "^factory/", "")' },
      { expression: 'str::regex_replace("a1b22c333", "[0-9]+", "#")' },
      { inputs: ['s', 'f'], expression: 'str::regex_replace($1, "o", str::from($2))' }, // pattern not a literal: compiled per call
    ], PAYLOAD);
    expect(out).toEqual(['15', '5', '3', '"abc"', '"ABC"', '"Hello World"', '"2.0"', '"7"', '"true"', '"World"', '"ello"', 'true', 'false', '"line1/temp"', '"a#b#c#"', '"  Hell2.5 W2.5rld  "']);
  });

  it('if (lazy), min/max over values or a tuple, contains, contains_any', async () => {
    const out = await evaluate([
      { inputs: ['i'], expression: 'if($1 > 5, "big", "small")' },
      { expression: 'if(true, 1, 1 / 0)' },
      { inputs: ['i', 'missing'], expression: 'if($2 == (), $1, $1 * $2)' }, // documented fallback when $2 is missing
      { inputs: ['i', 'j'], expression: 'if($2 == (), $1, $1 * $2)' },
      { expression: 'min(3, 1, 2)' },
      { expression: 'max(1.5, 2)' },
      { inputs: ['t'], expression: 'min($1)' },
      { expression: 'max((4, 9, 2))' },
      { inputs: ['t'], expression: 'contains($1, 2)' },
      { expression: 'contains((1, 2), 5)' },
      { inputs: ['t'], expression: 'contains_any($1, (9, 3))' },
      { expression: 'contains_any((1, 2), (8, 9))' },
    ], PAYLOAD);
    expect(out).toEqual(['"big"', '1', '7', '14', '1', '2', '1', '9', 'true', 'false', 'true', 'false']);
  });
});

describe('expression language: missing fields, type errors and runtime errors (§2.7)', () => {
  it('type errors drop the message with an error naming the rule', async () => {
    expect(await failure('$1 + 1', ['obj'], PAYLOAD)).toMatch(/rule 1 \("under test"\): cannot apply "\+" to json/);
    expect(await failure('"a" - 1')).toMatch(/cannot apply "-" to string "a" and int 1/);
    expect(await failure('!5')).toMatch(/"!" needs a boolean/);
    expect(await failure('1 && true')).toMatch(/"&&" needs booleans/);
    expect(await failure('1 < "a"')).toMatch(/cannot apply "<"/);
    expect(await failure('if(1, 2, 3)')).toMatch(/if\(\) needs a boolean condition/);
    expect(await failure('cToF("hot")')).toMatch(/cToF\(\) needs a number, got string/);
    expect(await failure('len(5)')).toMatch(/len\(\) needs a string or a tuple/);
  });

  it('missing inputs are empty: arithmetic on them fails, a copy writes nothing, ?? and ? $last fill them in', async () => {
    expect(await failure('$1 + 1', ['nowhere'])).toMatch(/cannot apply "\+" to empty/);
    const b = await builtin('map', {
      rules: {
        map: [
          { inputs: ['a'], output: 'copied' },
          { inputs: ['a ?? 0'], output: 'withDefault' },
          { inputs: ['a ? $last'], output: 'lastKnown' },
          { inputs: ['a ?   $LAST ?? "unknown"'], output: 'both' },
          { inputs: ['label ?? "unknown"'], output: 'label' },
        ],
      },
    });
    const r = run(b, [msg({ a: 5 }), msg({}), msg({ a: 6 }), msg({ label: 'x' })]);
    expect(r.errors).toEqual([]);
    expect(r.payloads).toEqual([
      '{"both":5,"copied":5,"label":"unknown","lastKnown":5,"withDefault":5}',
      '{"both":5,"label":"unknown","lastKnown":5,"withDefault":0}',
      '{"both":6,"copied":6,"label":"unknown","lastKnown":6,"withDefault":6}',
      '{"both":6,"label":"x","lastKnown":6,"withDefault":0}',
    ]);
  });

  it('runtime errors: integer overflow and division by zero fail; a float division by zero fails only when written', async () => {
    expect(await failure('$1 + 1', ['big'], '{"big":9223372036854775807}')).toMatch(/integer overflow in "\+"/);
    expect(await failure('1 / 0')).toMatch(/integer division by zero in "\/"/);
    expect(await failure('7 % 0')).toMatch(/integer division by zero in "%"/);
    expect(await failure('1.0 / 0')).toMatch(/result inf is not a finite number/);
    expect(await failure('math::sqrt(-1)')).toMatch(/result NaN is not a finite number/);
    expect(await failure('round_n(1.5, 16)')).toMatch(/decimals must be an integer from 0 to 15/);
    expect(await failure('str::substring("abc", 2, 5)')).toMatch(/outside the 3 characters/);
    expect(await failure('scale(1, 2, 2, 0, 1)')).toMatch(/source range is empty/);
    const out = await evaluate([{ expression: '1.0 / 0 > 1' }]);
    expect(out).toEqual(['true']);
  });

  it('a payload that is not JSON fails rules that read it, but not metadata-only rules', async () => {
    const b = await builtin('map', { rules: { map: [{ inputs: ['a'], output: 'a' }] } });
    const r = run(b, [msg('not json')]);
    expect(r.errors[0]?.message).toMatch(/the payload is not JSON/);
    const m = await builtin('map', { rules: { map: [{ inputs: ['$metadata.topic'], output: 'topic' }] } });
    expect(run(m, [msg('not json', { topic: 'a/b' })]).payloads).toEqual(['{"topic":"a/b"}']);
  });
});

describe('map (§3.1)', () => {
  it('renames and restructures; unmapped fields disappear (documented example)', async () => {
    const b = await builtin('map', { rules: { map: [{ inputs: ['Name'], output: 'Employee.Name' }, { inputs: ['BirthDate'], output: 'Employee.DateOfBirth' }] } });
    const r = run(b, [msg({ Name: 'Grace Owens', BirthDate: '19840202', Position: 'Analyst' }, { contentType: 'application/json' })]);
    expect(JSON.parse(r.payloads[0]!)).toEqual({ Employee: { Name: 'Grace Owens', DateOfBirth: '19840202' } });
    expect(r.outputs[0]!.item.contentType).toBe('application/json');
  });

  it('computes from several inputs, writes constants, uses JSON-escaped string literals', async () => {
    const b = await builtin('map', {
      rules: {
        map: [
          { inputs: ['Position', 'Office'], output: 'Summary', expression: '$1 + ", " + $2' },
          { inputs: [], output: 'alert', expression: 'true' },
          { inputs: [], output: 'route', expression: '"alerts"' },
        ],
      },
    });
    expect(JSON.parse(run(b, [msg({ Position: 'Analyst', Office: 'Kent, WA' })]).payloads[0]!)).toEqual({ Summary: 'Analyst, Kent, WA', alert: true, route: 'alerts' });
  });

  it('routes by topic with a passthrough and a $metadata.topic rule (documented example): the payload is unchanged', async () => {
    const b = await builtin('map', {
      rules: { map: [{ inputs: ['*'], output: '*' }, { inputs: ['temperature'], output: '$metadata.topic', expression: 'if($1 > 1000, "alerts", "historian")' }] },
    });
    const r = run(b, [msg({ temperature: 1200 }), msg({ temperature: 900 })]);
    expect(r.payloads).toEqual(['{"temperature":1200}', '{"temperature":900}']);
    expect(r.outputs.map((o) => fromUtf8(o.item.topic))).toEqual(['alerts', 'historian']);
  });

  it('wildcards: passthrough, flatten a prefix, wrap, multi-input (documented example), remove', async () => {
    const flatten = await builtin('map', { rules: { map: [{ inputs: ['ColorProperties.*'], output: '*' }] } });
    expect(JSON.parse(run(flatten, [msg({ ColorProperties: { Hue: 1, Saturation: 2 }, Other: 3 })]).payloads[0]!)).toEqual({ Hue: 1, Saturation: 2 });
    const wrap = await builtin('map', { rules: { map: [{ inputs: ['*'], output: 'Telemetry.*' }] } });
    expect(JSON.parse(run(wrap, [msg({ a: 1, b: { c: 2 } })]).payloads[0]!)).toEqual({ Telemetry: { a: 1, b: { c: 2 } } });
    const avg = await builtin('map', { rules: { map: [{ inputs: ['*.Max', '*.Min'], output: 'Averaged.*', expression: '($1 + $2) / 2' }] } });
    const out = JSON.parse(run(avg, [msg({ Temperature: { Max: 85.3, Min: 62.1 }, Pressure: { Max: 15.2, Min: 14.1 }, Humidity: { Max: 50 } })]).payloads[0]!);
    // IEEE arithmetic: the reference prints 73.7 and 14.65. Humidity has no Min: skipped.
    expect(out).toEqual({ Averaged: { Temperature: (85.3 + 62.1) / 2, Pressure: (15.2 + 14.1) / 2 } });
    const remove = await builtin('map', { rules: { map: [{ inputs: ['*'], output: '*' }, { inputs: ['Position'], output: '' }, { inputs: ['Address.Zip'], output: '' }] } });
    expect(JSON.parse(run(remove, [msg({ Name: 'G', Position: 'Analyst', Address: { City: 'Kent', Zip: '98032' } })]).payloads[0]!)).toEqual({ Name: 'G', Address: { City: 'Kent' } });
  });

  it('specialization: a later rule with lower wildcard coverage replaces the wildcard write of that field; equal coverage adds', async () => {
    const b = await builtin('map', {
      rules: {
        map: [
          { inputs: ['*.Max', '*.Min'], output: 'Averaged.*', expression: '($1 + $2) / 2' },
          { inputs: ['Pressure.Max', 'Pressure.Min'], output: 'Averaged.PressureAdj', expression: '($1 + $2) / 2 + 1' },
        ],
      },
    });
    const out = JSON.parse(run(b, [msg({ Temperature: { Max: 10, Min: 4 }, Pressure: { Max: 3, Min: 1 } })]).payloads[0]!);
    expect(out).toEqual({ Averaged: { Temperature: 7, PressureAdj: 3 } });
    const renamed = await builtin('map', { rules: { map: [{ inputs: ['*'], output: '*' }, { inputs: ['temperature'], output: 'temperature_f', expression: 'cToF($1)' }] } });
    expect(JSON.parse(run(renamed, [msg({ temperature: 100, humidity: 5 })]).payloads[0]!)).toEqual({ temperature_f: 212, humidity: 5 });
  });

  it('field paths: spaces, quoted segments with dots, array indexes', async () => {
    const b = await builtin('map', {
      rules: {
        map: [
          { inputs: ['Person.Date of Birth'], output: 'dob' },
          { inputs: ['Payload."Tag.10".Value'], output: 'tag' },
          { inputs: ['readings.1.v'], output: 'second' },
          { inputs: ['x'], output: 'out."a.b"' },
        ],
      },
    });
    const r = run(b, [msg({ Person: { 'Date of Birth': '1990' }, Payload: { 'Tag.10': { Value: 5 } }, readings: [{ v: 1 }, { v: 2 }], x: 1 })]);
    expect(JSON.parse(r.payloads[0]!)).toEqual({ dob: '1990', tag: 5, second: 2, out: { 'a.b': 1 } });
    expect(await initError('map', { rules: { map: [{ inputs: ['Sensor*'], output: 'x' }] } })).toMatch(/must be a whole segment/);
    expect(await initError('map', { rules: { map: [{ inputs: ['a..b'], output: 'x' }] } })).toMatch(/empty segment/);
  });

  it('metadata fields (§2.6): read topic, user properties (quoted keys), content type; write topic and properties, () removes', async () => {
    const b = await builtin('map', {
      rules: {
        map: [
          { inputs: ['$metadata.topic'], output: 'topic' },
          { inputs: ['$metadata.user_property.region'], output: 'region' },
          { inputs: ['$metadata.user_property."weird key"'], output: 'weird' },
          { inputs: ['$metadata.system_property.content_type'], output: 'ct' },
          { inputs: ['$metadata.header.region'], output: 'header' },
          { inputs: ['temperature'], output: '$metadata.user_property.level', expression: 'if($1 > 50, "hot", "ok")' },
          { inputs: [], output: '$metadata.user_property.drop', expression: '()' },
          { inputs: ['$metadata.topic'], output: '$metadata.topic', expression: 'str::regex_replace($1, "^factory/", "")' },
        ],
      },
    });
    const r = run(b, [msg({ temperature: 60 }, { topic: 'factory/line1', contentType: 'application/json', props: [['region', 'eu'], ['weird key', 'w'], ['drop', 'x']] })]);
    expect(r.errors).toEqual([]);
    expect(JSON.parse(r.payloads[0]!)).toEqual({ topic: 'factory/line1', region: 'eu', weird: 'w', ct: 'application/json', header: 'eu' });
    const out = r.outputs[0]!.item;
    expect(fromUtf8(out.topic)).toBe('line1');
    expect(out.userProperties).toEqual([['region', 'eu'], ['weird key', 'w'], ['level', 'hot']]);
  });

  it('checks rules at init: required fields, remove rules, wildcard outputs, unknown keys, datasets, versions', async () => {
    const refuse = (map: unknown[], extra: object = {}) => initError('map', { rules: { map, ...extra } });
    expect(await refuse([{ inputs: ['a'], output: '', expression: '1' }])).toMatch(/remove rule .* takes no expression/);
    expect(await refuse([{ inputs: ['a'], output: 'x.*' }])).toMatch(/wildcard output needs a wildcard first input/);
    expect(await refuse([{ inputs: [], output: 'x' }])).toMatch(/without inputs needs an expression/);
    expect(await refuse([{ inputs: ['a'] }])).toMatch(/"output" is required/);
    expect(await refuse([{ input: ['a'], output: 'b' }])).toMatch(/unknown field `input`/);
    // Datasets: builtin-enrichment.test.ts.
    expect(await refuse([{ inputs: ['$context(x).y'], output: 'b' }])).toMatch(/\$context\(x\): no dataset has that alias/);
    expect(await refuse([], { version: '2.0.0' })).toMatch(/unsupported rules version/);
    expect(await refuse([{ inputs: ['a'], output: 'b', description: 'copy a' }], { version: '1.0.0' })).toBeUndefined();
    expect(await initError('map', { rules: 'not json' })).toMatch(/rules are not valid/);
    // The graph marks rules as required: the runtime refuses to start without it.
    await expect(builtin('map', {})).rejects.toThrow(/required parameter\(s\) missing: rules/);
  });
});

describe('filter (§3.2)', () => {
  it('drops a message when any rule is true (documented table)', async () => {
    const b = await builtin('filter', { rules: { filter: [{ inputs: ['temperature'], expression: '$1 > 100' }, { inputs: ['humidity'], expression: '$1 > 95' }] } });
    const inputs = [{ temperature: 150, humidity: 60 }, { temperature: 80, humidity: 98 }, { temperature: 80, humidity: 60 }];
    const r = run(b, inputs.map((p) => msg(p)));
    expect(r.payloads).toEqual(['{"temperature":80,"humidity":60}']); // unchanged bytes
    expect(r.engine.counters.get('filter')).toEqual({ in: 3, out: 1, dropped: 2, errors: 0 });
  });

  it('AND within one rule; a missing input or a non-boolean result is an error, not a pass', async () => {
    const b = await builtin('filter', { rules: { filter: [{ inputs: ['temperature', 'humidity'], expression: '$1 > 30 && $2 < 60', description: 'hot and dry' }] } });
    const r = run(b, [msg({ temperature: 35, humidity: 50 }), msg({ temperature: 35, humidity: 70 }), msg({ humidity: 70 })]);
    expect(r.payloads).toEqual(['{"temperature":35,"humidity":70}']);
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/rule 1 \("hot and dry"\): cannot apply ">" to empty/)]);
    const nb = await builtin('filter', { rules: { filter: [{ inputs: ['temperature'], expression: '$1 + 1' }] } });
    expect(run(nb, [msg({ temperature: 1 })]).errors[0]?.message).toMatch(/must give a boolean, got int 2/);
  });

  it('refuses wildcard inputs, rules without expression, validateSchema without a schema (builtin-filter-schema.test.ts)', async () => {
    expect(await initError('filter', { rules: { filter: [{ inputs: ['*'], expression: 'true' }] } })).toMatch(/wildcard inputs are not allowed/);
    expect(await initError('filter', { rules: { filter: [{ inputs: ['a'] }] } })).toMatch(/"expression" is required/);
    expect(await initError('filter', { rules: { validateSchema: true, filter: [] } })).toMatch(/validateSchema: no schema/);
    expect(await initError('filter', { rules: { validateSchema: false, filter: [] } })).toBeUndefined();
  });
});

describe('branch (§3.3)', () => {
  it('sends every message to exactly one of output.true / output.false (documented pipeline)', async () => {
    const b = await builtin('branch', { rules: { branch: { inputs: ['severity'], expression: '$1 > 5' } } });
    const r = run(b, [msg({ deviceId: 'd1', temperature: 80, severity: 7 }), msg({ deviceId: 'd1', temperature: 80, severity: 3 })]);
    expect(r.outputs.map((o) => [o.sink, fromUtf8(o.item.payload)])).toEqual([
      ['output.true', '{"deviceId":"d1","temperature":80,"severity":7}'],
      ['output.false', '{"deviceId":"d1","temperature":80,"severity":3}'],
    ]);
  });

  it('a non-boolean result or a missing input is an error: the message is dropped, not sent to false', async () => {
    const b = await builtin('branch', { rules: { branch: { inputs: ['severity'], expression: '$1 * 2' } } });
    const r = run(b, [msg({ severity: 3 })]);
    expect(r.outputs).toEqual([]);
    expect(r.errors[0]?.message).toMatch(/must give a boolean, got int 6/);
    const m = await builtin('branch', { rules: { branch: { inputs: ['severity'], expression: '$1 > 5' } } });
    expect(run(m, [msg({})]).errors).toHaveLength(1);
    expect(await initError('branch', { rules: { branch: [{ inputs: ['a'], expression: 'true' }] } })).toMatch(/rules are not valid/);
  });
});

describe('concatenate (§3.4)', () => {
  it('has no configuration and forwards messages unchanged', async () => {
    const b = await builtin('concatenate', {});
    const r = run(b, [msg('{"a":1}', { topic: 'x' }), msg('raw bytes', { topic: 'y' })]);
    expect(r.outputs.map((o) => [fromUtf8(o.item.topic), fromUtf8(o.item.payload)])).toEqual([['x', '{"a":1}'], ['y', 'raw bytes']]);
  });
});

describe('window (§3.5)', () => {
  const rules = {
    accumulate: [
      { inputs: ['temperature'], output: 'avgTemperature', expression: 'average($1)' },
      { inputs: ['temperature'], output: 'minTemperature', expression: 'min($1)' },
      { inputs: ['temperature'], output: 'maxTemperature', expression: 'max($1)' },
      { inputs: ['temperature'], output: 'readingCount', expression: 'count($1)' },
      { inputs: ['temperature'], output: 'tempRange', expression: 'max($1) - min($1)' },
    ],
  };

  it('reduces a 30 s window to one message (documented example, IEEE arithmetic), stamped at the window end', async () => {
    const b = await builtin('window', { delay: { type: 'duration', delaySeconds: 30 }, rules });
    const end = 1_700_000_040_000; // a multiple of 30 s
    const r = run(b, [
      msg('{"temperature":21.5}', { ms: end - 20_000, topic: 't/1' }), msg('{"temperature":23.0}', { ms: end - 13_000 }),
      msg('{"temperature":19.8}', { ms: end - 5_000, topic: 't/2' }),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.payloads).toEqual(['{"avgTemperature":21.433333333333334,"maxTemperature":23.0,"minTemperature":19.8,"readingCount":3,"tempRange":3.1999999999999993}']);
    const out = r.outputs[0]!.item;
    expect(Number(out.timestamp.secs) * 1000 + out.timestamp.nanos / 1e6).toBe(end);
    expect(out.contentType).toBe('application/json');
    expect(fromUtf8(out.topic)).toBe('t/2');
    expect(out.userProperties).toEqual([]);
  });

  it('assigns messages to windows by timestamp; aggregations skip non-numbers; sum, first, last, wrapped aggregations', async () => {
    const b = await builtin('window', {
      delay: { type: 'duration', delaySeconds: 10 },
      rules: {
        accumulate: [
          { inputs: ['v'], output: 'sum', expression: 'sum($1)' },
          { inputs: ['v'], output: 'count', expression: 'count($1)' },
          { inputs: ['v'], output: 'first', expression: 'first($1)' },
          { inputs: ['v'], output: 'last', expression: 'last($1)' },
          { inputs: ['v', 'w'], output: 'mixed.avgPlusMax', expression: 'average($1) + max($2)' },
          { inputs: ['v'], output: 'f', expression: 'cToF(average($1))' },
        ],
      },
    });
    const r = run(b, [
      msg({ v: 10, w: 1 }, { ms: 1_000 }), msg({ v: 'n/a', w: 5 }, { ms: 5_000 }), msg({ v: 20 }, { ms: 10_000 }), // window ending 10 s
      msg({ v: 100, w: 2 }, { ms: 10_001 }), // next window
    ]);
    expect(r.payloads.map((p) => JSON.parse(p))).toEqual([
      { sum: 30, count: 3, first: 10, last: 20, mixed: { avgPlusMax: 20 }, f: 59 },
      { sum: 100, count: 1, first: 100, last: 100, mixed: { avgPlusMax: 102 }, f: 212 },
    ]);
  });

  it('an aggregation over a window without values leaves that output out and logs why; sum and count give 0', async () => {
    const b = await builtin('window', {
      delay: { type: 'duration', delaySeconds: 10 },
      rules: { accumulate: [{ inputs: ['x'], output: 'avg', expression: 'average($1)' }, { inputs: ['x'], output: 'sum', expression: 'sum($1)' }, { inputs: ['x'], output: 'n', expression: 'count($1)' }] },
    });
    const r = run(b, [msg({ y: 1 }, { ms: 1_000 })]);
    expect(r.payloads).toEqual(['{"n":0,"sum":0.0}']);
    expect(b.logs.some((l) => l.level === 'error' && /average\(\$1\) of a window without values/.test(l.message))).toBe(true);
  });

  it('checks accumulate rules at init', async () => {
    const refuse = (accumulate: unknown[]) => initError('window', { rules: { accumulate } });
    expect(await refuse([{ inputs: ['t'], output: 'o', expression: '$1' }])).toMatch(/needs an aggregation/);
    expect(await refuse([{ inputs: ['t'], output: 'o', expression: 'average($1) + $1' }])).toMatch(/must be inside an aggregation/);
    expect(await refuse([{ inputs: ['t', 'u'], output: 'o', expression: 'average($1 + $2)' }])).toMatch(/takes exactly one positional variable/);
    expect(await refuse([{ inputs: ['t'], output: 'o', expression: 'sum($1)' }, { inputs: ['t'], output: 'o', expression: 'max($1)' }])).toMatch(/used twice/);
    expect(await refuse([{ inputs: ['$metadata.topic'], output: 'o', expression: 'count($1)' }])).toMatch(/plain field paths/);
    expect(await refuse([{ inputs: ['t ? $last'], output: 'o', expression: 'count($1)' }])).toMatch(/plain field paths/);
    expect(await refuse([{ inputs: ['*'], output: 'o', expression: 'count($1)' }])).toMatch(/wildcards are not allowed/);
    expect(await initError('window', { delay: { type: 'duration', delaySeconds: 0 }, rules })).toMatch(/greater than 0/);
    expect(await initError('window', { delay: { type: 'messageCount', delaySeconds: 5 }, rules })).toMatch(/not supported/);
  });

  it('without delay, windows are 60 s long', async () => {
    const b = await builtin('window', { rules: { accumulate: [{ inputs: ['v'], output: 'n', expression: 'count($1)' }] } });
    const r = run(b, [msg({ v: 1 }, { ms: 1_000 }), msg({ v: 1 }, { ms: 59_000 }), msg({ v: 1 }, { ms: 61_000 })]);
    expect(r.payloads).toEqual(['{"n":2}', '{"n":1}']);
  });
});

describe('throttle (§3.6)', () => {
  it('first match wins, per-pattern state, interval since the last forwarded message (documented table)', async () => {
    const b = await builtin('throttle', { throttle: { perTopicThrottles: [{ topic: 'sensors/temperature', maxMessagesPerSecond: 10 }, { topic: 'sensors/#', maxMessagesPerSecond: 1 }] } });
    const t0 = 1_700_000_000_000;
    const sent: [number, string][] = [
      [0, 'sensors/temperature'], [0, 'sensors/humidity'], [40, 'sensors/temperature'], [100, 'sensors/temperature'], [120, 'sensors/temperature'],
      [500, 'sensors/pressure'], [1000, 'sensors/pressure'], [1100, 'sensors/pressure'], [1200, 'other/topic'], [1201, 'other/topic'], [1300, 'sensors'],
    ];
    const r = run(b, sent.map(([ms, topic], k) => msg({ k }, { ms: t0 + ms, topic })));
    expect(r.outputs.map((o) => JSON.parse(fromUtf8(o.item.payload)).k)).toEqual([0, 1, 3, 6, 8, 9]);
    // 100 ms after the last forward is exactly one interval: accepted. sensors/pressure shares rule 2 with humidity.
  });

  it('rate 0 drops every match, fractions lengthen the interval, + matches one level', async () => {
    const b = await builtin('throttle', { throttle: { perTopicThrottles: [{ topic: 'blocked/+', maxMessagesPerSecond: 0 }, { topic: 'slow/+/x', maxMessagesPerSecond: 0.1 }] } });
    const r = run(b, [
      msg('a', { ms: 0, topic: 'blocked/a' }), msg('b', { ms: 0, topic: 'blocked/a/b' }),
      msg('c', { ms: 0, topic: 'slow/1/x' }), msg('d', { ms: 9_999, topic: 'slow/2/x' }), msg('e', { ms: 10_000, topic: 'slow/3/x' }),
    ]);
    expect(r.payloads).toEqual(['b', 'c', 'e']);
  });

  it('refuses duplicate topics, negative rates and invalid filters at init', async () => {
    const refuse = (perTopicThrottles: unknown[]) => initError('throttle', { throttle: { perTopicThrottles } });
    expect(await refuse([{ topic: 'a', maxMessagesPerSecond: 1 }, { topic: 'a', maxMessagesPerSecond: 2 }])).toMatch(/appears twice/);
    expect(await refuse([{ topic: 'a', maxMessagesPerSecond: -1 }])).toMatch(/finite number ≥ 0/);
    expect(await refuse([{ topic: 'a/#/b', maxMessagesPerSecond: 1 }])).toMatch(/not a valid MQTT topic filter/);
    expect(await refuse([{ topic: 'a', maxMessagesPerSecond: 1 }])).toBeUndefined();
  });
});
