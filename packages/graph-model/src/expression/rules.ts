/**
 * The reference's six built-in transforms (§1.2, §1.3) as the designer sees
 * them: which artifact is which kind, which configuration keys it reads, and
 * a check of those JSON strings that finds what the component's init would
 * refuse (docs/architecture.md "Built-in transforms"), each problem placed on
 * its key, rule and field.
 */
import { checkExpression, type ExpressionMode } from './parse.ts';
import { parseSchemaRef } from '../schema-registry.ts';
import { DEFAULT_NAMESPACE } from '../resources.ts';

export const BUILTIN_KINDS = ['map', 'filter', 'branch', 'concatenate', 'window', 'throttle'] as const;
export type BuiltinKind = (typeof BUILTIN_KINDS)[number];

export const builtinArtifact = (kind: BuiltinKind, version = '1.0.0') => `azureiotoperations/graph-dataflow-${kind}:${version}`;

/** The built-in an artifact reference names (any version), or undefined. */
export function builtinKindOf(artifact: string | undefined): BuiltinKind | undefined {
  const m = /(?:^|\/)azureiotoperations\/graph-dataflow-([a-z]+)[:@]/.exec(artifact ?? '');
  return BUILTIN_KINDS.find((k) => k === m?.[1]);
}

/** The version an artifact reference names (`…:1.1.0`), or undefined (a digest, no tag). */
export function builtinVersionOf(artifact: string | undefined): string | undefined {
  return /(?:^|\/)azureiotoperations\/graph-dataflow-[a-z]+:([\w.-]+)$/.exec(artifact ?? '')?.[1];
}

/** The configuration keys each built-in reads (filter's `schemaRef` is a plain string, not JSON: decision 15). */
export const BUILTIN_KEYS: Record<BuiltinKind, readonly string[]> = {
  map: ['rules'], filter: ['rules', 'schemaRef'], branch: ['rules'], concatenate: [], window: ['delay', 'rules'], throttle: ['throttle'],
};
/** Window 1.1.0's closing conditions besides `delay` (reference §1.3). */
export const WINDOW_1_1_KEYS = ['count', 'memory', 'triggers'] as const;
export const BOUNDARY_MESSAGES = ['messageInCurrent', 'messageInNext'] as const;

/** Does this window version read count, memory and triggers? 1.0.0 does not; a digest or a later version is taken to. */
export const windowHasClosing = (version: string | undefined) => version !== '1.0.0';

/** Why a schemaRef is not `aio-sr://<namespace>/<name>:<version>` or `aio-sr://<name>:<version>` (schema-registry's `parseSchemaRef`), else undefined. */
export function schemaRefProblem(ref: string): string | undefined {
  const parsed = parseSchemaRef(ref, DEFAULT_NAMESPACE);
  return 'error' in parsed ? parsed.error : undefined;
}

export interface RuleProblem {
  /** Configuration key. */
  key: string;
  /** 0-based rule index (the branch's single rule is 0); absent for the whole value. */
  rule?: number;
  field?: 'inputs' | 'output' | 'expression' | 'topic' | 'maxMessagesPerSecond' | 'delaySeconds' | 'maxMessageCount' | 'maxBufferBytes' | 'boundaryMessage' | 'schemaRef';
  message: string;
  /** A warning does not refuse the save (default: an error, which the component's init would refuse too). */
  severity?: 'warning';
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

const ruleLabel = (i: number, r: Json, noun = 'rule') => (typeof r.description === 'string' && r.description ? `${noun} ${i + 1} ("${r.description}")` : `${noun} ${i + 1}`);

interface RuleShape {
  output: 'required' | 'forbidden';
  expression: 'required' | 'optional';
  wildcards: boolean;
  mode: ExpressionMode;
  /** The expression must give a boolean (filter, branch, trigger). */
  boolean?: boolean;
  /** Window triggers: "trigger 1", the expression under `trigger`, and a `boundaryMessage`. */
  trigger?: boolean;
}

function checkRule(key: string, i: number, r: unknown, shape: RuleShape, out: RuleProblem[]): void {
  if (!isObject(r)) return void out.push({ key, rule: i, message: `rule ${i + 1} is not an object` });
  const label = ruleLabel(i, r, shape.trigger ? 'trigger' : 'rule');
  const add = (field: RuleProblem['field'], message: string, at?: { start: number; end: number }): void => void out.push({ key, rule: i, field, message: `${label}: ${message}`, ...at });
  const exprKey = shape.trigger ? 'trigger' : 'expression';
  const keys = shape.trigger ? ['inputs', 'trigger', 'boundaryMessage', 'description'] : ['inputs', 'output', 'expression', 'description'];
  for (const k of Object.keys(r)) if (!keys.includes(k)) add(undefined, `unknown key "${k}"`);
  if (shape.trigger && r.boundaryMessage !== undefined && !(BOUNDARY_MESSAGES as readonly unknown[]).includes(r.boundaryMessage)) add('boundaryMessage', `boundaryMessage must be ${BOUNDARY_MESSAGES.join(' or ')}`);
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
  if (r[exprKey] !== undefined && typeof r[exprKey] !== 'string') return add('expression', `"${exprKey}" must be a string`);
  const expression = r[exprKey] as string | undefined;
  if (expression === undefined || !expression.trim()) {
    if (shape.expression === 'required') add('expression', `"${exprKey}" is required`);
    else if (!inputs.length && r.output !== '') add('expression', 'a rule without inputs needs an expression');
    return;
  }
  if (r.output === '' && shape.output === 'required') add('expression', 'a remove rule (output "") takes no expression');
  for (const e of checkExpression(expression, { mode: shape.mode, inputs: inputs.length, boolean: shape.boolean })) add('expression', e.message, { start: e.start, end: e.end });
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
    for (const e of checkExpression(d.expression, { inputs: d.inputs.length, boolean: true })) out.push({ key, message: `${label}: ${e.message}` });
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

const ROW = { wildcards: false, mode: 'row', boolean: true } as const;

/** Window 1.1.0 `count` / `memory`: `{type, <limit> > 0, boundaryMessage?}` (closing.rs). */
function checkLimit(key: 'count' | 'memory', v: Json, out: RuleProblem[]): void {
  const [type, limit] = key === 'count' ? ['messageCount', 'maxMessageCount'] as const : ['bufferSize', 'maxBufferBytes'] as const;
  for (const k of Object.keys(v)) if (![ 'type', limit, 'boundaryMessage'].includes(k)) out.push({ key, message: `unknown key "${k}" in ${key}` });
  if (v.type !== type) out.push({ key, message: `${key} type "${String(v.type)}" is not supported (${type})` });
  const n = v[limit];
  if (!Number.isSafeInteger(n) || (n as number) <= 0) out.push({ key, field: limit, message: `${limit} must be a whole number greater than 0` });
  if (v.boundaryMessage !== undefined && !(BOUNDARY_MESSAGES as readonly unknown[]).includes(v.boundaryMessage)) {
    out.push({ key, field: 'boundaryMessage', message: `boundaryMessage must be ${BOUNDARY_MESSAGES.join(' or ')}` });
  }
}

/** Window 1.1.0 `triggers` (trigger.rs): `{type: "expression", datasets?, rules: [{inputs, trigger, boundaryMessage?, description?}]}`, at least one rule. */
function checkTriggers(key: string, v: Json, out: RuleProblem[]): void {
  for (const k of Object.keys(v)) if (!['type', 'datasets', 'rules'].includes(k)) out.push({ key, message: `unknown key "${k}" in ${key}` });
  if (v.type !== 'expression') out.push({ key, message: `triggers type "${String(v.type)}" is not supported (expression)` });
  checkDatasets(key, v.datasets, out);
  if (!Array.isArray(v.rules)) return void out.push({ key, message: '"rules" must be a list of trigger rules' });
  if (!v.rules.length) out.push({ key, message: 'triggers need at least one rule' });
  (v.rules as unknown[]).forEach((r, i) => checkRule(key, i, r, { output: 'forbidden', expression: 'required', wildcards: false, mode: 'trigger', boolean: true, trigger: true }, out));
}

/**
 * What the built-in's init would refuse in this configuration (a required key
 * missing included). `version` is the artifact's (window 1.1.0 reads count, memory, triggers).
 */
export function checkBuiltinConfiguration(kind: BuiltinKind, config: Record<string, string>, version?: string): RuleProblem[] {
  const out: RuleProblem[] = [];
  const required = kind === 'window' || kind === 'filter' ? ['rules'] : BUILTIN_KEYS[kind];
  for (const key of required) if (config[key] === undefined) out.push({ key, message: `"${key}" is required` });
  const closing = kind === 'window' && windowHasClosing(version);
  for (const [key, text] of Object.entries(config)) {
    if (kind === 'window' && (WINDOW_1_1_KEYS as readonly string[]).includes(key) && !closing) {
      out.push({ key, severity: 'warning', message: `${key} is read by graph-dataflow-window:1.1.0 only; version ${version} ignores it` });
      continue;
    }
    if (kind === 'filter' && key === 'schemaRef') {
      const problem = text.trim() ? schemaRefProblem(text) : undefined;
      if (problem) out.push({ key, field: 'schemaRef', message: problem });
      continue;
    }
    if (!BUILTIN_KEYS[kind].includes(key) && !(closing && (WINDOW_1_1_KEYS as readonly string[]).includes(key))) continue;
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
    } else if (kind === 'window' && (key === 'count' || key === 'memory')) checkLimit(key, v, out);
    else if (kind === 'window' && key === 'triggers') checkTriggers(key, v, out);
    else if (kind === 'window') {
      topLevel(key, v, ['version', 'accumulate'], out);
      rulesList(key, v, 'accumulate', { output: 'required', expression: 'required', wildcards: false, mode: 'accumulate' }, out);
      const outputs = Array.isArray(v.accumulate) ? (v.accumulate as Json[]).map((r) => r?.output) : [];
      outputs.forEach((o, i) => outputs.indexOf(o) < i && out.push({ key, rule: i, field: 'output', message: `rule ${i + 1}: output "${String(o)}" is used twice` }));
    } else if (kind === 'throttle') checkThrottle(key, v, out);
  }
  return out;
}
