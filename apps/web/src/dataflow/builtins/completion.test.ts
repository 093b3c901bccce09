import { describe, expect, it } from 'vitest';
import { fieldPaths, functionSuggestions, insertFunction, metadataPaths, pathsOf, wordAt } from './completion.ts';
import type { Sample } from '../../preview/messages.ts';

const sample = (operation: string, data: unknown, event: Sample['event'] = 'in'): Sample => ({ seq: 1, operation, event, at: 0, item: { encoding: 'json', data: JSON.stringify(data) } });

describe('completion', () => {
  it('offers functions for the word at the cursor', () => {
    expect(wordAt('cToF($1) + str::to', 18)).toEqual({ start: 11, word: 'str::to' });
    expect(functionSuggestions('cT', 2, 'row').items.map((f) => f.name)).toEqual(['cToF']);
    expect(functionSuggestions('$1 + str::to', 12, 'row').items.map((f) => f.name)).toEqual(['str::to_lowercase', 'str::to_uppercase']);
    expect(functionSuggestions('sq', 2, 'row').items.map((f) => f.name)).toEqual(['math::sqrt']);
    expect(functionSuggestions('aver', 4, 'row').items).toEqual([]);
    expect(functionSuggestions('aver', 4, 'accumulate').items.map((f) => f.name)).toEqual(['average']);
    // Window triggers: the running functions, only there.
    expect(functionSuggestions('$1 > runn', 9, 'trigger').items.map((f) => f.name)).toEqual(['running_sum', 'running_avg', 'running_min', 'running_max', 'running_count']);
    expect(functionSuggestions('pre', 3, 'trigger').items.map((f) => f.name)).toEqual(['prev']);
    expect(functionSuggestions('runn', 4, 'row').items).toEqual([]);
    expect(functionSuggestions('aver', 4, 'trigger').items).toEqual([]);
    expect(functionSuggestions('"cT', 3, 'row').items).toEqual([]);
    expect(functionSuggestions('$1', 2, 'row').items).toEqual([]);
    expect(insertFunction('1 + cT', 4, 6, 'cToF')).toEqual({ text: '1 + cToF(', cursor: 9 });
    expect(insertFunction('cT($1)', 0, 2, 'cToF')).toEqual({ text: 'cToF($1)', cursor: 4 });
  });

  it('lists field paths of the node\'s samples, else of any', () => {
    expect(pathsOf({ a: { b: 1, 'c.d': 2 }, e: [1] })).toEqual(['a', 'a.b', 'a."c.d"', 'e']);
    const samples = { 'source': [sample('source', { x: 1 })], 'map/map': [sample('map/map', { temperature: { value: 1 } }), sample('map/map', { out: 1 }, 'out')] };
    expect(fieldPaths(samples, 'map')).toEqual(['temperature', 'temperature.value']);
    expect(fieldPaths(samples, 'other')).toEqual(['out', 'temperature', 'temperature.value', 'x']);
  });
});

describe('metadata completion', () => {
  const withProps = (operation: string, props: [string, string][]): Sample => ({ seq: 1, operation, event: 'in', at: 0, item: { encoding: 'json', data: '{}', userProperties: props } });
  it('offers the topic and the user properties seen entering the node (not __ts), quoting keys with dots', () => {
    const samples = { 'map/source': [withProps('map/source', [['__ts', '1:0:x'], ['site', 'a'], ['unit.kind', 'F']])], 'other/source': [withProps('other/source', [['zone', 'z']])] };
    expect(metadataPaths(samples, 'map')).toEqual(['$metadata.topic', '$metadata.user_property.site', '$metadata.user_property."unit.kind"']);
    expect(metadataPaths({ 'other/source': samples['other/source'] }, 'map')).toEqual(['$metadata.topic', '$metadata.user_property.zone']);
    expect(metadataPaths({}, 'map')).toEqual(['$metadata.topic']);
  });
});
