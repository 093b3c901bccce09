import { describe, expect, it } from 'vitest';
import { copyName, exportYaml, nameProblem, readImport } from './import.ts';

describe('importing and exporting DataflowGraph manifests', () => {
  it('takes the DataflowGraphs of a multi-document file, comments kept, and says why others are skipped', () => {
    const text = [
      '# exported by kubectl',
      'apiVersion: connectivity.iotoperations.azure.com/v1',
      'kind: DataflowGraph',
      'metadata: { name: a } # mine',
      'spec: { nodes: [], nodeConnections: [] }',
      '---',
      'kind: DataflowEndpoint',
      'metadata: { name: default }',
      '---',
      'kind: DataflowGraph',
      'metadata: {}',
      '---',
      'kind: [',
    ].join('\n');
    const { graphs, problems } = readImport(text);
    expect(graphs.map((g) => g.name)).toEqual(['a']);
    expect(graphs[0]!.yaml).toContain('# mine');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/document 2: kind "DataflowEndpoint" is not a DataflowGraph/);
    expect(problems[1]).toMatch(/document 3: .*no metadata.name/);
    expect(problems[2]).toMatch(/^document 4: /);
    expect(readImport('').problems).toEqual(['the text holds no DataflowGraph']);
  });

  it('exports without server fields, and names copies and checks names', () => {
    const yaml = exportYaml({ apiVersion: 'v', kind: 'DataflowGraph', metadata: { name: 'a', resourceVersion: '7', uid: 'x' }, spec: {}, status: { s: 1 } });
    expect(yaml).toBe('apiVersion: v\nkind: DataflowGraph\nmetadata:\n  name: a\nspec: {}\n');
    expect(copyName('a', new Set(['a', 'a-copy']))).toBe('a-copy-2');
    expect(nameProblem('Temp_Converter')).toMatch(/lowercase/);
    expect(nameProblem('temp-converter')).toBeUndefined();
  });
});
