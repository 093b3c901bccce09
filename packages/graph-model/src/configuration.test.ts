import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfiguration, undeclaredKeys } from './configuration.ts';
import { loadGraphDefinition } from './graph-definition.ts';
import type { GraphDefinition, ModuleConfiguration } from './types.ts';

const REFERENCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/reference-graphs');
const reference = (file: string) => loadGraphDefinition(readFileSync(join(REFERENCE_DIR, file), 'utf8'));

/** A graph whose operations are `a` and `b` (both maps), configured as given. */
function graph(moduleConfigurations: ModuleConfiguration[]): GraphDefinition {
  return {
    metadata: { $schema: 's', name: 'n', version: '1' },
    moduleRequirements: { apiVersion: '1.1.0', runtimeVersion: '1.1.0' },
    operations: [
      { name: 'source', operationType: 'source' },
      { name: 'a', operationType: 'map', module: 'x:1' },
      { name: 'b', operationType: 'map', module: 'x:1' },
      { name: 'sink', operationType: 'sink' },
    ],
    connections: [],
    moduleConfigurations,
  };
}

describe('resolveConfiguration', () => {
  it('gives every operation an entry, empty when nothing is declared', () => {
    const out = resolveConfiguration(graph([]), { stray: 'x' });
    expect([...out.keys()]).toEqual(['source', 'a', 'b', 'sink']);
    for (const cfg of out.values()) expect(cfg).toEqual({ properties: [], missing: [] });
  });

  it('uses defaults when nothing is supplied (graph.dataflow.yaml)', () => {
    const out = resolveConfiguration(reference('graph.dataflow.yaml'), {});
    expect(out.get('module-temperature/filter')).toEqual({
      properties: [['temperature_lower_bound', '-273.15'], ['temperature_upper_bound', '5000.0']],
      missing: [],
    });
    expect(out.get('module-snapshot/branch')!.properties).toEqual([['snapshot_topic', 'snapshot_simulation']]);
    // key1 has no default and nothing was supplied: not delivered at all.
    expect(out.get('module-temperature/map')!.properties).toEqual([]);
  });

  it('lets a supplied value override the default', () => {
    const out = resolveConfiguration(reference('graph.dataflow.yaml'), { temperature_upper_bound: '100' });
    expect(out.get('module-temperature/filter')!.properties).toEqual([
      ['temperature_lower_bound', '-273.15'],
      ['temperature_upper_bound', '100'],
    ]);
  });

  it('falls back to the default when the supplied value is blank', () => {
    const out = resolveConfiguration(reference('graph.dataflow.yaml'), { temperature_upper_bound: '   ' });
    expect(out.get('module-temperature/filter')!.properties).toContainEqual(['temperature_upper_bound', '5000.0']);
  });

  it('accepts a value supplied under the inner name, delivering it under the map key (graph-simple key1/key2)', () => {
    const g = reference('graph-simple.yaml');
    expect(resolveConfiguration(g, { key2: 'v2' }).get('module-temperature/map')!.properties).toEqual([['key1', 'v2']]);
  });

  it('prefers the map key over the inner name when both are supplied', () => {
    const g = reference('graph-simple.yaml');
    expect(resolveConfiguration(g, { key1: 'by-key', key2: 'by-name' }).get('module-temperature/map')!.properties).toEqual([['key1', 'by-key']]);
  });

  it('reports a required parameter without value as missing, and does not deliver it', () => {
    const g = graph([{ name: 'a', parameters: { need: { name: 'need', required: true }, opt: { name: 'opt' } } }]);
    expect(resolveConfiguration(g, {}).get('a')).toEqual({ properties: [], missing: ['need'] });
    expect(resolveConfiguration(g, { need: '' }).get('a')!.missing).toEqual(['need']);
    expect(resolveConfiguration(g, { need: 'yes' }).get('a')).toEqual({ properties: [['need', 'yes']], missing: [] });
  });

  it('a required parameter with a default is not missing', () => {
    const g = graph([{ name: 'a', parameters: { need: { name: 'need', required: true, default: 'd' } } }]);
    expect(resolveConfiguration(g, {}).get('a')).toEqual({ properties: [['need', 'd']], missing: [] });
  });

  it('gives each operation only the parameters declared for it', () => {
    const g = graph([
      { name: 'a', parameters: { x: { name: 'x' }, shared: { name: 'shared', default: 'da' } } },
      { name: 'b', parameters: { y: { name: 'y' }, shared: { name: 'shared', default: 'db' } } },
    ]);
    const out = resolveConfiguration(g, { x: '1', y: '2' });
    expect(out.get('a')!.properties).toEqual([['x', '1'], ['shared', 'da']]);
    expect(out.get('b')!.properties).toEqual([['y', '2'], ['shared', 'db']]);
    expect(out.get('source')!.properties).toEqual([]);
    // A supplied value for a key both declare reaches both.
    const both = resolveConfiguration(g, { shared: 's' });
    expect(both.get('a')!.properties).toContainEqual(['shared', 's']);
    expect(both.get('b')!.properties).toContainEqual(['shared', 's']);
  });

  it('keeps declaration order, not supplied order', () => {
    const g = graph([{ name: 'a', parameters: { first: { name: 'first' }, second: { name: 'second' } } }]);
    expect(resolveConfiguration(g, { second: '2', first: '1' }).get('a')!.properties).toEqual([['first', '1'], ['second', '2']]);
  });

  it('ignores configuration entries naming no operation', () => {
    const out = resolveConfiguration(graph([{ name: 'ghost', parameters: { k: { name: 'k', required: true } } }]), { k: 'v' });
    expect(out.has('ghost')).toBe(false);
    for (const cfg of out.values()) expect(cfg).toEqual({ properties: [], missing: [] });
  });

  it('handles parameter names that are also Object.prototype members', () => {
    const g = graph([{ name: 'a', parameters: { constructor: { name: 'toString', required: true } } }]);
    expect(resolveConfiguration(g, {}).get('a')).toEqual({ properties: [], missing: ['constructor'] });
    expect(resolveConfiguration(g, { toString: 'v' }).get('a')!.properties).toEqual([['constructor', 'v']]);
  });
});

describe('undeclaredKeys', () => {
  it('lists supplied keys that no operation declares, in supplied order', () => {
    const g = reference('graph-complex.yaml');
    expect(undeclaredKeys(g, { zeta: '1', key1: 'a', snapshot_topic: 't', temprature_lower_bound: '0', alpha: '2' }))
      .toEqual(['zeta', 'temprature_lower_bound', 'alpha']);
  });

  it('counts the inner name as declared', () => {
    expect(undeclaredKeys(reference('graph-simple.yaml'), { key1: 'a', key2: 'b' })).toEqual([]);
  });

  it('treats everything as undeclared when the graph has no configurations', () => {
    const g = graph([]);
    delete g.moduleConfigurations;
    expect(undeclaredKeys(g, { a: '1' })).toEqual(['a']);
  });
});
