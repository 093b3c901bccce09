import { describe, expect, it } from 'vitest';
import { compareRecords, type OutputRecord } from './compare.ts';

const rec = (payload: string, extra: Partial<OutputRecord> = {}): OutputRecord => ({ topic: 'sensors', payload, ...extra });

describe('compareRecords payload comparison', () => {
  it('compares JSON payloads as values: key order, whitespace and 85 vs 85.0 do not matter', () => {
    const expected = rec('{"temperature":{"value":85,"unit":"C","overtemp":false}}');
    const actual = rec('{ "temperature" : {\n "overtemp": false, "unit": "C",\n "value": 85.0 } }');
    expect(compareRecords(expected, [actual], ['payload'], [])).toEqual([]);
  });

  it('reports a differing JSON value, showing both sides', () => {
    const failures = compareRecords(rec('{"temperature":{"value":85}}'), [rec('{"temperature":{"value":85.5}}')], ['payload'], []);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^output 1: payload differs/);
    expect(failures[0]).toContain('{"temperature":{"value":85}}');
    expect(failures[0]).toContain('{"temperature":{"value":85.5}}');
  });

  it('array order inside a payload matters', () => {
    expect(compareRecords(rec('[1,2]'), [rec('[2,1]')], ['payload'], [])).toHaveLength(1);
  });

  it('a missing or extra key is a difference', () => {
    expect(compareRecords(rec('{"a":1}'), [rec('{"a":1,"b":2}')], ['payload'], [])).toHaveLength(1);
    expect(compareRecords(rec('{"a":1,"b":null}'), [rec('{"a":1}')], ['payload'], [])).toHaveLength(1);
  });

  it('ignores payload sub-paths on both sides', () => {
    const expected = rec('{"temperature":{"count":2,"last":20},"humidity":{"count":1}}');
    const actual = rec('{"temperature":{"count":2,"last":99},"humidity":{"count":7}}');
    expect(compareRecords(expected, [actual], ['payload'], ['payload.humidity', 'payload.temperature.last'])).toEqual([]);
    // Only the ignored paths are ignored: the count still counts.
    const wrongCount = rec('{"temperature":{"count":3,"last":99},"humidity":{"count":7}}');
    expect(compareRecords(expected, [wrongCount], ['payload'], ['payload.humidity', 'payload.temperature.last'])).toHaveLength(1);
  });

  it('an ignore path that does not exist is harmless', () => {
    expect(compareRecords(rec('{"a":1}'), [rec('{"a":1}')], ['payload'], ['payload.x.y.z', 'payload.a.b'])).toEqual([]);
  });

  it('compares a non-JSON payload as a string, exactly', () => {
    expect(compareRecords(rec('hello world'), [rec('hello world')], ['payload'], [])).toEqual([]);
    const failures = compareRecords(rec('hello world'), [rec('hello  world')], ['payload'], []);
    expect(failures).toEqual(['output 1: payload differs: expected "hello world", actual "hello  world"']);
  });

  it('a JSON payload does not equal a non-JSON one', () => {
    expect(compareRecords(rec('{"a":1}'), [rec('{"a":1')], ['payload'], [])).toHaveLength(1);
  });
});

describe('compareRecords output counts', () => {
  it('an expected object means exactly one output', () => {
    const expected = rec('{"a":1}');
    expect(compareRecords(expected, [rec('{"a":1}')], ['payload'], [])).toEqual([]);
    expect(compareRecords(expected, [], ['payload'], [])).toEqual(['expected 1 output message(s), got 0']);
    const two = compareRecords(expected, [rec('{"a":1}'), rec('{"a":1}')], ['payload'], []);
    expect(two).toEqual(['expected 1 output message(s), got 2']);
  });

  it('[] means no output', () => {
    expect(compareRecords([], [], ['payload'], [])).toEqual([]);
    expect(compareRecords([], [rec('{"a":1}')], ['payload'], [])).toEqual(['expected 0 output message(s), got 1']);
  });

  it('an expected array is compared in order', () => {
    const expected = [rec('{"n":1}'), rec('{"n":2}')];
    expect(compareRecords(expected, [rec('{"n":1}'), rec('{"n":2}')], ['payload'], [])).toEqual([]);
    const swapped = compareRecords(expected, [rec('{"n":2}'), rec('{"n":1}')], ['payload'], []);
    expect(swapped).toHaveLength(2);
    expect(swapped[0]).toMatch(/^output 1:/);
    expect(swapped[1]).toMatch(/^output 2:/);
  });

  it('with too few outputs, reports the count and compares those present', () => {
    const failures = compareRecords([rec('{"n":1}'), rec('{"n":2}')], [rec('{"n":9}')], ['payload'], []);
    expect(failures[0]).toBe('expected 2 output message(s), got 1');
    expect(failures[1]).toMatch(/^output 1: payload differs/);
    expect(failures).toHaveLength(2);
  });
});

describe('compareRecords selection', () => {
  it('compares only the selected paths', () => {
    const expected = rec('{"a":1}', { topic: 'sensors' });
    const actual = rec('{"a":2}', { topic: 'other' });
    expect(compareRecords(expected, [actual], [], [])).toEqual([]);
    expect(compareRecords(expected, [actual], ['topic'], [])).toEqual(['output 1: topic differs: expected "sensors", actual "other"']);
    expect(compareRecords(expected, [actual], ['payload', 'topic'], [])).toHaveLength(2);
  });

  it('selects a user property whose key holds a slash (properties.user-properties.otel/factoryId)', () => {
    const expected = rec('{}', { properties: { 'user-properties': { 'otel/factoryId': 'factoryA' } } });
    const same = rec('{}', { properties: { 'user-properties': { 'otel/factoryId': 'factoryA', other: 'x' } } });
    const different = rec('{}', { properties: { 'user-properties': { 'otel/factoryId': 'factoryB' } } });
    const missing = rec('{}', { properties: { 'user-properties': {} } });
    const select = ['properties.user-properties.otel/factoryId'];
    expect(compareRecords(expected, [same], select, [])).toEqual([]);
    expect(compareRecords(expected, [different], select, [])).toEqual([
      'output 1: properties.user-properties.otel/factoryId differs: expected "factoryA", actual "factoryB"',
    ]);
    expect(compareRecords(expected, [missing], select, [])).toHaveLength(1);
    expect(compareRecords(expected, [rec('{}')], select, [])).toHaveLength(1);
  });

  it('a user property key with dots is kept whole', () => {
    const expected = rec('{}', { properties: { 'user-properties': { 'a.b.c': '1' } } });
    const actual = rec('{}', { properties: { 'user-properties': { 'a.b.c': '2' } } });
    expect(compareRecords(expected, [actual], ['properties.user-properties.a.b.c'], [])).toHaveLength(1);
    expect(compareRecords(expected, [expected], ['properties.user-properties.a.b.c'], [])).toEqual([]);
  });

  it('does not modify the records it compares (ignores work on parsed copies)', () => {
    const expected = rec('{"a":1,"b":2}');
    const actual = rec('{"a":1,"b":3}');
    compareRecords(expected, [actual], ['payload'], ['payload.b']);
    expect(expected.payload).toBe('{"a":1,"b":2}');
    expect(actual.payload).toBe('{"a":1,"b":3}');
  });
});
