import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { addBuiltin, configOf, readJson, setConfigJson } from './config.ts';
import { newDataflowGraphYaml } from '../manifest.ts';
import type { GraphNode } from '@wgs/graph-model';

const MANIFEST = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata:
  name: g
spec:
  profileRef: default
  nodes:
    - nodeType: Graph
      name: convert # the map
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-map:1.0.0
        configuration:
          - key: rules
            value: |
              {"map":[{"inputs":["temperature"],"output":"temperature_f","expression":"cToF($1)"},
                      {"inputs":["humidity"],"output":"humidity"}]}
`;
const node = (text: string, name: string) => (parseDocument(text).toJS().spec.nodes as GraphNode[]).find((n) => n.name === name);

describe('built-in configuration in the manifest', () => {
  it('reads the entries and their JSON', () => {
    const config = configOf(node(MANIFEST, 'convert'));
    expect(Object.keys(config)).toEqual(['rules']);
    expect(readJson<{ map: unknown[] }>(config.rules, { map: [] }).value?.map).toHaveLength(2);
    expect(readJson('{', {}).error).toBeTruthy();
    expect(readJson(undefined, { map: [] }).value).toEqual({ map: [] });
  });

  it('writes one rule and leaves the rest of the text as it was', () => {
    const rules = JSON.parse(configOf(node(MANIFEST, 'convert')).rules!);
    rules.map[0].expression = 'round_n(cToF($1), 1)';
    const out = setConfigJson(MANIFEST, 'convert', 'rules', rules);
    expect(out).toBe(MANIFEST.replace('"cToF($1)"', '"round_n(cToF($1), 1)"'));
    // Untouched: byte for byte.
    expect(setConfigJson(MANIFEST, 'convert', 'rules', JSON.parse(configOf(node(MANIFEST, 'convert')).rules!))).toBe(MANIFEST);
  });

  it('adds and removes entries as | blocks', () => {
    const out = setConfigJson(MANIFEST, 'convert', 'extra', { a: 1 });
    expect(out).toContain('          - key: extra\n            value: |\n              {"a":1}\n');
    expect(setConfigJson(out, 'convert', 'extra', undefined)).toBe(MANIFEST);
    expect(setConfigJson(MANIFEST, 'convert', 'rules', undefined)).not.toContain('configuration');
  });

  it('adds a built-in with its defaults between source and destination', () => {
    const { text, name } = addBuiltin(newDataflowGraphYaml('g'), 'window');
    expect(name).toBe('window');
    const n = node(text, 'window')!;
    expect(n.graphSettings).toMatchObject({ registryEndpointRef: 'default', artifact: 'azureiotoperations/graph-dataflow-window:1.0.0' });
    expect(configOf(n)).toEqual({ delay: '{"type":"duration","delaySeconds":10}\n', rules: '{"accumulate":[]}\n' });
    expect(text).toContain('value: |\n');
    const conns = parseDocument(text).toJS().spec.nodeConnections;
    expect(conns).toEqual([{ from: { name: 'source' }, to: { name: 'window' } }, { from: { name: 'window' }, to: { name: 'destination' } }]);
    const second = addBuiltin(text, 'map');
    expect(configOf(node(second.text, 'map'))).toEqual({ rules: '{"map":[{"inputs":["*"],"output":"*"}]}\n' });
    expect(node(addBuiltin(second.text, 'concatenate').text, 'concatenate')?.graphSettings.configuration).toBeUndefined();
    const branch = addBuiltin(newDataflowGraphYaml('g'), 'branch');
    expect(parseDocument(branch.text).toJS().spec.nodeConnections[1]).toEqual({ from: { name: 'branch.output.true' }, to: { name: 'destination' } });
  });
});
