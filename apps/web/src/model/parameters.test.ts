import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parametersOf } from './parameters.ts';

const complexYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-complex.yaml', import.meta.url), 'utf8');

describe('parameters of an operation', () => {
  it('reads key, name, description, default (as text) and required', () => {
    expect(parametersOf(parse(complexYaml), 'module-temperature/filter')).toEqual([
      { key: 'temperature_lower_bound', name: 'temperature_lower_bound', description: 'Lowest valid temperature in Celsius (exclusive)', default: '-40', required: false },
      { key: 'temperature_upper_bound', name: 'temperature_upper_bound', description: 'Highest valid temperature in Celsius (exclusive)', default: '3422', required: false },
    ]);
    expect(parametersOf(parse(complexYaml), 'sink')).toEqual([]);
    expect(parametersOf(parse('moduleConfigurations: [{ name: m, parameters: { n: { name: n, default: 5, required: true } } }]'), 'm'))
      .toEqual([{ key: 'n', name: 'n', default: '5', required: true }]);
  });
});
