import { describe, expect, it } from 'vitest';
import { defaultOperationName, isPlaceholderName, moduleShortName, uniqueName } from './naming.ts';

describe('operation names', () => {
  it('follows the module-<module>/<kind> convention; source, sink and concatenate1 are plain', () => {
    expect(defaultOperationName('map', [])).toBe('module-new/map');
    expect(defaultOperationName('filter', [], 'azure-samples/explore-iot-operations/temperature:1.0.0')).toBe('module-temperature/filter');
    expect(defaultOperationName('source', [])).toBe('source');
    expect(defaultOperationName('sink', [])).toBe('sink');
    expect(defaultOperationName('concatenate', [])).toBe('concatenate1');
  });

  it('is unique among the names taken', () => {
    expect(defaultOperationName('map', ['module-new/map'])).toBe('module-new/map-2');
    expect(defaultOperationName('map', ['module-new/map', 'module-new/map-2'])).toBe('module-new/map-3');
    expect(defaultOperationName('concatenate', ['concatenate1', 'concatenate2'])).toBe('concatenate3');
    expect(defaultOperationName('sink', ['sink'])).toBe('sink-2');
    expect(uniqueName('module-temperature/map-2', ['module-temperature/map-2'])).toBe('module-temperature/map-3');
  });

  it('reads the module short name from any reference form', () => {
    expect(moduleShortName('azure-samples/explore-iot-operations/temperature:1.0.0')).toBe('temperature');
    expect(moduleShortName('127.0.0.1:5000/window:1.0.0')).toBe('window');
    expect(moduleShortName('x/format@sha256:abc')).toBe('format');
    expect(moduleShortName('filter')).toBe('filter');
  });

  it('knows placeholder names only', () => {
    expect(isPlaceholderName('module-new/map', 'map')).toBe(true);
    expect(isPlaceholderName('module-new/map-4', 'map')).toBe(true);
    expect(isPlaceholderName('module-new/map', 'filter')).toBe(false);
    expect(isPlaceholderName('module-temperature/map', 'map')).toBe(false);
  });
});
