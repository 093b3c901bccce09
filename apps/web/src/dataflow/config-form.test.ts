import { describe, expect, it } from 'vitest';
import { configForm, formProblems, formValues, undeclared, type Parameter } from './config-form.ts';

// graph-simple declares key1 (name key2) on module-temperature/map; graph-complex snapshot_topic on the snapshot branch.
const params: Parameter[] = [
  { operation: 'module-temperature/map', key: 'key1', name: 'key2', description: 'an example parameter', default: 'example', required: true },
  { operation: 'module-snapshot/branch', key: 'snapshot_topic', name: 'snapshot_topic', description: 'topic of the images', required: true },
  { operation: 'module-window/delay', key: 'window', name: 'window', required: false },
  { operation: 'module-other/map', key: 'snapshot_topic', name: 'snapshot_topic', required: false },
];

describe('configuration form from moduleConfigurations', () => {
  it('makes one section per operation with label, description, default and required', () => {
    const sections = configForm(params, [{ key: 'snapshot_topic', value: 'sensor/images/raw' }]);
    expect(sections.map((s) => s.operation)).toEqual(['module-temperature/map', 'module-snapshot/branch', 'module-window/delay']);
    expect(sections[0]!.fields[0]).toMatchObject({ key: 'key1', label: 'key2', description: 'an example parameter', placeholder: 'example', required: true, value: '', problem: '' });
    expect(sections[0]!.fields[0]!.note).toMatch(/key "key1".*name "key2"/);
    expect(sections[1]!.fields[0]).toMatchObject({ key: 'snapshot_topic', value: 'sensor/images/raw', problem: '' });
  });

  it('a required parameter without value or default is a problem; a blank value counts as none', () => {
    const sections = configForm(params, [{ key: 'snapshot_topic', value: '  ' }]);
    expect(formProblems(sections)).toEqual(['module-snapshot/branch: snapshot_topic is required']);
    expect(formProblems(configForm(params, [{ key: 'snapshot_topic', value: 'x' }]))).toEqual([]);
  });

  it('keeps values for keys the definition does not declare, and lists them', () => {
    const config = [{ key: 'typo', value: '1' }, { key: 'key2', value: 'by name' }];
    expect(undeclared(params, config)).toEqual([{ key: 'typo', value: '1' }]);
    expect(formValues(config, { key1: 'v' })).toEqual({ typo: '1', key2: 'by name', key1: 'v' });
  });
});
