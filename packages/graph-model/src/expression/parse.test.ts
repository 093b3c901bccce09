import { describe, expect, it } from 'vitest';
import { checkExpression, parseExpression, type Expr } from './parse.ts';
import { FUNCTIONS } from './functions.ts';

/** The tree as a fully parenthesised string, to read precedence at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal': return e.value === null ? '()' : typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'var': return `$${e.n}`;
    case 'tuple': return `(${e.items.map(show).join(', ')})`;
    case 'unary': return `(${e.op}${show(e.arg)})`;
    case 'binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call': return `${e.name}(${e.args.map(show).join(', ')})`;
  }
}
const p = (s: string) => show(parseExpression(s));
const errors = (s: string, o?: Parameters<typeof checkExpression>[1]) => checkExpression(s, o).map((e) => e.message);

describe('parseExpression', () => {
  it('parses the reference worked examples', () => {
    expect(p('cToF($1)')).toBe('cToF($1)');
    expect(p('$1 > 100')).toBe('($1 > 100)');
    expect(p('$1 + ", " + $2')).toBe('(($1 + ", ") + $2)');
    expect(p('if($1 > 1000, "alerts", "historian")')).toBe('if(($1 > 1000), "alerts", "historian")');
    expect(p('if($2 == (), $1, $1 * $2)')).toBe('if(($2 == ()), $1, ($1 * $2))');
    expect(p('$1 > 30 && $2 < 60')).toBe('(($1 > 30) && ($2 < 60))');
    expect(p('($1 + $2) / 2')).toBe('(($1 + $2) / 2)');
    expect(p('scale($1, 0, 4095, 0, 100)')).toBe('scale($1, 0, 4095, 0, 100)');
    expect(p('max($1) - min($1)')).toBe('(max($1) - min($1))');
    expect(p('str::regex_replace($1, "^prefix/", "")')).toBe('str::regex_replace($1, "^prefix/", "")');
  });

  it('follows the precedence and associativity decided in docs/architecture.md', () => {
    expect(p('$1 * 2 ^ 3')).toBe('($1 * (2 ^ 3))');
    expect(p('2 ^ 3 ^ 2')).toBe('(2 ^ (3 ^ 2))');
    expect(p('-$1 * 2')).toBe('((-$1) * 2)');
    expect(p('-$1 ^ 2')).toBe('((-$1) ^ 2)');
    expect(p('!$1 && $2')).toBe('((!$1) && $2)');
    expect(p('1 + 2 * 3 - 4 / 5 % 6')).toBe('((1 + (2 * 3)) - ((4 / 5) % 6))');
    expect(p('true == 1 < 2')).toBe('(true == (1 < 2))');
    expect(p('$1 || $2 && $3')).toBe('($1 || ($2 && $3))');
    expect(p('$1 == $2 != $3')).toBe('(($1 == $2) != $3)');
    expect(p('10 - 3 - 2')).toBe('((10 - 3) - 2)');
  });

  it('reads literals as the component does', () => {
    expect(p('-2')).toBe('-2');
    expect(p('3.14 + 1e3')).toBe('(3.14 + 1000)');
    expect(p("'High'")).toBe('"High"');
    expect(p('"a\\"b\\u0041\\d"')).toBe(JSON.stringify('a"bA\\d'));
    expect(p('(1, 2, "x")')).toBe('(1, 2, "x")');
    expect(p('()')).toBe('()');
    expect(p('false')).toBe('false');
  });

  it('accepts every function with its arity', () => {
    for (const f of FUNCTIONS) {
      const args = Array.from({ length: f.min }, (_, i) => `$${i + 1}`).join(', ');
      expect(errors(`${f.name}(${args})`), f.name).toEqual([]);
    }
    expect(errors('str::substring($1, 0, 2)')).toEqual([]);
    expect(errors('min(1, 2, 3, 4)')).toEqual([]);
  });
});

describe('checkExpression', () => {
  it('places syntax errors', () => {
    expect(checkExpression('$1 +')).toEqual([{ message: 'the expression ends too early', start: 4, end: 4 }]);
    expect(checkExpression('$1 = 2')[0]).toMatchObject({ message: '"=" is not an operator; use "=="', start: 3 });
    expect(checkExpression('$1 & $2')[0]).toMatchObject({ message: '"&" is not an operator; use "&&"', start: 3 });
    expect(checkExpression('($1 + 2')[0]).toMatchObject({ message: 'expected ")", found the end of the expression', start: 7 });
    expect(checkExpression('"abc')[0]).toMatchObject({ message: 'unterminated string literal', start: 0 });
    expect(checkExpression('$1 and $2')[0]).toMatchObject({ message: '"and" is not an operator; use "&&", "||" or "!"', start: 3, end: 6 });
    expect(checkExpression('$temperature')[0]!.message).toMatch(/not a positional variable/);
    expect(checkExpression('1 2')[0]).toMatchObject({ message: 'unexpected number 2 after the end of the expression', start: 2 });
    expect(checkExpression('12abc')[0]!.message).toBe('malformed number at column 1');
    expect(checkExpression('$1 # 2')[0]).toMatchObject({ message: 'unexpected character "#" at column 4', start: 3 });
    expect(checkExpression('')[0]!.message).toBe('empty expression');
    expect(checkExpression('cToF')[0]!.message).toBe('unknown name "cToF" (functions are called with parentheses)');
    expect(checkExpression('if($1, 2 3)')[0]!.message).toBe('expected "," or ")" in the arguments of if, found number 3');
  });

  it('reports unknown functions, arity and $n beyond the inputs, each placed', () => {
    expect(checkExpression('ctof($1)')).toEqual([{ message: 'unknown function "ctof"', start: 0, end: 4 }]);
    expect(errors('round_n($1)')).toEqual(['round_n() takes 2 argument(s), got 1']);
    expect(errors('str::substring($1)')).toEqual(['str::substring() takes 2 to 3 argument(s), got 1']);
    expect(errors('max()')).toEqual(['max() takes at least 1 argument(s), got 0']);
    expect(checkExpression('$1 + $3', { inputs: 2 })).toEqual([{ message: 'the expression uses $3 but the rule has 2 input(s)', start: 5, end: 7 }]);
    expect(errors('$1 + $2', { inputs: 2 })).toEqual([]);
  });

  it('keeps aggregations to accumulate rules', () => {
    expect(errors('average($1)')).toEqual(['average() is an aggregation; it exists only in window accumulate rules']);
    expect(errors('max($1)')).toEqual([]);
    expect(errors('average($1) + max($2)', { mode: 'accumulate', inputs: 2 })).toEqual([]);
    expect(errors('cToF(average($1))', { mode: 'accumulate' })).toEqual([]);
    expect(errors('average($1 + $2)', { mode: 'accumulate' })).toEqual(['average() takes exactly one positional variable, like average($1)']);
    expect(errors('$1', { mode: 'accumulate' })).toEqual([
      'positional variables in accumulate expressions must be inside an aggregation',
      'an accumulate expression needs an aggregation (average, sum, min, max, count, first, last)',
    ]);
  });
});
