import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGraphDefinition } from '@wgs/graph-model';
import {
  addOperation, addOperations, ensureFeature, newDefinitionYaml, removeOperation, removeParameter, renameOperation, setMetadataVersion, setParameter,
} from './yaml-text.ts';

const complexYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-complex.yaml', import.meta.url), 'utf8');
const simpleYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-simple.yaml', import.meta.url), 'utf8');

describe('text edits of the definition', () => {
  it('adds an operation in the style of its siblings, keeping the rest of the text', () => {
    const text = addOperation(complexYaml, { name: 'module-new/map', operationType: 'map' });
    expect(text).toContain('  - { operationType: map, name: module-new/map }\nconnections:');
    expect(text.replace('  - { operationType: map, name: module-new/map }\n', '')).toBe(complexYaml);
  });

  it('starts a new valid definition from nothing', () => {
    let text = addOperation('', { name: 'source', operationType: 'source' });
    text = addOperation(text, { name: 'sink', operationType: 'sink' });
    expect(parse(text).operations).toEqual([{ operationType: 'source', name: 'source' }, { operationType: 'sink', name: 'sink' }]);
    expect(text).toContain('operations:\n  - operationType: source');
    // Only the missing source and sink keep the empty skeleton from being valid.
    expect(parseGraphDefinition(newDefinitionYaml()).diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toEqual(['source-sink', 'source-sink']);
    const wired = addOperations('', [{ name: 'source', operationType: 'source' }, { name: 'sink', operationType: 'sink' }], [{ from: 'source', to: 'sink' }], []);
    expect(parseGraphDefinition(wired).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('adds moduleRequirements when missing', () => {
    const text = addOperations('metadata: { $schema: x, name: n, version: "1" }\noperations: []\nconnections: []\n', [{ name: 'source', operationType: 'source' }], [], []);
    expect(parse(text).moduleRequirements).toEqual({ apiVersion: '1.1.0', runtimeVersion: '1.1.0' });
  });

  it('renames an operation in its connections and configuration', () => {
    const text = renameOperation(complexYaml, 8, 'bounds');
    const value = parse(text);
    expect(value.operations[8].name).toBe('bounds');
    expect(value.connections.filter((c: { from: { name: string }; to: { name: string } }) => c.from.name === 'bounds' || c.to.name === 'bounds')).toHaveLength(2);
    expect(value.moduleConfigurations[2].name).toBe('bounds');
    expect(parseGraphDefinition(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('removing an operation removes its configuration entry', () => {
    const value = parse(removeOperation(complexYaml, 8));
    expect(value.moduleConfigurations.map((m: { name: string }) => m.name)).toEqual(['module-temperature/map', 'module-snapshot/branch']);
  });

  it('edits parameters: add (creating the entry), rename a key in place, change fields, remove', () => {
    let text = setParameter(simpleYaml, 'sink', undefined, 'topic', { name: 'topic', default: '-1', required: true });
    let value = parse(text);
    expect(value.moduleConfigurations[1]).toEqual({ name: 'sink', parameters: { topic: { name: 'topic', default: '-1', required: true } } });
    expect(text).toMatch(/default: "-1"/);
    text = setParameter(text, 'module-temperature/map', 'key1', 'unit', { name: 'unit', description: 'output unit' });
    value = parse(text);
    expect(value.moduleConfigurations[0].parameters).toEqual({ unit: { name: 'unit', description: 'output unit' } });
    // The flow style of the sample's parameter survives.
    expect(text).toContain('unit: { name: unit, description: output unit }');
    text = removeParameter(text, 'sink', 'topic');
    expect(parse(text).moduleConfigurations.map((m: { name: string }) => m.name)).toEqual(['module-temperature/map']);
  });

  it('sets the version and adds a feature once', () => {
    expect(parse(setMetadataVersion(simpleYaml, '1.1.0')).metadata.version).toBe('1.1.0');
    const once = ensureFeature(simpleYaml, 'wasi-nn');
    expect(parse(ensureFeature(once, 'wasi-nn')).moduleRequirements.features).toEqual([{ name: 'wasi-nn' }]);
  });
});
