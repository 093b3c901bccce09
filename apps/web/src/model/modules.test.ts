import { describe, expect, it } from 'vitest';
import { moduleKindError, moduleReference, modulesForKind, needsWasiNn, type ModuleInfo } from './modules.ts';

const temperature: ModuleInfo = { reference: moduleReference('samples/temperature', '1.0.0'), exportedKinds: ['map', 'filter', 'branch', 'accumulate'] };
const window: ModuleInfo = { reference: 'samples/window:1.0.0', exportedKinds: ['delay'] };
const broken: ModuleInfo = { reference: 'samples/broken:1.0.0', error: 'not a component' };

describe('module kinds', () => {
  it('offers only modules exporting the kind', () => {
    expect(temperature.reference).toBe('samples/temperature:1.0.0');
    expect(modulesForKind([temperature, window, broken], 'filter').map((m) => m.reference)).toEqual(['samples/temperature:1.0.0']);
    expect(modulesForKind([temperature, window, broken], 'delay').map((m) => m.reference)).toEqual(['samples/window:1.0.0']);
    expect(modulesForKind([temperature, window], 'concatenate')).toEqual([]);
  });

  it('explains a module that does not export the kind', () => {
    expect(moduleKindError('map', temperature)).toBeUndefined();
    expect(moduleKindError('delay', temperature)).toBe('module samples/temperature:1.0.0 does not export a delay operator (it exports map, filter, branch, accumulate)');
    expect(moduleKindError('map', broken)).toMatch(/not a component/);
    expect(moduleKindError('map', undefined)).toBeUndefined();
  });

  it('tells when a module needs wasi-nn', () => {
    expect(needsWasiNn({ reference: 'x:1', imports: ['wasm-graph:processor/logger', 'wasi:nn/graph'] })).toBe(true);
    expect(needsWasiNn(temperature)).toBe(false);
  });
});
