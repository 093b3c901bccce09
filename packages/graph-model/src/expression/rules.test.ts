import { describe, expect, it } from 'vitest';
import { builtinArtifact, builtinKindOf, checkBuiltinConfiguration, pathProblem } from './rules.ts';

const messages = (...a: Parameters<typeof checkBuiltinConfiguration>) => checkBuiltinConfiguration(...a).map((p) => p.message);

describe('built-in artifacts', () => {
  it('knows the kind of an artifact', () => {
    expect(builtinArtifact('map')).toBe('azureiotoperations/graph-dataflow-map:1.0.0');
    expect(builtinKindOf('azureiotoperations/graph-dataflow-window:1.1.0')).toBe('window');
    expect(builtinKindOf('mcr.microsoft.com/azureiotoperations/graph-dataflow-branch:1.0.0')).toBe('branch');
    expect(builtinKindOf('azure-samples/explore-iot-operations/temperature:1.0.0')).toBeUndefined();
    expect(builtinKindOf('azureiotoperations/graph-dataflow-nope:1.0.0')).toBeUndefined();
  });
});

describe('checkBuiltinConfiguration', () => {
  it('accepts the reference examples', () => {
    expect(messages('map', { rules: '{"map":[{"inputs":["temperature"],"output":"temperature_f","expression":"cToF($1)"}]}' })).toEqual([]);
    expect(messages('map', { rules: '{"map":[{"inputs":["*"],"output":"*"},{"inputs":["temperature"],"output":"$metadata.topic","expression":"if($1 > 1000, \\"alerts\\", \\"historian\\")"}]}' })).toEqual([]);
    expect(messages('map', { rules: '{"map":[{"inputs":[],"output":"alert","expression":"true"},{"inputs":["Position"],"output":""}]}' })).toEqual([]);
    expect(messages('filter', { rules: '{"version":"1.0.0","filter":[{"inputs":["temperature"],"expression":"$1 > 100"}]}' })).toEqual([]);
    expect(messages('branch', { rules: '{"branch":{"inputs":["severity"],"expression":"$1 > 5"}}' })).toEqual([]);
    expect(messages('window', { delay: '{"type":"duration","delaySeconds":30}', rules: '{"accumulate":[{"inputs":["temperature"],"output":"tempRange","expression":"max($1) - min($1)"}]}' })).toEqual([]);
    expect(messages('throttle', { throttle: '{"perTopicThrottles":[{"topic":"sensors/temperature","maxMessagesPerSecond":10},{"topic":"sensors/#","maxMessagesPerSecond":0.1}]}' })).toEqual([]);
    expect(messages('concatenate', {})).toEqual([]);
    expect(messages('map', { rules: '{"datasets":[{"key":"devices as d","inputs":["$source.id","$context.id"],"expression":"$1 == $2"}],"map":[{"inputs":["$context(d).site"],"output":"site"}]}' })).toEqual([]);
    expect(messages('filter', { rules: '{"datasets":[{"key":"d","inputs":["$source.id"],"expression":"$1 == $2"}],"filter":[]}' })).toEqual(['dataset 1: the expression uses $2 but the rule has 1 input(s)']);
  });

  it('places problems on key, rule and field', () => {
    expect(checkBuiltinConfiguration('map', { rules: '{"map":[{"inputs":["a"],"output":"b"},{"inputs":["t"],"output":"f","expression":"cToF($2)","description":"to F"}]}' })).toEqual([
      { key: 'rules', rule: 1, field: 'expression', message: 'rule 2 ("to F"): the expression uses $2 but the rule has 1 input(s)', start: 5, end: 7 },
    ]);
    expect(messages('map', { rules: '{"map":[' })[0]).toMatch(/^rules is not valid JSON/);
    expect(messages('map', {})).toEqual(['"rules" is required']);
    expect(messages('map', { rules: '{"map":[{"inputs":["a"],"output":"","expression":"1"}]}' })).toEqual(['rule 1: a remove rule (output "") takes no expression']);
    expect(messages('map', { rules: '{"map":[{"inputs":[],"output":"x"}]}' })).toEqual(['rule 1: a rule without inputs needs an expression']);
    expect(messages('map', { rules: '{"maps":[]}' })).toEqual(['unknown key "maps" in rules', '"map" must be a list of rules']);
    expect(messages('filter', { rules: '{"filter":[{"inputs":["*"],"expression":"$1"}]}' })).toEqual(['rule 1: wildcard inputs are not allowed here']);
    expect(messages('filter', { rules: '{"filter":[{"inputs":["a"]}]}' })).toEqual(['rule 1: "expression" is required']);
    expect(messages('branch', { rules: '{"branch":[]}' })).toEqual(['"branch" must be one rule (an object)']);
    expect(messages('window', { delay: '{"type":"duration","delaySeconds":0}', rules: '{"accumulate":[{"inputs":["t"],"output":"a","expression":"average($1)"},{"inputs":["t"],"output":"a","expression":"$1"}]}' })).toEqual([
      'delaySeconds must be a whole number greater than 0',
      'rule 2: positional variables in accumulate expressions must be inside an aggregation',
      'rule 2: an accumulate expression needs an aggregation (average, sum, min, max, count, first, last)',
      'rule 2: output "a" is used twice',
    ]);
    expect(messages('throttle', { throttle: '{"perTopicThrottles":[{"topic":"a/#/b","maxMessagesPerSecond":1},{"topic":"x","maxMessagesPerSecond":-1},{"topic":"x","maxMessagesPerSecond":1}]}' })).toEqual([
      'rule 1: "a/#/b" is not a valid MQTT topic filter',
      'rule 2: maxMessagesPerSecond must be a finite number ≥ 0',
      'rule 3: topic "x" appears twice',
    ]);
  });

  it('reads field paths as decision 9 says', () => {
    expect(pathProblem('Payload."Tag.10".Value')).toBeUndefined();
    expect(pathProblem('Person.Date of Birth')).toBeUndefined();
    expect(pathProblem('*.Max')).toBeUndefined();
    expect(pathProblem('a..b')).toBe('empty segment in field path "a..b"');
    expect(pathProblem('a.')).toBe('field path "a." ends with "."');
    expect(pathProblem('Sensor*')).toBe('"*" must be a whole segment ("Sensor*" in "Sensor*")');
    expect(pathProblem('*.a.*')).toBe('at most one "*" per path ("*.a.*")');
    expect(pathProblem('"a.b')).toBe('unterminated quoted segment in ""a.b"');
  });
});
