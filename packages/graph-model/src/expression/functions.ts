/**
 * The expression language's functions (reference §2.4), as the built-in
 * components know them (packages/operators/rust/dataflow-expr/src/func.rs;
 * functions.test.ts reads that file so the two lists cannot drift).
 */

export interface FunctionInfo {
  name: string;
  /** Fewest and most arguments (Infinity: any number). */
  min: number;
  max: number;
  /** Argument names, for the completion list. */
  signature: string;
}

const fn = (name: string, signature: string, min = 1, max = min): FunctionInfo => ({ name, min, max, signature });
const unit = (name: string) => fn(name, 'x');

export const FUNCTIONS: readonly FunctionInfo[] = [
  ...['cToF', 'fToC', 'psiToBar', 'barToPsi', 'inToCm', 'cmToIn', 'ftToM', 'mToFt', 'lbToKg', 'kgToLb', 'galToL', 'lToGal'].map(unit),
  fn('scale', 'v, srcLo, srcHi, dstLo, dstHi', 5),
  fn('round_n', 'v, decimals', 2),
  fn('floor', 'x'), fn('ceil', 'x'), fn('round', 'x'),
  fn('math::abs', 'x'), fn('math::sqrt', 'x'), fn('math::cbrt', 'x'), fn('math::ln', 'x'), fn('math::log2', 'x'), fn('math::log10', 'x'),
  fn('math::log', 'v, base', 2), fn('math::exp', 'x'), fn('math::exp2', 'x'), fn('math::pow', 'base, exponent', 2),
  fn('math::sin', 'x'), fn('math::cos', 'x'), fn('math::tan', 'x'), fn('math::asin', 'x'), fn('math::acos', 'x'), fn('math::atan', 'x'),
  fn('math::atan2', 'y, x', 2), fn('math::hypot', 'a, b', 2),
  fn('len', 's'), fn('str::to_lowercase', 's'), fn('str::to_uppercase', 's'), fn('str::trim', 's'), fn('str::from', 'v'),
  fn('str::substring', 's, start[, end]', 2, 3), fn('str::regex_matches', 's, pattern', 2), fn('str::regex_replace', 's, pattern, replacement', 3),
  fn('if', 'condition, then, else', 3),
  fn('min', 'a, b, … | tuple', 1, Infinity), fn('max', 'a, b, … | tuple', 1, Infinity),
  fn('contains', 'tuple, v', 2), fn('contains_any', 'tuple, candidates', 2), fn('typeof', 'v'),
];

/** Window accumulate rules only; each takes one positional variable (`average($1)`). */
export const AGGREGATIONS: readonly string[] = ['average', 'sum', 'min', 'max', 'count', 'first', 'last'];

/**
 * Window 1.1.0 trigger running functions (func.rs `Agg::from_trigger_name`):
 * each takes one positional variable and sees the window's previous messages;
 * `running_count()` without one counts them all.
 */
export const TRIGGER_FUNCTIONS: readonly FunctionInfo[] = [
  fn('running_sum', '$n'), fn('running_avg', '$n'), fn('running_min', '$n'), fn('running_max', '$n'),
  fn('running_count', '[$n]', 0, 1), fn('first', '$n'), fn('changed', '$n'), fn('prev', '$n'),
];

const byName = new Map(FUNCTIONS.map((f) => [f.name, f]));
export const functionInfo = (name: string): FunctionInfo | undefined => byName.get(name);
const triggerByName = new Map(TRIGGER_FUNCTIONS.map((f) => [f.name, f]));
export const triggerFunctionInfo = (name: string): FunctionInfo | undefined => triggerByName.get(name);

/** What completion offers in a rule of this mode (aggregations only in accumulate rules, running functions only in triggers). */
export function completionNames(mode: 'row' | 'accumulate' | 'trigger'): { name: string; signature: string }[] {
  const aggregations = mode === 'accumulate' ? AGGREGATIONS.filter((a) => !byName.has(a)).map((name) => ({ name, signature: '$n' })) : [];
  const running = mode === 'trigger' ? TRIGGER_FUNCTIONS.map(({ name, signature }) => ({ name, signature })) : [];
  return [...FUNCTIONS.map(({ name, signature }) => ({ name, signature })), ...aggregations, ...running];
}
