import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addNode, analyseManifest, connect, newDataflowGraphYaml, readLayout, removeNodes, renameNode, setConfiguration, setNodeValue, toResource, writeLayout } from './manifest.ts';

const ctx = {
  endpoints: [{ apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'default' }, spec: { endpointType: 'Mqtt', mqttSettings: { host: 'localhost:1883' } } }],
  registryEndpoints: [{ apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'RegistryEndpoint', metadata: { name: 'embedded' }, spec: { host: 'embedded.wgs.local', authentication: { method: 'Anonymous', anonymousSettings: {} } } }],
} as never;

describe('DataflowGraph manifest edits', () => {
  it('a new graph is a valid source → destination on the default endpoint', () => {
    const { value, diagnostics } = analyseManifest(newDataflowGraphYaml('converter'), ctx);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(value?.spec.nodes.map((n) => n.nodeType)).toEqual(['Source', 'Destination']);
  });

  it('adding a transform puts it between the source and the destination', () => {
    const { text, name } = addNode(newDataflowGraphYaml('g'), 'Graph', { registryEndpointRef: 'embedded', artifact: 'graph-simple:1.0.0' });
    expect(name).toBe('transform');
    const spec = parse(text).spec;
    expect(spec.nodeConnections).toEqual([{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }]);
    expect(spec.nodes[1].graphSettings).toEqual({ registryEndpointRef: 'embedded', artifact: 'graph-simple:1.0.0' });
    // A second one gets a new name and leaves the connections alone.
    const again = addNode(text, 'Graph');
    expect(again.name).toBe('transform-2');
    expect(parse(again.text).spec.nodeConnections).toHaveLength(2);
  });

  it('keeps the comments and layout the user wrote', () => {
    const text = newDataflowGraphYaml('g').replace('  mode: Enabled', '  mode: Enabled # switched on by ops');
    const edited = setNodeValue(text, 'destination', ['destinationSettings', 'dataDestination'], 'out/topic');
    expect(edited).toContain('# switched on by ops');
    expect(edited).toContain('dataDestination: out/topic');
    expect(edited.split('\n').length).toBe(text.split('\n').length);
  });

  it('refuses connections the reference does not allow', () => {
    const text = newDataflowGraphYaml('g');
    expect(() => connect(text, 'destination', 'source')).toThrow(/Destination cannot connect to a Source/);
    expect(() => connect(text, 'source', 'source')).toThrow(/itself/);
    expect(connect(text, 'source', 'destination')).toBe(text.replace(/\n$/, '') + '\n');
  });

  it('removing a node removes its connections; renaming follows the connections, branch outputs included', () => {
    const { text } = addNode(newDataflowGraphYaml('g'), 'Graph', { artifact: 'a:1' });
    expect(parse(removeNodes(text, ['transform'])).spec.nodeConnections ?? []).toEqual([]);
    const withOutput = text.replace(/from:\n {8}name: transform/, 'from:\n        name: transform.output.true');
    const renamed = parse(renameNode(withOutput, 'transform', 'converter')).spec;
    expect(renamed.nodes[1].name).toBe('converter');
    expect(renamed.nodeConnections.map((c: { from: { name: string } }) => c.from.name)).toEqual(['source', 'converter.output.true']);
    expect(() => renameNode(text, 'transform', 'source')).toThrow(/exists already/);
  });

  it('writes configuration as key/value entries, dropping blanks', () => {
    const { text } = addNode(newDataflowGraphYaml('g'), 'Graph', { artifact: 'a:1' });
    const configured = setConfiguration(text, 'transform', { key1: 'v', empty: '  ' });
    expect(parse(configured).spec.nodes[1].graphSettings.configuration).toEqual([{ key: 'key1', value: 'v' }]);
    expect(parse(setConfiguration(configured, 'transform', {})).spec.nodes[1].graphSettings.configuration).toBeUndefined();
  });

  it('keeps node positions in an annotation and reads them back', () => {
    const text = writeLayout(newDataflowGraphYaml('g'), { source: [10.4, 20.6] });
    expect(readLayout(analyseManifest(text).value)).toEqual({ source: [10, 21] });
    expect(readLayout(analyseManifest(setNodeValue(text, 'source', ['name'], 'source')).value)).toEqual({ source: [10, 21] });
  });

  it('locates errors, and edits of broken YAML are refused with the reason', () => {
    const broken = newDataflowGraphYaml('g').replace('nodeType: Destination', 'nodeType: Sink');
    const { value, diagnostics } = analyseManifest(broken, ctx);
    expect(value).toBeDefined();
    expect(diagnostics.some((d) => d.severity === 'error' && d.path.startsWith('spec.nodes[1]') && d.line === 17)).toBe(true);
    expect(() => setNodeValue('a: [', 'x', ['y'], 1)).toThrow(/fix the YAML first/);
  });

  it('drops server-managed fields before sending', () => {
    const value = { ...analyseManifest(newDataflowGraphYaml('g')).value!, status: { x: 1 } };
    value.metadata = { ...value.metadata, resourceVersion: '5', uid: 'u' } as never;
    const sent = toResource(value) as unknown as Record<string, Record<string, unknown>>;
    expect(sent.status).toBeUndefined();
    expect(sent.metadata).toEqual({ name: 'g', namespace: 'azure-iot-operations' });
  });
});

describe('copy and paste of data-flow nodes', () => {
  it('pastes copies under new names, with the connections among them and none to the rest', async () => {
    const { copyNodes, pasteNodes } = await import('./manifest.ts');
    const { text } = addNode(newDataflowGraphYaml('g'), 'Graph', { artifact: 'a:1' });
    const clip = copyNodes(analyseManifest(text).value, ['source', 'transform']);
    expect(clip.connections).toEqual([{ from: 'source', to: 'transform' }]);
    const pasted = pasteNodes(text, clip);
    expect(pasted.names).toEqual(['source-copy', 'transform-copy']);
    const spec = parse(pasted.text).spec;
    expect(spec.nodes.map((n: { name: string }) => n.name)).toEqual(['source', 'transform', 'destination', 'source-copy', 'transform-copy']);
    expect(spec.nodeConnections.at(-1)).toEqual({ from: { name: 'source-copy' }, to: { name: 'transform-copy' } });
    expect(spec.nodes[4].graphSettings).toEqual({ registryEndpointRef: 'embedded', artifact: 'a:1' });
    // Pasting again: new names again.
    expect(pasteNodes(pasted.text, clip).names).toEqual(['source-copy-2', 'transform-copy-2']);
  });
});

describe('the reference manifest through the editor', () => {
  // The reference's minimal DataflowGraph (§4.2), flow style and comments as it writes them.
  const reference = [
    'apiVersion: connectivity.iotoperations.azure.com/v1',
    'kind: DataflowGraph',
    'metadata: { name: temp-converter, namespace: azure-iot-operations }',
    'spec:',
    '  profileRef: default',
    '  mode: Enabled',
    '  requestDiskPersistence: Disabled',
    '  nodes:',
    '    - nodeType: Source',
    '      name: temperature-source',
    '      sourceSettings: { endpointRef: default, dataSources: [sensor/temperature/raw] }',
    '    - nodeType: Graph',
    '      name: temperature-processor',
    '      graphSettings:',
    '        registryEndpointRef: public-ghcr',
    '        artifact: graph-simple:1.0.0            # or the full path when the host is just ghcr.io',
    '        configuration:',
    '          - { key: key1, value: example-value }',
    '    - nodeType: Destination',
    '      name: temperature-destination',
    '      destinationSettings: { endpointRef: default, dataDestination: sensor/temperature/processed }',
    '  nodeConnections:',
    '    - { from: { name: temperature-source }, to: { name: temperature-processor } }',
    '    - { from: { name: temperature-processor }, to: { name: temperature-destination } }',
    '',
  ].join('\n');

  it('round-trips apart from formatting: same value, comments kept, byte-stable from the first pass on; an edit touches only its line', () => {
    const once = setNodeValue(reference, 'temperature-destination', ['destinationSettings', 'dataDestination'], 'sensor/temperature/processed');
    expect(parse(once)).toEqual(parse(reference));
    expect(once).toContain('# or the full path when the host is just ghcr.io');
    expect(once.split('\n')).toHaveLength(reference.split('\n').length);
    expect(setNodeValue(once, 'temperature-destination', ['destinationSettings', 'dataDestination'], 'sensor/temperature/processed')).toBe(once);
    const edited = setNodeValue(once, 'temperature-destination', ['destinationSettings', 'dataDestination'], 'out');
    const changed = edited.split('\n').filter((l, i) => l !== once.split('\n')[i]);
    expect(changed).toEqual(['      destinationSettings: { endpointRef: default, dataDestination: out }']);
  });
});
