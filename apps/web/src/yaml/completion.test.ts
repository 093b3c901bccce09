import { describe, expect, it } from 'vitest';
import { completionsAt, yamlScalar } from './completion.ts';
import { documentSchemas } from './documents.ts';

/** Text with `|` as the cursor → the text without it and the cursor's 1-based position. */
function at(source: string): [string, { line: number; column: number }] {
  const offset = source.indexOf('|');
  const before = source.slice(0, offset).split('\n');
  return [source.replace('|', ''), { line: before.length, column: before[before.length - 1]!.length + 1 }];
}

const graph = documentSchemas['graph-definition'];
const resource = documentSchemas['dataflow-resource'];
const complete = (kind: typeof graph, source: string) => completionsAt(kind.schema, ...at(source), kind.descriptions);
const labels = (kind: typeof graph, source: string) => complete(kind, source).map((c) => c.label);

describe('completion for graph definitions', () => {
  it('offers the root keys not yet present, required first, on an empty document too', () => {
    expect(labels(graph, '|')).toEqual(['metadata', 'moduleRequirements', 'operations', 'connections', 'moduleConfigurations', 'schemas']);
    const items = complete(graph, 'metadata:\n  name: g\nop|\n');
    expect(items.map((c) => c.label)).toEqual(['moduleRequirements', 'operations', 'connections', 'moduleConfigurations', 'schemas']);
    const operations = items.find((c) => c.label === 'operations')!;
    // A list: the item dash goes on the next line, two columns in.
    expect(operations).toMatchObject({ insertText: 'operations:\n  - ', startColumn: 1, endColumn: 3, detail: 'array of objects · required' });
    expect(operations.documentation).toContain('steps of the graph');
  });

  it('offers the keys of an operation inside a block list item, leaving out the ones it has', () => {
    const text = 'operations:\n  - name: a\n    |\nconnections: []\n';
    expect(labels(graph, text)).toEqual(['operationType', 'module']);
    expect(labels(graph, 'operations:\n  - |\n')).toEqual(['name', 'operationType', 'module']);
  });

  it('offers operationType values, in block and in flow style, replacing the typed word', () => {
    const block = complete(graph, 'operations:\n  - name: a\n    operationType: fil|\n');
    expect(block.map((c) => c.label)).toEqual(['source', 'map', 'filter', 'branch', 'concatenate', 'accumulate', 'delay', 'sink']);
    expect(block[0]).toMatchObject({ kind: 'value', startColumn: 20, endColumn: 23 });
    const flow = complete(graph, 'operations:\n  - { operationType: fi|lter, name: f }\n');
    expect(flow.map((c) => c.label)).toContain('filter');
    expect(flow[0]).toMatchObject({ startColumn: 22, endColumn: 28 });
  });

  it('offers keys on one line inside a flow mapping', () => {
    const items = complete(graph, 'connections:\n  - { from: { name: a, | }, to: { name: b } }\n');
    expect(items.map((c) => c.label)).toEqual(['arm', 'schemaName']);
    expect(items[0]!.insertText).toBe('arm: ');
  });

  it('quotes arm values so YAML keeps them strings, unless typed inside quotes', () => {
    expect(complete(graph, 'connections:\n  - from:\n      name: b\n      arm: |\n').map((c) => c.insertText)).toEqual(['"False"', '"True"']);
    expect(complete(graph, 'connections:\n  - from:\n      arm: "T|"\n').map((c) => c.insertText)).toEqual(['False', 'True']);
  });

  it('offers the keys of a nested object when its first key is typed on the next line', () => {
    expect(labels(graph, 'metadata:\n  na|\n')).toEqual(['$schema', 'name', 'version', 'description', 'vendor']);
    const text = 'moduleConfigurations:\n  - name: m\n    parameters:\n      key1:\n        |\n';
    expect(labels(graph, text)).toEqual(['name', 'description', 'default', 'required']);
  });

  it('offers nothing for free text, unknown keys and comments', () => {
    expect(complete(graph, 'metadata:\n  name: my-gr|\n')).toEqual([]);
    expect(complete(graph, 'unknown:\n  x|\n')).toEqual([]);
    expect(complete(graph, '# op|\n')).toEqual([]);
  });
});

describe('completion for DataflowGraph resources', () => {
  it('offers the envelope keys and the kind and apiVersion values', () => {
    expect(labels(resource, '|')).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(labels(resource, 'kind: |\n')).toEqual(['DataflowGraph']);
    expect(labels(resource, 'apiVersion: |\n')).toEqual(['connectivity.iotoperations.azure.com/v1', 'connectivity.iotoperations.azure.com/v1beta1']);
  });

  it('offers spec keys with mode values', () => {
    expect(labels(resource, 'spec:\n  |\n')).toEqual(['nodes', 'nodeConnections', 'profileRef', 'mode', 'requestDiskPersistence']);
    expect(labels(resource, 'spec:\n  mode: |\n')).toEqual(['Enabled', 'Disabled', 'enabled', 'disabled']);
  });

  it('offers the settings that belong to the node type (if/then in the schema)', () => {
    const node = (type: string) => `spec:\n  nodes:\n    - nodeType: ${type}\n      name: n\n      |\n`;
    expect(labels(resource, node('Source'))).toEqual(['sourceSettings']);
    expect(labels(resource, node('Graph'))).toEqual(['graphSettings']);
    expect(labels(resource, node('Destination'))).toEqual(['destinationSettings']);
    // No nodeType yet: every `if` holds (absent properties pass), so all three are offered.
    expect(labels(resource, 'spec:\n  nodes:\n    - name: n\n      |\n')).toEqual(['nodeType', 'sourceSettings', 'graphSettings', 'destinationSettings']);
    expect(labels(resource, 'spec:\n  nodes:\n    - nodeType: |\n')).toEqual(['Source', 'Graph', 'Destination']);
  });

  it('goes into the type-specific settings and their lists', () => {
    const graphNode = 'spec:\n  nodes:\n    - nodeType: Graph\n      graphSettings:\n        artifact: g:1\n        |\n';
    const items = complete(resource, graphNode);
    expect(items.map((c) => c.label)).toEqual(['registryEndpointRef', 'configuration']);
    expect(items[0]!.documentation).toContain('RegistryEndpoint');
    const header = 'spec:\n  nodes:\n    - nodeType: Destination\n      destinationSettings:\n        headers:\n          - actionType: |\n';
    expect(labels(resource, header)).toEqual(['AddIfNotPresent', 'AddOrReplace', 'Remove']);
  });
});

describe('yamlScalar', () => {
  it('quotes strings YAML would read as something else', () => {
    expect(yamlScalar('True')).toBe('"True"');
    expect(yamlScalar('1.0')).toBe('"1.0"');
    expect(yamlScalar('null')).toBe('"null"');
    expect(yamlScalar('Enabled')).toBe('Enabled');
    expect(yamlScalar(true)).toBe('true');
  });
});
