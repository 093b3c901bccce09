import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGraphDefinition } from '@wgs/graph-model';
import { copyOperations, renameForPaste } from './clipboard.ts';
import { addOperations } from './yaml-text.ts';

const complexYaml = readFileSync(new URL('../../../../packages/operators/graphs/graph-complex.yaml', import.meta.url), 'utf8');

describe('copy and paste', () => {
  const picked = ['module-temperature/map', 'module-temperature/filter', 'sink'];
  const positions = new Map([['module-temperature/map', { x: 10, y: 20 }]]);

  it('copies operations, the connections among them and their parameters', () => {
    const clip = copyOperations(parse(complexYaml), picked, positions);
    expect(clip.operations.map((o) => o.name)).toEqual(['module-temperature/map', 'module-temperature/filter', 'sink']);
    expect(clip.operations[0]!.position).toEqual({ x: 10, y: 20 });
    // map → filter is inside the selection; filter → accumulate and anything into sink are not.
    expect(clip.connections).toEqual([{ from: 'module-temperature/map', to: 'module-temperature/filter' }]);
    expect(clip.configurations.map((c) => c.name)).toEqual(['module-temperature/map', 'module-temperature/filter']);
  });

  it('renames pasted operations uniquely, keeps their wiring and parameters, and the result is valid', () => {
    const clip = copyOperations(parse(complexYaml), picked, positions);
    const { clip: pasted, renamed } = renameForPaste(clip, parse(complexYaml).operations.map((o: { name: string }) => o.name));
    expect([...renamed.values()]).toEqual(['module-temperature/map-2', 'module-temperature/filter-2', 'sink-2']);
    expect(pasted.operations[0]!.position).toEqual({ x: 50, y: 60 });
    const text = addOperations(complexYaml, pasted.operations.map(({ position: _p, ...o }) => o), pasted.connections, pasted.configurations);
    const value = parse(text);
    expect(value.operations).toHaveLength(18);
    expect(value.connections.at(-1)).toEqual({ from: { name: 'module-temperature/map-2' }, to: { name: 'module-temperature/filter-2' } });
    expect(value.moduleConfigurations.at(-1).name).toBe('module-temperature/filter-2');
    expect(value.moduleConfigurations.at(-1).parameters.temperature_lower_bound.default).toBe('-40');
    // The pasted copies are unconnected at their ends, so the only errors are about that, none about names.
    const errors = parseGraphDefinition(text).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.every((d) => !/duplicate|unique|unknown operation/i.test(d.message))).toBe(true);
    // Pasting again does not collide with the first paste.
    expect([...renameForPaste(pasted, value.operations.map((o: { name: string }) => o.name)).renamed.values()]).toEqual(['module-temperature/map-3', 'module-temperature/filter-3', 'sink-3']);
  });
});
