import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Resource } from '@wgs/api-contract';
import { bundleResources, bundleYaml, dryRunLines } from './bundle.ts';

const graph = {
  apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowGraph',
  metadata: { name: 'converter', resourceVersion: '7' },
  spec: { nodes: [
    { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['a'] } },
    { nodeType: 'Graph', name: 't', graphSettings: { registryEndpointRef: 'lab', artifact: 'x:1' } },
    { nodeType: 'Destination', name: 'd', destinationSettings: { endpointRef: 'default', dataDestination: 'b' } },
  ] },
} as unknown as Resource;
const endpoint = { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'default' }, spec: { endpointType: 'Mqtt' } };

describe('deploy bundle', () => {
  it('holds the endpoints the graph names, then the graph, without server fields, and says what is missing', () => {
    const { resources, missing } = bundleResources(graph, [endpoint], 'azure-iot-operations');
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual(['DataflowEndpoint/default', 'DataflowGraph/converter']);
    expect(missing).toEqual(['RegistryEndpoint lab']);
    expect(JSON.stringify(resources)).not.toContain('resourceVersion');
    const docs = parseAllDocuments(bundleYaml(resources)).map((d) => d.toJS());
    expect(docs.map((d) => d.metadata.namespace)).toEqual(['azure-iot-operations', 'azure-iot-operations']);
    expect(dryRunLines(resources)).toEqual(['create DataflowEndpoint azure-iot-operations/default', 'create DataflowGraph azure-iot-operations/converter']);
  });
});
