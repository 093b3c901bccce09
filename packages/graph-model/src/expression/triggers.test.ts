import { describe, expect, it } from 'vitest';
import { checkExpression } from './parse.ts';
import { builtinVersionOf, checkBuiltinConfiguration, schemaRefProblem } from './rules.ts';

const trigger = (src: string, inputs = 1) => checkExpression(src, { mode: 'trigger', inputs, boolean: true }).map((e) => e.message);
const window11 = (config: Record<string, string>) => checkBuiltinConfiguration('window', { rules: '{"accumulate":[]}', ...config }, '1.1.0');
const messages = (config: Record<string, string>) => window11(config).map((p) => p.message);
const triggers = (rules: unknown[], extra = {}) => JSON.stringify({ type: 'expression', ...extra, rules });

describe('trigger expressions (window 1.1.0, trigger.rs)', () => {
  it("accepts closing.rs's and the reference's running functions", () => {
    expect(trigger('running_sum($1) + $1 >= 10')).toEqual([]);
    expect(trigger('changed($1) && prev($1) == 1')).toEqual([]);
    expect(trigger('running_avg($1) > 20 || running_min($1) < 0 || running_max($1) > 100')).toEqual([]);
    expect(trigger('running_count() >= 4')).toEqual([]);
    expect(trigger('running_count($1) + 1 >= 3')).toEqual([]);
    expect(trigger('first($1) != $1')).toEqual([]);
    // The ordinary functions stay: min/max are not aggregations here.
    expect(trigger('max($1, prev($1)) > 10')).toEqual([]);
  });

  it('takes exactly one positional variable, running_count also none (parse.rs Mode::Trigger)', () => {
    expect(trigger('running_sum() > 1')).toEqual(['running_sum() takes exactly one positional variable, like running_sum($1)']);
    expect(trigger('running_sum($1 + 1) > 1')).toEqual(['running_sum() takes exactly one positional variable, like running_sum($1)']);
    expect(trigger('prev($1, $2) == 1', 2)).toEqual(['prev() takes exactly one positional variable, like prev($1)']);
    expect(trigger('running_count(1) > 1')).toEqual(['running_count() takes exactly one positional variable, like running_count($1)']);
    expect(checkExpression('changed($2)', { mode: 'trigger', inputs: 1 })).toEqual([{ message: 'the expression uses $2 but the rule has 1 input(s)', start: 8, end: 10 }]);
    expect(checkExpression('x && running_avg()', { mode: 'trigger' })[0]!.message).toBe('unknown name "x" (functions are called with parentheses)');
  });

  it('refuses accumulate aggregations in triggers and running functions elsewhere', () => {
    expect(trigger('average($1) > 1')).toEqual(['average() is an aggregation; it exists only in window accumulate rules']);
    expect(trigger('sum($1) > 1')).toEqual(['sum() is an aggregation; it exists only in window accumulate rules']);
    expect(checkExpression('running_sum($1) > 1', { inputs: 1 })).toEqual([{ message: 'unknown function "running_sum" (running functions exist only in window triggers)', start: 0, end: 11 }]);
    expect(checkExpression('running_sum($1)', { mode: 'accumulate', inputs: 1 }).map((e) => e.message)).toContain('unknown function "running_sum" (running functions exist only in window triggers)');
    expect(checkExpression('first($1) > 1', { inputs: 1 }).map((e) => e.message)).toEqual(['first() is an aggregation; it exists only in window accumulate rules']);
  });

  it('needs a result that can be a boolean', () => {
    expect(trigger('running_sum($1)')).toEqual(['the expression must give true or false, but gives a number; compare it, e.g. "$1 > 10"']);
    expect(checkExpression('$1 * 2', { mode: 'trigger', inputs: 1, boolean: true })).toEqual([
      { message: 'the expression must give true or false, but gives a number; compare it, e.g. "$1 > 10"', start: 0, end: 6 },
    ]);
    expect(trigger('str::from($1)')).toEqual(['the expression must give true or false, but gives a string; compare it, e.g. "$1 > 10"']);
    expect(trigger('if($1 > 1, 1, 2)')).toEqual(['the expression must give true or false, but gives a number; compare it, e.g. "$1 > 10"']);
    expect(trigger('()')).toEqual(['the expression must give true or false, but gives (); compare it, e.g. "$1 > 10"']);
    // What only the message can tell is left to the component.
    expect(trigger('$1')).toEqual([]);
    expect(trigger('prev($1)')).toEqual([]);
    expect(trigger('if($1 > 1, true, $1)')).toEqual([]);
    expect(trigger('changed($1)')).toEqual([]);
    expect(trigger('!$1')).toEqual([]);
  });
});

describe('window 1.1.0 configuration (closing.rs, trigger.rs)', () => {
  it('accepts the reference shapes', () => {
    expect(messages({
      count: '{"type":"messageCount","maxMessageCount":100,"boundaryMessage":"messageInCurrent"}',
      memory: '{"type":"bufferSize","maxBufferBytes":65536,"boundaryMessage":"messageInNext"}',
      triggers: triggers([{ inputs: ['temperature', '$metadata.topic'], trigger: 'running_max($1) - running_min($1) > 5 && $2 == "a"', boundaryMessage: 'messageInNext', description: 'spread' }]),
    })).toEqual([]);
    expect(messages({ count: '{"type":"messageCount","maxMessageCount":3}' })).toEqual([]);
    expect(messages({ triggers: triggers([{ inputs: ['v ? $last ?? 0'], trigger: 'changed($1)' }]) })).toEqual([]);
  });

  it('refuses what init refuses, each problem placed', () => {
    expect(window11({ count: '{"type":"messageCount","maxMessageCount":0}' })).toEqual([{ key: 'count', field: 'maxMessageCount', message: 'maxMessageCount must be a whole number greater than 0' }]);
    expect(messages({ memory: '{"type":"bytes","maxBufferBytes":1.5,"extra":1}' })).toEqual([
      'unknown key "extra" in memory', 'memory type "bytes" is not supported (bufferSize)', 'maxBufferBytes must be a whole number greater than 0',
    ]);
    expect(window11({ count: '{"type":"messageCount","maxMessageCount":2,"boundaryMessage":"next"}' })).toEqual([{ key: 'count', field: 'boundaryMessage', message: 'boundaryMessage must be messageInCurrent or messageInNext' }]);
    expect(messages({ triggers: triggers([]) })).toEqual(['triggers need at least one rule']);
    expect(messages({ triggers: '{"type":"expr","rules":[]}' })).toEqual(['triggers type "expr" is not supported (expression)', 'triggers need at least one rule']);
    expect(window11({ triggers: triggers([{ inputs: ['v'], trigger: 'ok' }, { inputs: ['v'], trigger: 'running_sum($1) >= ', description: 'sum' }]) })).toEqual([
      { key: 'triggers', rule: 0, field: 'expression', message: 'trigger 1: unknown name "ok" (functions are called with parentheses)', start: 0, end: 2 },
      { key: 'triggers', rule: 1, field: 'expression', message: 'trigger 2 ("sum"): the expression ends too early', start: 19, end: 19 },
    ]);
    expect(messages({ triggers: triggers([{ inputs: ['v'], expression: '$1 > 1' }]) })).toEqual(['trigger 1: unknown key "expression"', 'trigger 1: "trigger" is required']);
    expect(messages({ triggers: triggers([{ inputs: ['a.*'], trigger: '$1 > 1', boundaryMessage: 'x' }]) })).toEqual([
      'trigger 1: boundaryMessage must be messageInCurrent or messageInNext', 'trigger 1: wildcard inputs are not allowed here',
    ]);
    expect(messages({ triggers: triggers([{ inputs: ['v'], trigger: 'average($1) > 1' }]) })).toEqual(['trigger 1: average() is an aggregation; it exists only in window accumulate rules']);
    expect(messages({ triggers: triggers([{ inputs: ['v'], trigger: '$1 > 1' }], { datasets: [{ key: 'd', inputs: ['$source.a'], expression: '$1' }] }) })).toEqual([]);
    expect(messages({ triggers: triggers([{ inputs: ['v'], trigger: '$1 > 1' }], { datasets: [{ key: 'd', inputs: [], expression: '$1' }] }) })).toEqual(['dataset 1: the expression uses $1 but the rule has 0 input(s)']);
  });

  it('warns that 1.0.0 ignores count, memory and triggers', () => {
    expect(checkBuiltinConfiguration('window', { rules: '{"accumulate":[]}', count: 'not json' }, '1.0.0')).toEqual([
      { key: 'count', severity: 'warning', message: 'count is read by graph-dataflow-window:1.1.0 only; version 1.0.0 ignores it' },
    ]);
    expect(builtinVersionOf('azureiotoperations/graph-dataflow-window:1.1.0')).toBe('1.1.0');
    expect(builtinVersionOf('mcr.microsoft.com/azureiotoperations/graph-dataflow-window:1.0.0')).toBe('1.0.0');
    expect(builtinVersionOf('azureiotoperations/graph-dataflow-window@sha256:abc')).toBeUndefined();
  });
});

describe('filter schemaRef', () => {
  it('takes both reference forms and says why another is not one', () => {
    expect(schemaRefProblem('aio-sr://factory/temperature:1')).toBeUndefined();
    expect(schemaRefProblem('aio-sr://temperature:1.0.0')).toBeUndefined();
    expect(schemaRefProblem('factory/temperature:1')).toBe('schemaRef "factory/temperature:1" is not aio-sr://<namespace>/<name>:<version>');
    expect(schemaRefProblem('aio-sr://a/b/c:1')).toBe('schemaRef "aio-sr://a/b/c:1" is not aio-sr://<namespace>/<name>:<version>');
    expect(schemaRefProblem('aio-sr://factory/temperature')).toBe('schemaRef "aio-sr://factory/temperature" has no :<version>');
    expect(schemaRefProblem('aio-sr://factory/:1')).toMatch(/^schemaRef "aio-sr:\/\/factory\/:1": schema name "" must be/);
    expect(schemaRefProblem('aio-sr://fac tory/t:1')).toMatch(/^schemaRef "aio-sr:\/\/fac tory\/t:1": schema namespace "fac tory" must be/);
  });
  it('checks the filter configuration: validateSchema is allowed, a bad schemaRef is not', () => {
    expect(checkBuiltinConfiguration('filter', { rules: '{"validateSchema":true,"filter":[]}', schemaRef: 'aio-sr://factory/t:1' })).toEqual([]);
    expect(checkBuiltinConfiguration('filter', { rules: '{"validateSchema":"yes","filter":[]}' }).map((p) => p.message)).toEqual(['"validateSchema" must be true or false']);
    expect(checkBuiltinConfiguration('filter', { rules: '{"filter":[]}', schemaRef: 'aio-sr://temperature:1' })).toEqual([]);
    expect(checkBuiltinConfiguration('filter', { rules: '{"filter":[]}', schemaRef: 'aio-sr://factory' })).toEqual([
      { key: 'schemaRef', field: 'schemaRef', message: 'schemaRef "aio-sr://factory" has no :<version>' },
    ]);
    expect(checkBuiltinConfiguration('filter', { rules: '{"filter":[{"inputs":["t"],"expression":"$1 * 2"}]}' }).map((p) => p.message)).toEqual([
      'rule 1: the expression must give true or false, but gives a number; compare it, e.g. "$1 > 10"',
    ]);
  });
});
