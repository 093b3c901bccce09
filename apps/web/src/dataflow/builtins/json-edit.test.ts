import { describe, expect, it } from 'vitest';
import { writeJson } from './json-edit.ts';

const REF = '{"map":[{"inputs":["Name"],"output":"Employee.Name"},{"inputs":["BirthDate"],"output":"Employee.DateOfBirth"}]}\n';
const PRETTY = `{
  "version": "1.0.0",
  "map": [
    { "inputs": ["t"], "output": "t", "expression": "$1 * 23.0" },
    { "inputs": [ "x" ], "output": "y" }
  ]
}
`;

describe('writeJson', () => {
  it('gives back the very text when nothing changed', () => {
    expect(writeJson(REF, JSON.parse(REF))).toBe(REF);
    expect(writeJson(PRETTY, JSON.parse(PRETTY))).toBe(PRETTY);
  });

  it('changes only the edited rule', () => {
    const v = JSON.parse(PRETTY);
    v.map[1].output = 'z';
    expect(writeJson(PRETTY, v)).toBe(PRETTY.replace('"output": "y"', '"output": "z"'));
    const r = JSON.parse(REF);
    r.map[0].expression = 'str::to_uppercase($1)';
    expect(writeJson(REF, r)).toBe('{"map":[{"inputs":["Name"],"output":"Employee.Name","expression":"str::to_uppercase($1)"},{"inputs":["BirthDate"],"output":"Employee.DateOfBirth"}]}\n');
  });

  it('keeps rules\' text through add, remove and reorder', () => {
    const v = JSON.parse(PRETTY);
    v.map.reverse();
    expect(writeJson(PRETTY, v)).toBe(PRETTY.replace('{ "inputs": ["t"], "output": "t", "expression": "$1 * 23.0" }', 'A').replace('{ "inputs": [ "x" ], "output": "y" }', '{ "inputs": ["t"], "output": "t", "expression": "$1 * 23.0" }').replace('A', '{ "inputs": [ "x" ], "output": "y" }'));
    v.map.push({ inputs: ['a'], output: 'b' });
    expect(writeJson(PRETTY, v)).toContain('{ "inputs": ["t"], "output": "t", "expression": "$1 * 23.0" },\n    {"inputs":["a"],"output":"b"}');
    const r = JSON.parse(REF);
    r.map.splice(0, 1);
    expect(writeJson(REF, r)).toBe('{"map":[{"inputs":["BirthDate"],"output":"Employee.DateOfBirth"}]}\n');
  });

  it('adds keys in the text\'s style and starts fresh without a text', () => {
    const v = JSON.parse(PRETTY);
    v.map[0].description = 'scale';
    expect(writeJson(PRETTY, v)).toContain('"expression": "$1 * 23.0", "description": "scale" }');
    expect(writeJson(undefined, { map: [] })).toBe('{"map":[]}');
    expect(writeJson('{"map":[', { map: [] })).toBe('{"map":[]}');
    expect(writeJson('{"map":[]}', { map: [{ inputs: ['*'], output: '*' }] })).toBe('{"map":[{"inputs":["*"],"output":"*"}]}');
  });
});
