/** DataflowGraph manifests read from files for the CLI: endpoints beside them, overrides, locating. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnostic } from '@wgs/graph-model';
import { describe, expect, it } from 'vitest';
import { fileRegistryOpener, locateInDocument, overrideConfiguration, readDataflowFile } from './dataflow-file.ts';

const tests = fileURLToPath(new URL('../../operators/tests', import.meta.url));
const branch = join(tests, 'dataflow-branch/dataflow.yaml');

describe('readDataflowFile', () => {
  it('takes the DataflowGraph and the RegistryEndpoints of the same multi-document file', async () => {
    const f = await readDataflowFile(branch);
    expect(f.resource.metadata.name).toBe('temperature-branch');
    expect([...f.registryEndpoints.keys()]).toEqual(['builtins']);
    expect((await fileRegistryOpener(f)('builtins')).host).toBe('embedded.wgs.local');
    expect((await fileRegistryOpener(f)('default')).host).toBe('embedded.wgs.local');
    await expect(fileRegistryOpener(f)('other')).rejects.toThrow('no RegistryEndpoint "other" given');
  });

  it('refuses a file with two DataflowGraphs and reports invalid documents located', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgs-dataflow-file-'));
    const chain = readFileSync(join(tests, 'dataflow-chain/dataflow.yaml'), 'utf8');
    writeFileSync(join(dir, 'two.yaml'), `${chain}\n---\n${chain}`);
    await expect(readDataflowFile(join(dir, 'two.yaml'))).rejects.toThrow('more than one DataflowGraph');
    writeFileSync(join(dir, 'bad.yaml'), chain.replace('nodeType: Destination', 'nodeType: Sink'));
    await expect(readDataflowFile(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml:\d+:\d+: error/);
  });
});

describe('overrideConfiguration', () => {
  it('replaces one node\'s keys (non-strings as JSON) and keeps the others', async () => {
    const { resource } = await readDataflowFile(branch);
    const r = overrideConfiguration(resource, { split: { rules: { branch: { inputs: ['temp'], expression: '$1 > 55' } } } });
    const config = (name: string) => r.spec.nodes.find((n) => n.name === name)!;
    expect(config('split')).toMatchObject({ graphSettings: { configuration: [{ key: 'rules', value: '{"branch":{"inputs":["temp"],"expression":"$1 > 55"}}' }] } });
    expect(config('alert')).toEqual(resource.spec.nodes.find((n) => n.name === 'alert'));
    expect(resource.spec.nodes.find((n) => n.name === 'split')).toMatchObject({ graphSettings: { configuration: [{ value: expect.stringContaining('$1 > 40') }] } });
  });

  it('refuses a node that is not a Graph node', async () => {
    const { resource } = await readDataflowFile(branch);
    expect(() => overrideConfiguration(resource, { alerts: { rules: '{}' } })).toThrow('"alerts" is not a Graph node');
  });
});

it('locateInDocument finds a path in the second document of a file', () => {
  const text = readFileSync(branch, 'utf8');
  const [d] = locateInDocument(text, 1, [diagnostic(['spec', 'nodeConnections', 3, 'from', 'name'], 'x', 'dataflow-shape')]);
  const line = text.split('\n').findIndex((l) => l.includes('split.output.false')) + 1;
  expect(d).toMatchObject({ line, column: 21 });
});
