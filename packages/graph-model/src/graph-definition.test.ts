import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError, type Diagnostic } from './diagnostics.ts';
import { loadGraphDefinition, parseGraphDefinition, validateGraphDefinition } from './graph-definition.ts';
import { checkGraphRules, findCycle } from './graph-rules.ts';
import type { GraphDefinition } from './types.ts';

const REFERENCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/reference-graphs');
const REFERENCE_GRAPHS = ['graph-simple.yaml', 'graph-complex.yaml', 'graph.dataflow.yaml', 'graph-opc-ua.yaml', 'graph-otel.yaml'];
const readReference = (file: string) => readFileSync(join(REFERENCE_DIR, file), 'utf8');

/** Seven header lines shared by the hand-written graphs; `operations:` is always line 8. */
const HEAD = [
  'metadata:',
  '  $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json"',
  '  name: test',
  '  version: "1.0.0"',
  'moduleRequirements:',
  '  apiVersion: "1.1.0"',
  '  runtimeVersion: "1.1.0"',
];

/**
 * HEAD, then `operations:` (line 8) with one operation per line from line 9,
 * then `connections:` and one line per connection, then `tail`.
 */
function graphYaml(ops: string[], conns: string[], tail: string[] = []): string {
  const section = (key: string, items: string[]) => (items.length ? [`${key}:`, ...items] : [`${key}: []`]);
  return [...HEAD, ...section('operations', ops), ...section('connections', conns), ...tail].join('\n') + '\n';
}

const errors = (text: string) => parseGraphDefinition(text).diagnostics.filter((d) => d.severity === 'error');
const warnings = (text: string) => parseGraphDefinition(text).diagnostics.filter((d) => d.severity === 'warning');
const withRule = (ds: Diagnostic[], rule: string) => ds.filter((d) => d.rule === rule);

// Column reference for the one-line forms used below:
//   `  - { name: m, operationType: map, module: "t:1" }`  item at col 5, name value at col 13
//   `  - { from: { name: X }, to: { name: Y } }`          from.name at col 21, to.name at col 21 + len(X) + 16
const SOURCE = '  - { name: source, operationType: source }';
const MAP = '  - { name: m, operationType: map, module: "t:1" }';
const SINK = '  - { name: sink, operationType: sink }';
const VALID = graphYaml([SOURCE, MAP, SINK], [
  '  - { from: { name: source }, to: { name: m } }',
  '  - { from: { name: m }, to: { name: sink } }',
]);

describe('reference graphs', () => {
  it('the reference directory holds the five sample graphs', () => {
    const files = readdirSync(REFERENCE_DIR);
    for (const f of REFERENCE_GRAPHS) expect(files).toContain(f);
  });

  it.each(REFERENCE_GRAPHS)('%s parses with no errors', (file) => {
    const { graph, diagnostics } = parseGraphDefinition(readReference(file));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(graph).toBeDefined();
    expect(graph!.metadata.$schema).toBe('https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json');
  });

  it('keeps the structure of the complex graph', () => {
    const g = loadGraphDefinition(readReference('graph-complex.yaml'));
    expect(g.operations).toHaveLength(15);
    expect(g.connections).toHaveLength(16);
    expect(g.operations.find((o) => o.name === 'concatenate1')).toEqual({ operationType: 'concatenate', name: 'concatenate1', module: null });
    const arms = g.connections.filter((c) => c.from.name === 'module-snapshot/branch').map((c) => [c.from.arm, c.to.name]);
    expect(arms).toEqual([['False', 'module-temperature/branch'], ['True', 'module-format/map']]);
  });

  it('graph.dataflow.yaml declares the wasi-nn feature and string defaults', () => {
    const g = loadGraphDefinition(readReference('graph.dataflow.yaml'));
    expect(g.moduleRequirements.features).toEqual([{ name: 'wasi-nn' }]);
    const filter = g.moduleConfigurations!.find((m) => m.name === 'module-temperature/filter')!;
    expect(filter.parameters.temperature_lower_bound!.default).toBe('-273.15');
  });

  it('graph-simple warns (only) that parameter key1 is named key2, at the name value', () => {
    const { diagnostics } = parseGraphDefinition(readReference('graph-simple.yaml'));
    expect(diagnostics).toEqual([
      expect.objectContaining({
        rule: 'parameter-names',
        severity: 'warning',
        path: 'moduleConfigurations[0].parameters.key1.name',
        line: 16,
        column: 15,
      }),
    ]);
  });

  it('graph-otel and graph-opc-ua produce no diagnostics at all', () => {
    expect(parseGraphDefinition(readReference('graph-otel.yaml')).diagnostics).toEqual([]);
    expect(parseGraphDefinition(readReference('graph-opc-ua.yaml')).diagnostics).toEqual([]);
  });
});

describe('the hand-written baseline', () => {
  it('is valid, so each broken variant below fails only because of its change', () => {
    const { graph, diagnostics } = parseGraphDefinition(VALID);
    expect(diagnostics).toEqual([]);
    expect(graph?.operations.map((o) => o.name)).toEqual(['source', 'm', 'sink']);
  });
});

describe('semantic rules', () => {
  it('rejects duplicate operation names at the second name', () => {
    const text = graphYaml([SOURCE, MAP, '  - { name: m, operationType: filter, module: "t:1" }', SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    const found = withRule(errors(text), 'unique-names');
    expect(found).toEqual([
      expect.objectContaining({ path: 'operations[2].name', line: 11, column: 13, message: expect.stringContaining('first at operations[1]') }),
    ]);
    expect(parseGraphDefinition(text).graph).toBeUndefined();
  });

  it('rejects an empty operation name', () => {
    const text = graphYaml([SOURCE, MAP, '  - { name: " ", operationType: sink }'], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: " " } }',
    ]);
    expect(withRule(errors(text), 'names')).toEqual([expect.objectContaining({ path: 'operations[2].name', line: 11, column: 13 })]);
  });

  it('rejects a connection to an unknown operation, at the unknown name', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
      '  - { from: { name: m }, to: { name: nope } }',
    ]);
    expect(withRule(errors(text), 'references')).toEqual([
      expect.objectContaining({ path: 'connections[2].to.name', line: 15, column: 38, message: 'unknown operation "nope"' }),
    ]);
  });

  it('rejects a connection from an unknown operation, at the unknown name', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: ghost }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    expect(withRule(errors(text), 'references')).toEqual([
      expect.objectContaining({ path: 'connections[1].from.name', line: 14, column: 21, message: 'unknown operation "ghost"' }),
    ]);
  });

  it('rejects an input into a source', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
      '  - { from: { name: m }, to: { name: source } }',
    ]);
    expect(withRule(errors(text), 'source-sink')).toEqual([
      expect.objectContaining({ path: 'connections[2].to.name', line: 15, column: 38, message: expect.stringContaining('source "source" cannot have an input') }),
    ]);
  });

  it('rejects an output from a sink', () => {
    const text = graphYaml([SOURCE, MAP, SINK, '  - { name: sink2, operationType: sink }'], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
      '  - { from: { name: sink }, to: { name: sink2 } }',
    ]);
    expect(withRule(errors(text), 'source-sink')).toEqual([
      expect.objectContaining({ path: 'connections[2].from.name', line: 16, column: 21, message: expect.stringContaining('sink "sink" cannot have an output') }),
    ]);
  });

  it('requires a source and a sink operation', () => {
    const text = graphYaml([MAP], []);
    const found = withRule(errors(text), 'source-sink');
    expect(found.map((d) => d.message)).toEqual(['graph has no source operation', 'graph has no sink operation']);
    // `operations:` holds a block sequence: the diagnostic points at the key, line 8.
    expect(found.every((d) => d.path === 'operations' && d.line === 8 && d.column === 1)).toBe(true);
  });

  describe('branch arms', () => {
    const branchOps = [SOURCE, '  - { name: b, operationType: branch, module: "t:1" }', MAP, SINK, '  - { name: sink2, operationType: sink }'];

    it('rejects a branch edge without arm, at its `from`', () => {
      const text = graphYaml(branchOps, [
        '  - { from: { name: source }, to: { name: b } }', // 15
        '  - from:', // 16
        '      name: b',
        '    to:',
        '      name: m',
        '  - { from: { name: b, arm: "False" }, to: { name: sink2 } }', // 20
        '  - { from: { name: m }, to: { name: sink } }',
      ]);
      expect(withRule(errors(text), 'branch-arms')).toEqual([
        expect.objectContaining({ path: 'connections[1].from', line: 16, column: 5, message: expect.stringContaining('needs arm: "True" or "False"') }),
      ]);
    });

    it('rejects an unquoted boolean arm, listing the allowed strings', () => {
      const text = graphYaml(branchOps, [
        '  - { from: { name: source }, to: { name: b } }', // 15
        '  - from:', // 16
        '      name: b',
        '      arm: false', // 18, value at col 12
        '    to:',
        '      name: m',
        '  - { from: { name: b, arm: "True" }, to: { name: sink2 } }',
        '  - { from: { name: m }, to: { name: sink } }',
      ]);
      const result = parseGraphDefinition(text);
      expect(result.graph).toBeUndefined();
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ rule: 'schema', severity: 'error', path: 'connections[1].from.arm', line: 18, column: 12 }),
      ]);
      const message = result.diagnostics[0]!.message;
      expect(message).toContain('"False"');
      expect(message).toContain('"True"');
    });

    it('rejects a lower-case string arm too', () => {
      const text = graphYaml(branchOps, [
        '  - { from: { name: source }, to: { name: b } }',
        '  - { from: { name: b, arm: "true" }, to: { name: m } }', // 16, value at col 29
        '  - { from: { name: b, arm: "False" }, to: { name: sink2 } }',
        '  - { from: { name: m }, to: { name: sink } }',
      ]);
      expect(errors(text)).toEqual([expect.objectContaining({ rule: 'schema', path: 'connections[1].from.arm', line: 16, column: 29 })]);
    });

    it('accepts quoted arms, and warns when one arm is unused', () => {
      const text = graphYaml(branchOps.slice(0, 4), [
        '  - { from: { name: source }, to: { name: b } }',
        '  - { from: { name: b, arm: "True" }, to: { name: m } }',
        '  - { from: { name: m }, to: { name: sink } }',
      ]);
      const result = parseGraphDefinition(text);
      expect(result.graph).toBeDefined();
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ rule: 'branch-arms', severity: 'warning', path: 'operations[1]', line: 10, column: 5, message: 'branch "b" has no "False" arm' }),
      ]);
    });

    it('rejects the same arm used twice (fan-out after one arm)', () => {
      const text = graphYaml(branchOps, [
        '  - { from: { name: source }, to: { name: b } }',
        '  - { from: { name: b, arm: "True" }, to: { name: m } }',
        '  - { from: { name: b, arm: "True" }, to: { name: sink2 } }',
        '  - { from: { name: m }, to: { name: sink } }',
      ]);
      const found = withRule(errors(text), 'branch-arms');
      expect(found).toEqual([expect.objectContaining({ path: 'operations[1]', line: 10, message: expect.stringContaining('2 "True" arms') })]);
    });

    it('rejects an arm on a connection that does not leave a branch', () => {
      const text = graphYaml([SOURCE, MAP, SINK], [
        '  - { from: { name: source }, to: { name: m } }',
        '  - { from: { name: m, arm: "True" }, to: { name: sink } }', // 14, arm value at col 29
      ]);
      expect(withRule(errors(text), 'branch-arms')).toEqual([
        expect.objectContaining({ path: 'connections[1].from.arm', line: 14, column: 29, message: expect.stringContaining('only branch connections carry an arm') }),
      ]);
    });
  });

  describe('concatenate', () => {
    it('rejects a concatenate with a single input', () => {
      const text = graphYaml([SOURCE, '  - { name: c, operationType: concatenate }', SINK], [
        '  - { from: { name: source }, to: { name: c } }',
        '  - { from: { name: c }, to: { name: sink } }',
      ]);
      expect(withRule(errors(text), 'concatenate-inputs')).toEqual([
        expect.objectContaining({ path: 'operations[1]', line: 10, column: 5, message: 'concatenate "c" needs at least 2 inputs, has 1' }),
      ]);
    });

    it('rejects a concatenate with a module, at the module', () => {
      const text = graphYaml([
        SOURCE,
        '  - { name: a, operationType: map, module: "t:1" }',
        '  - { name: b, operationType: map, module: "t:1" }',
        '  - { name: c, operationType: concatenate, module: "t:1" }', // 12, module value at col 52
        SINK,
      ], [
        '  - { from: { name: source }, to: { name: a } }',
        '  - { from: { name: source }, to: { name: b } }',
        '  - { from: { name: a }, to: { name: c } }',
        '  - { from: { name: b }, to: { name: c } }',
        '  - { from: { name: c }, to: { name: sink } }',
      ]);
      expect(errors(text)).toEqual([
        expect.objectContaining({ rule: 'module-forbidden', path: 'operations[3].module', line: 12, column: 52 }),
      ]);
    });

    it('accepts a concatenate with two inputs and a null module', () => {
      const text = graphYaml([
        SOURCE,
        '  - { name: a, operationType: map, module: "t:1" }',
        '  - { name: b, operationType: map, module: "t:1" }',
        '  - { name: c, operationType: concatenate, module: null }',
        SINK,
      ], [
        '  - { from: { name: source }, to: { name: a } }',
        '  - { from: { name: source }, to: { name: b } }',
        '  - { from: { name: a }, to: { name: c } }',
        '  - { from: { name: b }, to: { name: c } }',
        '  - { from: { name: c }, to: { name: sink } }',
      ]);
      expect(parseGraphDefinition(text).diagnostics).toEqual([]);
    });
  });

  it('rejects a map without module, and with module: null', () => {
    for (const op of ['  - { name: m, operationType: map }', '  - { name: m, operationType: map, module: null }']) {
      const text = graphYaml([SOURCE, op, SINK], [
        '  - { from: { name: source }, to: { name: m } }',
        '  - { from: { name: m }, to: { name: sink } }',
      ]);
      expect(errors(text)).toEqual([
        expect.objectContaining({ rule: 'module-required', path: 'operations[1]', line: 10, column: 5, message: 'map operation "m" needs a module' }),
      ]);
    }
  });

  it('rejects a source with a module', () => {
    const text = graphYaml(['  - { name: source, operationType: source, module: "t:1" }', MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    expect(errors(text)).toEqual([expect.objectContaining({ rule: 'module-forbidden', path: 'operations[0].module', line: 9 })]);
  });

  it('rejects a cycle, naming its operations, at the first operation on it', () => {
    const text = graphYaml([SOURCE, '  - { name: a, operationType: map, module: "t:1" }', '  - { name: b, operationType: map, module: "t:1" }', SINK], [
      '  - { from: { name: source }, to: { name: a } }',
      '  - { from: { name: a }, to: { name: b } }',
      '  - { from: { name: b }, to: { name: a } }',
      '  - { from: { name: b }, to: { name: sink } }',
    ]);
    expect(withRule(errors(text), 'acyclic')).toEqual([
      expect.objectContaining({ path: 'operations[1]', line: 10, column: 5, message: 'cycle: a -> b -> a' }),
    ]);
    // `a` also has two inputs: only a warning, the cycle is the error.
    expect(withRule(warnings(text), 'fan-in')).toHaveLength(1);
  });

  it('rejects a self-loop at the connection', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    expect(withRule(errors(text), 'acyclic')).toEqual([
      expect.objectContaining({ path: 'connections[1]', line: 14, column: 5, message: '"m" is connected to itself' }),
    ]);
  });

  it('rejects a duplicate connection', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    expect(withRule(errors(text), 'duplicate-connection')).toEqual([expect.objectContaining({ path: 'connections[2]', line: 15 })]);
  });

  it('reports operations without input or output', () => {
    const text = graphYaml([SOURCE, MAP, '  - { name: lonely, operationType: filter, module: "t:1" }', SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    const found = errors(text);
    expect(found).toContainEqual(expect.objectContaining({ rule: 'unreachable', path: 'operations[2]', line: 11, message: '"lonely" has no input' }));
    expect(found).toContainEqual(expect.objectContaining({ rule: 'dangling', path: 'operations[2]', line: 11, message: '"lonely" has no output' }));
    expect(found).toHaveLength(2);
  });

  it('only warns about fan-in outside a concatenate', () => {
    const text = graphYaml([SOURCE, '  - { name: a, operationType: map, module: "t:1" }', MAP, SINK], [
      '  - { from: { name: source }, to: { name: a } }',
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: a }, to: { name: sink } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    const result = parseGraphDefinition(text);
    expect(result.graph).toBeDefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: 'fan-in', severity: 'warning', path: 'operations[3]', line: 12 })]);
  });

  it('rejects a moduleConfigurations entry that names no operation', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ], [
      'moduleConfigurations:', // 15
      '  - name: module-m/map', // 16, value at col 11
      '    parameters:',
      '      k: { name: k }',
    ]);
    expect(errors(text)).toEqual([
      expect.objectContaining({ rule: 'configuration-names', path: 'moduleConfigurations[0].name', line: 16, column: 11, message: 'no operation named "module-m/map"' }),
    ]);
  });
});

describe('schema errors', () => {
  it('rejects an unknown root property, at its key', () => {
    const text = VALID + 'extra:\n  a: 1\n'; // line 15
    const result = parseGraphDefinition(text);
    expect(result.graph).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ rule: 'schema', path: 'extra', message: 'unknown property "extra"', line: 15, column: 1 }),
    ]);
  });

  it('locates an unknown root property with a scalar value on its own line', () => {
    const [d] = errors(VALID + 'extra: 1\n');
    expect(d).toMatchObject({ rule: 'schema', path: 'extra', line: 15 });
  });

  it('rejects a missing metadata.$schema, at the metadata key', () => {
    const text = VALID.replace('  $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json"\n', '');
    expect(parseGraphDefinition(text).diagnostics).toEqual([
      expect.objectContaining({ rule: 'schema', path: 'metadata', message: 'missing required property "$schema"', line: 1, column: 1 }),
    ]);
  });

  it('rejects missing root sections', () => {
    const text = HEAD.join('\n') + '\n';
    const messages = errors(text).map((d) => d.message).sort();
    expect(messages).toEqual(['missing required property "connections"', 'missing required property "operations"']);
  });

  it('rejects an unknown operationType, listing the valid ones', () => {
    const text = VALID.replace('operationType: map', 'operationType: window');
    const [d, ...rest] = errors(text);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: 'schema', path: 'operations[1].operationType', line: 10, column: 31 });
    expect(d!.message).toContain('"delay"');
    expect(d!.message).toContain('"concatenate"');
  });

  it('rejects a non-string default value of a parameter', () => {
    const text = VALID + [
      'moduleConfigurations:', // 15
      '  - name: m',
      '    parameters:',
      '      low: { name: low, default: -40 }', // 18
    ].join('\n') + '\n';
    expect(errors(text)).toEqual([
      expect.objectContaining({ rule: 'schema', path: 'moduleConfigurations[0].parameters.low.default', line: 18, message: 'must be string or null' }),
    ]);
  });

  it('rejects an unknown property inside an operation, at its own line', () => {
    const text = graphYaml([SOURCE, '  - name: m', '    operationType: map', '    module: "t:1"', '    modul: "t:2"', SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: sink } }',
    ]);
    expect(errors(text)).toEqual([expect.objectContaining({ rule: 'schema', path: 'operations[1].modul', line: 13, column: 12 })]);
  });
});

describe('YAML syntax errors', () => {
  it('reports a plain value starting with a reserved character at that character', () => {
    const text = VALID.replace('  name: test', '  name: @test'); // line 3, `@` at col 9
    const result = parseGraphDefinition(text);
    expect(result.graph).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ rule: 'yaml-syntax', severity: 'error', line: 3, column: 9, message: expect.stringMatching(/^YAML: .*reserved character @/) }),
    ]);
  });

  it('reports a stray closing brace at the brace', () => {
    const text = VALID.replace('  version: "1.0.0"', '  version: }'); // line 4, `}` at col 12
    const [d] = parseGraphDefinition(text).diagnostics;
    expect(d).toMatchObject({ rule: 'yaml-syntax', line: 4, column: 12 });
  });

  it('reports tab indentation on its line', () => {
    const text = VALID.replace('  apiVersion: "1.1.0"', '\tapiVersion: "1.1.0"'); // line 6
    const [d] = parseGraphDefinition(text).diagnostics;
    expect(d).toMatchObject({ rule: 'yaml-syntax', line: 6, column: 1, message: expect.stringContaining('Tabs') });
  });

  it('reports a duplicate key at the second occurrence', () => {
    const text = VALID + 'metadata:\n  name: again\n'; // line 15
    const [d] = parseGraphDefinition(text).diagnostics;
    expect(d).toMatchObject({ rule: 'yaml-syntax', line: 15, column: 1 });
    expect(d!.message).toMatch(/unique/i);
  });
});

describe('loadGraphDefinition and validateGraphDefinition', () => {
  it('returns the graph when valid (warnings do not prevent it)', () => {
    const g = loadGraphDefinition(readReference('graph-simple.yaml'));
    expect(g.metadata.name).toBe('Simple graph');
  });

  it('throws a ValidationError carrying file:line:column and only the errors', () => {
    const text = graphYaml([SOURCE, MAP, SINK], [
      '  - { from: { name: source }, to: { name: m } }',
      '  - { from: { name: m }, to: { name: nope } }',
    ]);
    let caught: unknown;
    try {
      loadGraphDefinition(text, 'g.yaml');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const err = caught as ValidationError;
    expect(err.file).toBe('g.yaml');
    expect(err.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(err.message).toContain('g.yaml:14:38: error: unknown operation "nope" (at connections[1].to.name) [references]');
  });

  it('validates an already parsed value without line information', () => {
    const value = { ...loadGraphDefinition(VALID), bogus: true };
    const ds = validateGraphDefinition(value);
    expect(ds).toEqual([expect.objectContaining({ rule: 'schema', path: 'bogus', segments: ['bogus'] })]);
    expect(ds[0]!.line).toBeUndefined();
  });

  it('runs the semantic rules only after the schema passed', () => {
    // Both a schema error and a dangling reference: only the schema error is reported.
    const text = VALID.replace('to: { name: sink }', 'to: { name: nowhere, extra: 1 }');
    expect(errors(text).map((d) => d.rule)).toEqual(['schema']);
  });
});

describe('findCycle', () => {
  const graph = (connections: [string, string][], names?: string[]): GraphDefinition => ({
    metadata: { $schema: 's', name: 'n', version: '1' },
    moduleRequirements: { apiVersion: '1.1.0', runtimeVersion: '1.1.0' },
    operations: (names ?? [...new Set(connections.flat())]).map((name) => ({ name, operationType: 'map', module: 'x:1' })),
    connections: connections.map(([from, to]) => ({ from: { name: from }, to: { name: to } })),
  });

  it('finds no cycle in a diamond (two paths joining again)', () => {
    expect(findCycle(graph([['s', 'a'], ['s', 'b'], ['a', 'c'], ['b', 'c'], ['c', 'z']]))).toBeUndefined();
  });

  it('returns the operations on a cycle, closed', () => {
    expect(findCycle(graph([['s', 'a'], ['a', 'b'], ['b', 'c'], ['c', 'a']]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds a cycle not reachable from the first operation', () => {
    expect(findCycle(graph([['s', 't'], ['x', 'y'], ['y', 'x']], ['s', 't', 'x', 'y']))).toEqual(['x', 'y', 'x']);
  });

  it('ignores self-loops (reported separately by checkGraphRules)', () => {
    const g = graph([['a', 'a']]);
    expect(findCycle(g)).toBeUndefined();
    expect(checkGraphRules(g).filter((d) => d.rule === 'acyclic')).toEqual([expect.objectContaining({ path: 'connections[0]' })]);
  });
});
