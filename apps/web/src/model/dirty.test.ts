import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changedOperations, operationSignatures } from './dirty.ts';
import { addConnection, renameOperation, setModule, setParameter } from './yaml-text.ts';

const simpleYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-simple.yaml', import.meta.url), 'utf8');
const changed = (text: string) => [...changedOperations(operationSignatures(parse(simpleYaml)), operationSignatures(parse(text)))].sort();

describe('dirty operations', () => {
  it('nothing changed: nothing dirty, even reformatted', () => {
    expect(changed(simpleYaml)).toEqual([]);
    expect(changed(`# a comment\n${simpleYaml}`)).toEqual([]);
  });

  it('module, parameter, connection and name changes mark the operations concerned', () => {
    expect(changed(setModule(simpleYaml, 1, 'x/temperature:2.0.0'))).toEqual(['module-temperature/map']);
    expect(changed(setParameter(simpleYaml, 'module-temperature/map', 'key1', 'key1', { name: 'key2', description: 'changed' }))).toEqual(['module-temperature/map']);
    expect(changed(addConnection(simpleYaml, { from: 'source', to: 'sink' }))).toEqual(['sink', 'source']);
    expect(changed(renameOperation(simpleYaml, 2, 'out'))).toEqual(['module-temperature/map', 'out']);
  });
});
