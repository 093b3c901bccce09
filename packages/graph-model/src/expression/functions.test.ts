import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGGREGATIONS, FUNCTIONS, TRIGGER_FUNCTIONS, completionNames } from './functions.ts';

// The components' own list: the designer must accept exactly what they accept.
const funcRs = readFileSync(new URL('../../../operators/rust/dataflow-expr/src/func.rs', import.meta.url), 'utf8');
/** The text of `fn <name>(…) { … }`, by matching braces from its first one. */
const body = (fnName: string) => {
  const start = funcRs.indexOf(`fn ${fnName}(`);
  expect(start, fnName).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = funcRs.indexOf('{', start); i < funcRs.length; i++) {
    if (funcRs[i] === '{') depth++;
    if (funcRs[i] === '}' && --depth === 0) return funcRs.slice(start, i + 1);
  }
  return funcRs.slice(start);
};
const names = (text: string) => [...text.matchAll(/^\s*"([\w:]+)" =>/gm)].map((m) => m[1]!).sort();

describe('the function list', () => {
  it('equals dataflow-expr lookup()', () => {
    expect(FUNCTIONS.map((f) => f.name).sort()).toEqual(names(body('lookup')));
  });
  it('names the aggregations of Agg::from_name', () => {
    expect([...AGGREGATIONS].sort()).toEqual(names(body('from_name')));
  });
  it('names the trigger running functions of Agg::from_trigger_name', () => {
    expect(TRIGGER_FUNCTIONS.map((f) => f.name).sort()).toEqual(names(body('from_trigger_name')));
  });
  it('gives the running functions the arity parse.rs accepts in Mode::Trigger: one $n, running_count also none', () => {
    const parseRs = readFileSync(new URL('../../../operators/rust/dataflow-expr/src/parse.rs', import.meta.url), 'utf8');
    // The only zero-argument arm is `(Agg::RunCount, [])`; every other takes `[Expr::Var(n)]`.
    expect(parseRs).toContain('(Agg::RunCount, []) => Ok(Expr::Agg(agg, 0))');
    expect(parseRs).toContain('(_, [Expr::Var(n)]) => Ok(Expr::Agg(agg, *n))');
    const runCount = body('from_trigger_name').match(/"(\w+)" => Agg::RunCount/)![1];
    for (const f of TRIGGER_FUNCTIONS) expect([f.name, f.min, f.max]).toEqual([f.name, f.name === runCount ? 0 : 1, 1]);
  });
  it('offers running functions only in trigger mode', () => {
    const offered = (mode: 'row' | 'accumulate' | 'trigger') => completionNames(mode).map((f) => f.name);
    expect(offered('trigger')).toEqual(expect.arrayContaining(['running_sum', 'running_count', 'changed', 'prev', 'first', 'cToF']));
    expect(offered('row')).not.toContain('running_sum');
    expect(offered('accumulate')).not.toContain('prev');
    expect(offered('trigger')).not.toContain('average');
  });
  it('has the arities of Func::arity', () => {
    // Each arm: `A | B => (lo, hi)`; variants map to names through Func::name.
    const nameOf = new Map([...body('name').matchAll(/(\w+) => "([\w:]+)"/g)].map((m) => [m[1]!, m[2]!]));
    for (const m of body('arity').matchAll(/^\s*([\w| ]+) => \((\d+), (\d+|usize::MAX)\)/gm)) {
      for (const variant of m[1]!.split('|').map((s) => s.trim()).filter((v) => v !== '_')) {
        const f = FUNCTIONS.find((x) => x.name === nameOf.get(variant));
        expect(f, variant).toBeDefined();
        expect([f!.min, f!.max], variant).toEqual([Number(m[2]), m[3] === 'usize::MAX' ? Infinity : Number(m[3])]);
      }
    }
    // The rest (`_ => (1, 1)`) take one argument.
    const listed = new Set([...body('arity').matchAll(/^\s*([\w| ]+) =>/gm)].flatMap((m) => m[1]!.split('|').map((s) => nameOf.get(s.trim()))));
    for (const f of FUNCTIONS.filter((x) => !listed.has(x.name))) expect([f.name, f.min, f.max]).toEqual([f.name, 1, 1]);
  });
});
