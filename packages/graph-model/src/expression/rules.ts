/**
 * The reference's six built-in transforms (§1.2, §1.3) as the designer sees
 * them: which artifact is which kind, which configuration keys it reads, and
 * a check of those JSON strings that finds what the component's init would
 * refuse (docs/architecture.md "Built-in transforms"), each problem placed on
 * its key, rule and field.
 */
import { checkExpression, type ExpressionMode } from './parse.ts';

export const BUILTIN_KINDS = ['map', 'filter', 'branch', 'concatenate', 'window', 'throttle'] as const;
export type BuiltinKind = (typeof BUILTIN_KINDS)[number];

export const builtinArtifact = (kind: BuiltinKind, version = '1.0.0') => `azureiotoperations/graph-dataflow-${kind}:${version}`;

/** The built-in an artifact reference names (any version), or undefined. */
export function builtinKindOf(artifact: string | undefined): BuiltinKind | undefined {
  const m = /(?:^|\/)azureiotoperations\/graph-dataflow-([a-z]+)[:@]/.exec(artifact ?? '');
  return BUILTIN_KINDS.find((k) => k === m?.[1]);
}

/** The configuration keys each built-in reads. */
export const BUILTIN_KEYS: Record<BuiltinKind, readonly string[]> = {
  map: ['rules'], filter: ['rules'], branch: ['rules'], concatenate: [], window: ['delay', 'rules'], throttle: ['throttle'],
};

export interface RuleProblem {
  /** Configuration key. */
  key: string;
  /** 0-based rule index (the branch's single rule is 0); absent for the whole value. */
  rule?: number;
  field?: 'inputs' | 'output' | 'expression' | 'topic' | 'maxMessagesPerSecond' | 'delaySeconds';
  message: string;
  /** Offsets in the expression, for expression problems. */
  start?: number;
  end?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** A rule input's field path, without `? $last` / `?? default`. */
export function inputPath(input: string): string {
  return input.replace(/\s*\?\?.*$/s, '').replace(/\s*\?\s*\$last\s*$/i, '').trim();
}

/** Why a field path is refused (reference §2.5; architecture decision 9), or undefined. */
export function pathProblem(path: string): string | undefined {
  if (!path) return 'empty field path';
  const segs: string[] = [];
  let i = 0;
  for (;;) {
    const q = path[i];
    if (q === '"' || q === "'") {
      const close = path.indexOf(q, i + 1);
      if (close < 0) return `unterminated quoted segment in "${path}"`;
      segs.push(path.slice(i, close + 1));
      i = close + 1;
      if (i < path.length && path[i] !== '.') return `a quoted segment must end at "." in "${path}"`;
    } else {
      const dot = path.indexOf('.', i);
      const seg = path.slice(i, dot < 0 ? path.length : dot);
      if (!seg) return `empty segment in field path "${path}"`;
      if (seg !== '*' && seg.includes('*')) return `"*" must be a whole segment ("${seg}" in "${path}")`;
      segs.push(seg);
      i += seg.length;
    }
    if (i >= path.length) break;
    i++;
    if (i >= path.length) return `field path "${path}" ends with "."`;
  }
  if (segs.filter((s) => s === '*').length > 1) return `at most one "*" per path ("${path}")`;
  return undefined;
}

const isWildcard = (p: string) => pathProblem(p) === undefined && p.split('.').includes('*');

const ruleLabel = (i: number, r: Json) => (typeof r.description === 'string' && r.description ? `rule ${i + 1} ("${r.description}")` : `rule ${i + 1}`);

interface RuleShape {
  output: 'required' | 'forbidden';
  expression: 'required' | 'optional';
  wildcards: boolean;
  mode: ExpressionMode;
}

function checkRule(key: string, i: number, r: unknown, shape: RuleShape, out: RuleProblem[]): void {
  if (!isObject(r)) return void out.push({ key, rule: i, message: `rule ${i + 1} is not an object` });
  const label = ruleLabel(i, r);
  const add = (field: RuleProblem['field'], message: string, at?: { start: number; end: number }): void => void out.push({ key, rule: i, field, message: `${label}: ${message}`, ...at });
  for (const k of Object.keys(r)) if (!['inputs', 'output', 'expression', 'description'].includes(k)) add(undefined, `unknown key "${k}"`);
  if (!Array.isArray(r.inputs) || r.inputs.some((x) => typeof x !== 'string')) return add('inputs', '"inputs" must be a list of field paths');
  const inputs = r.inputs as string[];
  inputs.forEach((input) => {
    const p = inputPath(input);
    // Metadata and enrichment ($context(alias).path) inputs are the components' to check.
    const problem = p.startsWith('$metadata') || p.startsWith('$context') ? undefined : pathProblem(p);
    if (problem) add('inputs', problem);
    else if (!shape.wildcards && isWildcard(p)) add('inputs', 'wildcard inputs are not allowed here');
  });
  if (shape.output === 'forbidden' && 'output' in r) add('output', 'these rules have no "output"');
  if (shape.output === 'required' && typeof r.output !== 'string') add('output', '"output" is required');
  if (typeof r.output === 'string' && r.output && !r.output.startsWith('$metadata')) {
    const problem = pathProblem(r.output);
    if (problem) add('output', problem);
  }
  if (r.expression !== undefined && typeof r.expression !== 'string') return add('expression', '"expression" must be a string');
  const expression = r.expression as string | undefined;
  if (expression === undefined || !expression.trim()) {
    if (shape.expression === 'required') add('expression', '"expression" is required');
    else if (!inputs.length && r.output !== '') add('expression', 'a rule without inputs needs an expression');
    return;
  }
  if (r.output === '' && shape.output === 'required') add('expression', 'a remove rule (output "") takes no expression');
  for (const e of checkExpression(expression, { mode: shape.mode, inputs: inputs.length })) add('expression', e.message, { start: e.start, end: e.end });
}

function parse(key: string, text: string, out: RuleProblem[]): Json | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (isObject(v)) return v;
    out.push({ key, message: `${key} must be a JSON object` });
  } catch (e) {
    out.push({ key, message: `${key} is not valid JSON: ${(e as Error).message}` });
  }
  return undefined;
}

function topLevel(key: string, v: Json, allowed: string[], out: RuleProblem[]): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) out.push({ key, message: `unknown key "${k}" in ${key}` });
  if (v.version !== undefined && v.version !== '1.0.0') out.push({ key, message: `unsupported rules version "${String(v.version)}" (1.0.0)` });
  checkDatasets(key, v.datasets, out);
}

/** Enrichment datasets (reference §1.3 Dataset): key, match inputs, a boolean match expression. */
function checkDatasets(key: string, datasets: unknown, out: RuleProblem[]): void {
  if (datasets === undefined || datasets === null) return;
  if (!Array.isArray(datasets)) return void out.push({ key, message: '"datasets" must be a list' });
  datasets.forEach((d: unknown, i) => {
    const label = `dataset ${i + 1}`;
    if (!isObject(d) || typeof d.key !== 'string' || !d.key.trim()) return void out.push({ key, message: `${label}: "key" (a state-store key[ as alias]) is required` });
    if (!Array.isArray(d.inputs) || d.inputs.some((x) => typeof x !== 'string')) return void out.push({ key, message: `${label}: "inputs" must be a list of $source./$context. fields` });
    if (typeof d.expression !== 'string') return void out.push({ key, message: `${label}: "expression" is required` });
    for (const e of checkExpression(d.expression, { inputs: d.inputs.length })) out.push({ key, message: `${label}: ${e.message}` });
  });
}

function rulesList(key: string, v: Json, name: string, shape: RuleShape, out: RuleProblem[]): void {
  if (!Array.isArray(v[name])) return void out.push({ key, message: `"${name}" must be a list of rules` });
  (v[name] as unknown[]).forEach((r, i) => checkRule(key, i, r, shape, out));
}

function checkThrottle(key: string, v: Json, out: RuleProblem[]): void {
  topLevel(key, v, ['perTopicThrottles'], out);
  if (!Array.isArray(v.perTopicThrottles)) return void out.push({ key, message: '"perTopicThrottles" must be a list' });
  const seen = new Set<string>();
  (v.perTopicThrottles as unknown[]).forEach((r, i) => {
    if (!isObject(r)) return void out.push({ key, rule: i, message: `rule ${i + 1} is not an object` });
    const topic = r.topic;
    if (typeof topic !== 'string' || !topic || /#./.test(topic) || /[^/]#|[^/]\+|\+[^/]/.test(topic)) {
      out.push({ key, rule: i, field: 'topic', message: `rule ${i + 1}: "${String(topic ?? '')}" is not a valid MQTT topic filter` });
    } else if (seen.has(topic)) out.push({ key, rule: i, field: 'topic', message: `rule ${i + 1}: topic "${topic}" appears twice` });
    else seen.add(topic);
    const rate = r.maxMessagesPerSecond;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) out.push({ key, rule: i, field: 'maxMessagesPerSecond', message: `rule ${i + 1}: maxMessagesPerSecond must be a finite number ≥ 0` });
  });
}

const ROW = { wildcards: false, mode: 'row' } as const;

/** What the built-in's init would refuse in this configuration (a required key missing included). */
export function checkBuiltinConfiguration(kind: BuiltinKind, config: Record<string, string>): RuleProblem[] {
  const out: RuleProblem[] = [];
  const required = kind === 'window' ? ['rules'] : BUILTIN_KEYS[kind];
  for (const key of required) if (config[key] === undefined) out.push({ key, message: `"${key}" is required` });
  for (const [key, text] of Object.entries(config)) {
    if (!BUILTIN_KEYS[kind].includes(key)) continue;
    const v = parse(key, text, out);
    if (!v) continue;
    if (kind === 'map') {
      topLevel(key, v, ['version', 'datasets', 'map'], out);
      rulesList(key, v, 'map', { output: 'required', expression: 'optional', wildcards: true, mode: 'row' }, out);
    } else if (kind === 'filter') {
      topLevel(key, v, ['version', 'datasets', 'validateSchema', 'filter'], out);
      if (v.validateSchema !== undefined && typeof v.validateSchema !== 'boolean') out.push({ key, message: '"validateSchema" must be true or false' });
      rulesList(key, v, 'filter', { output: 'forbidden', expression: 'required', ...ROW }, out);
    } else if (kind === 'branch') {
      topLevel(key, v, ['version', 'datasets', 'branch'], out);
      if (!isObject(v.branch)) out.push({ key, message: '"branch" must be one rule (an object)' });
      else checkRule(key, 0, v.branch, { output: 'forbidden', expression: 'required', ...ROW }, out);
    } else if (kind === 'window' && key === 'delay') {
      topLevel(key, v, ['type', 'delaySeconds'], out);
      if (v.type !== 'duration') out.push({ key, message: `delay type "${String(v.type)}" is not supported (duration)` });
      if (!Number.isInteger(v.delaySeconds) || (v.delaySeconds as number) <= 0) out.push({ key, field: 'delaySeconds', message: 'delaySeconds must be a whole number greater than 0' });
    } else if (kind === 'window') {
      topLevel(key, v, ['version', 'accumulate'], out);
      rulesList(key, v, 'accumulate', { output: 'required', expression: 'required', wildcards: false, mode: 'accumulate' }, out);
      const outputs = Array.isArray(v.accumulate) ? (v.accumulate as Json[]).map((r) => r?.output) : [];
      outputs.forEach((o, i) => outputs.indexOf(o) < i && out.push({ key, rule: i, field: 'output', message: `rule ${i + 1}: output "${String(o)}" is used twice` }));
    } else if (kind === 'throttle') checkThrottle(key, v, out);
  }
  return out;
}
