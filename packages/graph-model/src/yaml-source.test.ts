import { describe, expect, it } from 'vitest';
import { diagnostic } from './diagnostics.ts';
import { parseGraphDefinition } from './graph-definition.ts';
import { parseManifests } from './manifests.ts';
import { locateAll, parseYamlSource } from './yaml-source.ts';

const TEXT = [
  '# leading comment', // 1
  'top:', // 2
  '  scalar: hello', // 3, value at col 11
  '  "quoted key": 1', // 4
  '  7: seven', // 5
  '  empty:', // 6
  '  flow: { a: 1, b: [x, y] }', // 7, `{` at col 9
  '  list:', // 8
  '    - first', // 9
  '    - name: second', // 10, item at col 7
  '      deep:', // 11
  '        leaf: true', // 12
  'after: 2', // 13
].join('\n') + '\n';

describe('parseYamlSource', () => {
  const src = parseYamlSource(TEXT);

  it('returns the plain value and no syntax errors', () => {
    expect(src.syntaxErrors).toEqual([]);
    expect(src.value).toEqual({
      top: { scalar: 'hello', 'quoted key': 1, 7: 'seven', empty: null, flow: { a: 1, b: ['x', 'y'] }, list: ['first', { name: 'second', deep: { leaf: true } }] },
      after: 2,
    });
  });

  it('locates a scalar at its value', () => {
    expect(src.locate(['top', 'scalar'])).toEqual({ line: 3, column: 11 });
    expect(src.locate(['top', 'list', 1, 'deep', 'leaf'])).toEqual({ line: 12, column: 15 });
    expect(src.locate(['after'])).toEqual({ line: 13, column: 8 });
  });

  it('matches quoted and numeric keys', () => {
    expect(src.locate(['top', 'quoted key'])).toEqual({ line: 4, column: 17 });
    expect(src.locate(['top', 7])).toEqual({ line: 5, column: 6 });
  });

  it('locates a block collection at its key, not at its first child', () => {
    expect(src.locate(['top'])).toEqual({ line: 2, column: 1 });
    expect(src.locate(['top', 'list'])).toEqual({ line: 8, column: 3 });
    expect(src.locate(['top', 'list', 1, 'deep'])).toEqual({ line: 11, column: 7 });
  });

  it('locates a flow collection at its opening bracket, and inside it', () => {
    expect(src.locate(['top', 'flow'])).toEqual({ line: 7, column: 9 });
    expect(src.locate(['top', 'flow', 'b', 1])).toEqual({ line: 7, column: 24 });
  });

  it('locates sequence items', () => {
    expect(src.locate(['top', 'list', 0])).toEqual({ line: 9, column: 7 });
    expect(src.locate(['top', 'list', 1])).toEqual({ line: 10, column: 7 });
  });

  it('keeps an empty value on its key line', () => {
    expect(src.locate(['top', 'empty'])?.line).toBe(6);
  });

  it('falls back to the deepest element found', () => {
    expect(src.locate(['top', 'scalar', 'further'])).toEqual({ line: 3, column: 11 });
    expect(src.locate(['top', 'missing', 'x'])).toEqual({ line: 2, column: 1 });
    expect(src.locate(['top', 'list', 5])).toEqual({ line: 8, column: 3 });
    expect(src.locate(['top', 'list', 'name'])).toEqual({ line: 8, column: 3 });
  });

  it('locates the empty path at the document content, after comments', () => {
    expect(src.locate([])).toEqual({ line: 2, column: 1 });
  });

  it('has nothing to locate in an empty document', () => {
    const empty = parseYamlSource('');
    expect(empty.value).toBeNull();
    expect(empty.locate(['a'])).toBeUndefined();
  });
});

describe('syntax errors', () => {
  it('are located and suppress the value', () => {
    const src = parseYamlSource('a: 1\nb: @x\n');
    expect(src.value).toBeUndefined();
    expect(src.syntaxErrors).toEqual([
      { path: '', message: expect.stringMatching(/^YAML: Plain value cannot start with reserved character @/), rule: 'yaml-syntax', severity: 'error', line: 2, column: 4 },
    ]);
  });

  it('report an alias to an undefined anchor instead of throwing', () => {
    const src = parseYamlSource('a: 1\nb: *nowhere\n');
    expect(src.value).toBeUndefined();
    expect(src.syntaxErrors).toEqual([expect.objectContaining({ rule: 'yaml-syntax', line: 2, column: 4, message: expect.stringContaining('Unresolved alias') })]);
  });

  it('report an alias used before its anchor at that alias', () => {
    const src = parseYamlSource('a: &ok 1\nb: *ok\nc: *late\nd: &late 2\n');
    expect(src.syntaxErrors).toEqual([expect.objectContaining({ line: 3, column: 4 })]);
  });

  it('report an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const name = String.fromCharCode(98 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const src = parseYamlSource(lines.join('\n'));
    expect(src.value).toBeUndefined();
    expect(src.syntaxErrors).toEqual([expect.objectContaining({ rule: 'yaml-syntax', line: 2, message: expect.stringContaining('Excessive alias count') })]);
  });

  it('resolves ordinary aliases', () => {
    expect(parseYamlSource('a: &x { k: v }\nb: *x\n').value).toEqual({ a: { k: 'v' }, b: { k: 'v' } });
  });

  it('reach parseGraphDefinition and parseManifests as diagnostics, not exceptions', () => {
    expect(parseGraphDefinition('metadata: *m\n').diagnostics).toEqual([expect.objectContaining({ rule: 'yaml-syntax', line: 1, column: 11 })]);
    const docs = parseManifests('kind: DataflowEndpoint\n---\nkind: *k\n');
    expect(docs[1]!.diagnostics).toEqual([expect.objectContaining({ rule: 'yaml-syntax', line: 3, column: 7 })]);
  });
});

describe('locateAll', () => {
  const src = parseYamlSource(TEXT);

  it('adds line and column to diagnostics with segments', () => {
    const [d] = locateAll([diagnostic(['top', 'scalar'], 'm', 'r')], src);
    expect(d).toMatchObject({ path: 'top.scalar', line: 3, column: 11 });
  });

  it('leaves already located diagnostics and ones without segments alone', () => {
    const located = { ...diagnostic(['top', 'scalar'], 'm', 'r'), line: 99, column: 1 };
    const bare = { path: '', message: 'm', rule: 'r', severity: 'error' as const };
    expect(locateAll([located, bare], src)).toEqual([located, bare]);
  });

  it('leaves the diagnostic unlocated when there is no document content', () => {
    const d = diagnostic(['x'], 'm', 'r');
    expect(locateAll([d], parseYamlSource(''))).toEqual([d]);
  });
});

describe('duplicate keys', () => {
  it('are reported at every repeated key, in block and flow maps, and at any depth', () => {
    const src = parseYamlSource('a: 1\nb: { x: 1, x: 2 }\nc:\n  d: 1\n  d: 2\na: 3\n');
    expect(src.value).toBeUndefined();
    expect(src.syntaxErrors.map((e) => [e.line, e.column])).toEqual([[2, 12], [5, 3], [6, 1]]);
    expect(src.syntaxErrors.every((e) => e.message === 'YAML: Map keys must be unique')).toBe(true);
  });

  it('compare keys as yaml does: the number 1 and the string "1" differ, equal keys in sibling maps do not clash', () => {
    expect(parseYamlSource('1: a\n"1": b\n').syntaxErrors).toEqual([]);
    expect(parseYamlSource('- { k: 1 }\n- { k: 2 }\n').syntaxErrors).toEqual([]);
  });
});

describe('deep nesting', () => {
  const deepCases: [string, string][] = [
    ['flow sequences', `${'['.repeat(50_000)}1${']'.repeat(50_000)}`],
    ['unclosed flow sequences', '['.repeat(50_000)],
    ['compact block sequences', `${'- '.repeat(100_000)}1\n`],
    ['indented maps', `${Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
  ];

  it.each(deepCases)('%s are refused before parsing, located where the limit is passed', (_, text) => {
    const src = parseYamlSource(text);
    expect(src.value).toBeUndefined();
    expect(src.syntaxErrors).toEqual([expect.objectContaining({ rule: 'yaml-syntax', message: 'YAML: nested deeper than 128 levels', line: expect.any(Number) })]);
  });

  it('counts structure, not brackets or dashes inside scalars and comments', () => {
    const text = `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\nc: |\n  ${'- '.repeat(500)}\n# ${'['.repeat(500)}\nd: x${'['.repeat(500)}\n`;
    const src = parseYamlSource(text);
    expect(src.syntaxErrors).toEqual([]);
    expect((src.value as { d: string }).d).toHaveLength(501);
  });

  it('accepts 100 levels', () => {
    const src = parseYamlSource(`${'['.repeat(100)}1${']'.repeat(100)}`);
    expect(src.syntaxErrors).toEqual([]);
  });
});

describe('deep nesting in a manifest file', () => {
  it('is refused before the documents are split', () => {
    const docs = parseManifests(`kind: DataflowEndpoint\n---\n${'- '.repeat(100_000)}1\n`);
    expect(docs).toEqual([{ index: 0, diagnostics: [expect.objectContaining({ message: 'YAML: nested deeper than 128 levels', line: 3 })] }]);
  });
});
