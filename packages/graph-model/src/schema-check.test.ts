import { describe, expect, it } from 'vitest';
import { diagnostic, formatDiagnostic, formatPath, ValidationError } from './diagnostics.ts';
import { checkSchema } from './schema-check.ts';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'items'],
  properties: {
    name: { type: 'string' },
    kind: { enum: ['a', 'b', null] },
    count: { type: ['integer', 'null'], minimum: 0 },
    items: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    map: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

describe('checkSchema', () => {
  it('returns nothing for a valid value', () => {
    expect(checkSchema(schema, { name: 'n', kind: null, count: 3, items: [{ id: 'x' }] })).toEqual([]);
  });

  it('reports every failure (allErrors), each with path segments', () => {
    const ds = checkSchema(schema, { name: 1, items: [{ id: 'x' }, {}] });
    expect(ds).toEqual([
      { path: 'name', segments: ['name'], message: 'must be string', rule: 'schema', severity: 'error' },
      { path: 'items[1]', segments: ['items', 1], message: 'missing required property "id"', rule: 'schema', severity: 'error' },
    ]);
  });

  it('reports a missing property at the object that lacks it', () => {
    expect(checkSchema(schema, { items: [] })).toEqual([expect.objectContaining({ path: '', segments: [], message: 'missing required property "name"' })]);
  });

  it('reports an unknown property at the property itself', () => {
    expect(checkSchema(schema, { name: 'n', items: [], extra: 1 })).toEqual([expect.objectContaining({ path: 'extra', segments: ['extra'], message: 'unknown property "extra"' })]);
  });

  it('lists enum values without null', () => {
    expect(checkSchema(schema, { name: 'n', items: [], kind: 'c' })).toEqual([expect.objectContaining({ path: 'kind', message: 'must be one of "a", "b"' })]);
  });

  it('joins multiple types with "or"', () => {
    expect(checkSchema(schema, { name: 'n', items: [], count: 'x' })).toEqual([expect.objectContaining({ path: 'count', message: 'must be integer or null' })]);
  });

  it("falls back to ajv's message for other keywords", () => {
    expect(checkSchema(schema, { name: 'n', items: [], count: -1 })).toEqual([expect.objectContaining({ path: 'count', message: 'must be >= 0' })]);
  });

  it('unescapes JSON pointer segments and keeps numeric-looking keys as numbers', () => {
    const ds = checkSchema(schema, { name: 'n', items: [], map: { 'a/b': 1, 'c~d': 2 } });
    expect(ds.map((d) => d.segments)).toEqual([['map', 'a/b'], ['map', 'c~d']]);
  });

  it('uses the rule id it is given', () => {
    expect(checkSchema(schema, {}, 'custom').every((d) => d.rule === 'custom')).toBe(true);
  });

  it('does not repeat identical diagnostics', () => {
    const anyOf = { anyOf: [{ type: 'string' }, { type: 'string', minLength: 1 }] };
    const ds = checkSchema(anyOf, 5);
    const keys = ds.map((d) => `${d.path}|${d.message}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('|must be string');
  });

  it('validates again with a cached validator', () => {
    expect(checkSchema(schema, { name: 'n', items: [] })).toEqual([]);
    expect(checkSchema(schema, { name: 2, items: [] })).toHaveLength(1);
  });
});

describe('diagnostics formatting', () => {
  it('formats paths with dots and brackets', () => {
    expect(formatPath(['operations', 2, 'module'])).toBe('operations[2].module');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('');
  });

  it('diagnostic() builds an error by default', () => {
    expect(diagnostic(['a', 1], 'msg', 'rule')).toEqual({ path: 'a[1]', segments: ['a', 1], message: 'msg', rule: 'rule', severity: 'error' });
    expect(diagnostic([], 'msg', 'rule', 'warning').severity).toBe('warning');
  });

  it('formats file:line:column for terminals', () => {
    const d = { ...diagnostic(['a'], 'bad', 'r'), line: 3, column: 5 };
    expect(formatDiagnostic(d, 'g.yaml')).toBe('g.yaml:3:5: error: bad (at a) [r]');
    expect(formatDiagnostic(d)).toBe('<input>:3:5: error: bad (at a) [r]');
    expect(formatDiagnostic({ ...d, column: undefined })).toBe('<input>:3:1: error: bad (at a) [r]');
    expect(formatDiagnostic({ path: '', message: 'm', rule: 'r', severity: 'warning' }, 'f')).toBe('f: warning: m [r]');
  });

  it('ValidationError lists one formatted diagnostic per line', () => {
    const e = new ValidationError([{ ...diagnostic(['a'], 'one', 'r'), line: 1, column: 2 }, diagnostic(['b'], 'two', 'r')], 'f.yaml');
    expect(e.name).toBe('ValidationError');
    expect(e.message.split('\n')).toEqual(['f.yaml:1:2: error: one (at a) [r]', 'f.yaml: error: two (at b) [r]']);
  });
});
