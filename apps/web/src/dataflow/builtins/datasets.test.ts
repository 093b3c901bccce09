import { describe, expect, it } from 'vitest';
import { aliasOf, contextInputs, datasetProblems, joinKey, splitKey, withDatasets } from './datasets.ts';
import { writeJson } from './json-edit.ts';

describe('enrichment datasets', () => {
  it('splits and joins "key as alias"', () => {
    expect(splitKey('sensors as s')).toEqual({ storeKey: 'sensors', alias: 's' });
    expect(splitKey('sensors')).toEqual({ storeKey: 'sensors', alias: '' });
    // While the alias is being typed: "as" with nothing after it yet.
    expect(splitKey('sensors as ')).toEqual({ storeKey: 'sensors', alias: '' });
    expect(joinKey('sensors', 's')).toBe('sensors as s');
    expect(joinKey('sensors', ' ')).toBe('sensors');
    expect(aliasOf({ key: 'sensors as s' })).toBe('s');
    expect(aliasOf({ key: 'sensors' })).toBe('sensors');
  });

  it('offers $context(<alias>) and the record fields the match inputs read', () => {
    expect(contextInputs([
      { key: 'assets as a', inputs: ['$source.deviceId', '$context.id'] },
      { key: 'limits', inputs: ['$context.site', '$context.site'] },
      { key: '', inputs: ['$context.x'] },
    ])).toEqual(['$context(a)', '$context(a).id', '$context(limits)', '$context(limits).site']);
  });

  it('removes the datasets key when the last row goes, and adds it when the first comes', () => {
    const rules = { map: [{ inputs: ['*'], output: '*' }] };
    const one = withDatasets(rules, [{ key: 'k', inputs: [], expression: 'true' }]);
    expect(one).toEqual({ ...rules, datasets: [{ key: 'k', inputs: [], expression: 'true' }] });
    expect(withDatasets(one, [])).toEqual(rules);
  });

  it('keeps untouched datasets and rules byte for byte when one dataset changes', () => {
    const text = '{ "datasets": [ {"key": "a as x", "inputs": ["$source.id", "$context.id"], "expression": "$1 == $2"},\n  {"key":"b","inputs":[],"expression":"true"} ],\n  "map": [ {"inputs": ["t"], "output": "t", "expression": "$1 * 1.0"} ] }';
    const value = JSON.parse(text) as Record<string, unknown>;
    const datasets = (value.datasets as { key: string }[]).map((d, i) => (i === 1 ? { ...d, key: 'b as y' } : d));
    const out = writeJson(text, { ...value, datasets });
    expect(out).toContain('{"key": "a as x", "inputs": ["$source.id", "$context.id"], "expression": "$1 == $2"}');
    expect(out).toContain('"map": [ {"inputs": ["t"], "output": "t", "expression": "$1 * 1.0"} ]');
    expect(JSON.parse(out).datasets[1].key).toBe('b as y');
  });

  it('picks a dataset\'s problems by their number', () => {
    const problems = [{ message: 'dataset 1: "key" is required' }, { message: 'dataset 2: unknown function' }, { message: 'rule 1: x' }];
    expect(datasetProblems(problems, 1)).toEqual([{ message: 'dataset 2: unknown function' }]);
  });
});
