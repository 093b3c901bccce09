/**
 * Parser and checker of the expression language (reference §2), the same
 * grammar as the built-in components' (dataflow-expr's parse.rs; decisions in
 * docs/architecture.md "Built-in transforms"): prefix `!` `-` > `^`
 * (right-associative) > `* / %` > `+ -` > `< > <= >=` > `== !=` > `&&` > `||`.
 * Used by the designer to refuse a rule before it reaches the component.
 */
import { lex, ExpressionSyntaxError, type ExpressionError, type Token } from './lex.ts';
import { AGGREGATIONS, functionInfo, triggerFunctionInfo } from './functions.ts';

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | '^';

interface At { start: number; end: number }
export type Expr = At & (
  | { kind: 'literal'; value: number | string | boolean | null; float?: boolean }
  | { kind: 'var'; n: number }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; name: string; args: Expr[]; nameEnd: number }
);

/**
 * Where the expression is used: accumulate rules (window) need aggregations;
 * window 1.1.0 triggers may call the running functions (`running_sum($1)`, `prev($1)`, …).
 */
export type ExpressionMode = 'row' | 'accumulate' | 'trigger';

const BINDING: Record<BinaryOp, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6, '^': 7 };
const PREFIX = 8;
const WORD_OPS = ['and', 'or', 'not'];

function describe(t: Token): string {
  if (t.kind === 'int' || t.kind === 'float') return `number ${t.value}`;
  if (t.kind === 'string') return `string "${t.value}"`;
  if (t.kind === 'var') return `$${t.value}`;
  return `"${t.value}"`;
}

class Parser {
  pos = 0;
  constructor(readonly toks: Token[], readonly length: number) {}
  peek() { return this.toks[this.pos]; }
  fail(message: string, t = this.peek()): never {
    throw new ExpressionSyntaxError(message, t?.start ?? this.length, t?.end ?? this.length);
  }
  expect(kind: ')', what: string): Token {
    const t = this.toks[this.pos++];
    if (!t) this.fail(`expected ${what}, found the end of the expression`);
    if (t.kind !== kind) this.fail(`expected ${what}, found ${describe(t)}`, t);
    return t;
  }

  expr(minBp: number): Expr {
    let left = this.prefix();
    for (let t = this.peek(); t?.kind === 'op' && t.value in BINDING; t = this.peek()) {
      const op = t.value as BinaryOp;
      const bp = BINDING[op];
      if (bp < minBp) break;
      this.pos++;
      const right = this.expr(op === '^' ? bp : bp + 1);
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  prefix(): Expr {
    const t = this.toks[this.pos++];
    if (!t) return this.fail('the expression ends too early');
    const at = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'int':
      case 'float':
        return { kind: 'literal', value: t.value as number, float: t.kind === 'float', ...at };
      case 'string':
        return { kind: 'literal', value: t.value as string, ...at };
      case 'var':
        return { kind: 'var', n: t.value as number, ...at };
      case 'op': {
        if (t.value !== '!' && t.value !== '-') this.fail(`unexpected ${describe(t)}`, t);
        const arg = this.expr(PREFIX);
        // A negative literal is a literal (as the component folds it).
        if (t.value === '-' && arg.kind === 'literal' && typeof arg.value === 'number') return { ...arg, value: -arg.value, start: t.start };
        return { kind: 'unary', op: t.value, arg, start: t.start, end: arg.end };
      }
      case '(': {
        if (this.peek()?.kind === ')') return { kind: 'literal', value: null, start: t.start, end: this.toks[this.pos++]!.end };
        const first = this.expr(0);
        if (this.peek()?.kind !== ',') return { ...first, start: t.start, end: this.expect(')', '")"').end };
        const items = [first];
        while (this.peek()?.kind === ',') {
          this.pos++;
          items.push(this.expr(0));
        }
        return { kind: 'tuple', items, start: t.start, end: this.expect(')', '")"').end };
      }
      case 'ident': {
        const name = t.value as string;
        if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', ...at };
        if (WORD_OPS.includes(name)) this.fail(`"${name}" is not an operator; use "&&", "||" or "!"`, t);
        return this.call(t);
      }
      default:
        return this.fail(`unexpected ${describe(t)}`, t);
    }
  }

  call(t: Token): Expr {
    const name = t.value as string;
    if (this.peek()?.kind !== '(') this.fail(`unknown name "${name}" (functions are called with parentheses)`, t);
    this.pos++;
    const args: Expr[] = [];
    let end: number;
    if (this.peek()?.kind === ')') end = this.toks[this.pos++]!.end;
    else {
      for (;;) {
        args.push(this.expr(0));
        const next = this.toks[this.pos++];
        if (!next) this.fail(`unclosed arguments of ${name}`, undefined);
        if (next.kind === ',') continue;
        if (next.kind === ')') {
          end = next.end;
          break;
        }
        this.fail(`expected "," or ")" in the arguments of ${name}, found ${describe(next)}`, next);
      }
    }
    return { kind: 'call', name, args, start: t.start, end, nameEnd: t.end };
  }
}

/** Parses an expression; throws ExpressionSyntaxError (with offsets) on a syntax error. */
export function parseExpression(src: string): Expr {
  const toks = lex(src);
  if (!toks.length) throw new ExpressionSyntaxError('empty expression', 0, src.length);
  const p = new Parser(toks, src.length);
  const e = p.expr(0);
  const rest = p.peek();
  if (rest) {
    if (rest.kind === 'ident' && WORD_OPS.includes(rest.value as string)) p.fail(`"${rest.value}" is not an operator; use "&&", "||" or "!"`, rest);
    p.fail(`unexpected ${describe(rest)} after the end of the expression`, rest);
  }
  return e;
}

export function walk(e: Expr, f: (e: Expr, insideAggregation: boolean) => void, inside = false): void {
  f(e, inside);
  const agg = e.kind === 'call' && AGGREGATIONS.includes(e.name);
  if (e.kind === 'tuple') e.items.forEach((x) => walk(x, f, inside));
  if (e.kind === 'unary') walk(e.arg, f, inside);
  if (e.kind === 'binary') {
    walk(e.left, f, inside);
    walk(e.right, f, inside);
  }
  if (e.kind === 'call') e.args.forEach((x) => walk(x, f, inside || agg));
}

export interface CheckOptions {
  mode?: ExpressionMode;
  /** How many inputs the rule has: `$n` beyond them is an error. */
  inputs?: number;
  /** The result must be a boolean (filter, branch, trigger): a result that can never be one is an error. */
  boolean?: boolean;
}

type Shape = 'boolean' | 'number' | 'string' | 'tuple' | 'empty' | 'unknown';
const NUMERIC = /^(cToF|fToC|psiToBar|barToPsi|inToCm|cmToIn|ftToM|mToFt|lbToKg|kgToLb|galToL|lToGal|scale|round_n|floor|ceil|round|len|min|max|math::.*|running_sum|running_count)$/;
const TEXT = /^(str::(to_lowercase|to_uppercase|trim|from|substring|regex_replace)|typeof)$/;
const BOOLEAN = /^(str::regex_matches|contains|contains_any|changed)$/;

/** What an expression certainly gives, as far as it can be told without the inputs. */
function shapeOf(e: Expr): Shape {
  switch (e.kind) {
    case 'literal':
      return e.value === null ? 'empty' : typeof e.value === 'boolean' ? 'boolean' : typeof e.value === 'number' ? 'number' : 'string';
    case 'tuple':
      return 'tuple';
    case 'unary':
      return e.op === '!' ? 'boolean' : 'number';
    case 'binary': {
      if (['||', '&&', '==', '!=', '<', '>', '<=', '>='].includes(e.op)) return 'boolean';
      if (e.op !== '+') return 'number';
      const [l, r] = [shapeOf(e.left), shapeOf(e.right)];
      return l === 'string' || r === 'string' ? 'string' : l === 'number' && r === 'number' ? 'number' : 'unknown';
    }
    case 'call': {
      if (e.name === 'if' && e.args.length === 3) {
        const [a, b] = [shapeOf(e.args[1]!), shapeOf(e.args[2]!)];
        return a === b ? a : 'unknown';
      }
      return NUMERIC.test(e.name) ? 'number' : TEXT.test(e.name) ? 'string' : BOOLEAN.test(e.name) ? 'boolean' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/**
 * Every problem of an expression: the syntax error, or else unknown functions,
 * wrong argument counts, aggregation misuse and `$n` beyond the rule's inputs.
 */
export function checkExpression(src: string, o: CheckOptions = {}): ExpressionError[] {
  let e: Expr;
  try {
    e = parseExpression(src);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return [{ message: err.message, start: err.start, end: err.end }];
    throw err;
  }
  const mode = o.mode ?? 'row';
  const errors: ExpressionError[] = [];
  let aggregations = 0;
  walk(e, (x, inside) => {
    if (x.kind === 'var' && o.inputs !== undefined && x.n > o.inputs) {
      errors.push({ message: `the expression uses $${x.n} but the rule has ${o.inputs} input(s)`, start: x.start, end: x.end });
    }
    if (x.kind === 'var' && mode === 'accumulate' && !inside) {
      errors.push({ message: 'positional variables in accumulate expressions must be inside an aggregation', start: x.start, end: x.end });
    }
    if (x.kind !== 'call') return;
    const at = { start: x.start, end: x.nameEnd };
    const running = triggerFunctionInfo(x.name);
    if (running && mode === 'trigger') {
      // As parse.rs: `running_count()` alone, otherwise exactly one `$n`.
      const ok = (x.args.length === 0 && running.min === 0) || (x.args.length === 1 && x.args[0]!.kind === 'var');
      if (!ok) errors.push({ message: `${x.name}() takes exactly one positional variable, like ${x.name}($1)`, ...at });
      return;
    }
    if (running && !functionInfo(x.name) && !AGGREGATIONS.includes(x.name)) {
      errors.push({ message: `unknown function "${x.name}" (running functions exist only in window triggers)`, ...at });
      return;
    }
    if (AGGREGATIONS.includes(x.name) && mode === 'accumulate') {
      aggregations++;
      if (x.args.length !== 1 || x.args[0]!.kind !== 'var') errors.push({ message: `${x.name}() takes exactly one positional variable, like ${x.name}($1)`, ...at });
      return;
    }
    if (AGGREGATIONS.includes(x.name) && !functionInfo(x.name)) {
      errors.push({ message: `${x.name}() is an aggregation; it exists only in window accumulate rules`, ...at });
      return;
    }
    const f = functionInfo(x.name);
    if (!f) return void errors.push({ message: `unknown function "${x.name}"`, ...at });
    if (x.args.length < f.min || x.args.length > f.max) {
      const want = f.min === f.max ? `${f.min}` : f.max === Infinity ? `at least ${f.min}` : `${f.min} to ${f.max}`;
      errors.push({ message: `${x.name}() takes ${want} argument(s), got ${x.args.length}`, ...at });
    }
  });
  if (mode === 'accumulate' && !aggregations) {
    errors.push({ message: 'an accumulate expression needs an aggregation (average, sum, min, max, count, first, last)', start: 0, end: src.length });
  }
  const shape = shapeOf(e);
  if (o.boolean && !errors.length && shape !== 'boolean' && shape !== 'unknown') {
    errors.push({ message: `the expression must give true or false, but gives ${shape === 'empty' ? '()' : `a ${shape}`}; compare it, e.g. "$1 > 10"`, start: e.start, end: e.end });
  }
  return errors;
}
