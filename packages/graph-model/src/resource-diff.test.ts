import { describe, expect, it } from 'vitest';
import { diffResources } from './resource-diff.ts';

const base = () => ({
  apiVersion: 'connectivity.iotoperations.azure.com/v1',
  kind: 'DataflowGraph',
  metadata: { name: 'g', namespace: 'azure-iot-operations', resourceVersion: '7', uid: 'u', generation: 3, annotations: { 'wgs.dev/layout': '{"a":1}' } },
  spec: {
    mode: 'Enabled',
    nodes: [
      { nodeType: 'Source', name: 's', sourceSettings: { endpointRef: 'default', dataSources: ['a'] } },
      { nodeType: 'Graph', name: 't', graphSettings: { registryEndpointRef: 'r', artifact: 'graph-simple:1.0.0', configuration: [{ key: 'k', value: '1' }] } },
    ],
    nodeConnections: [{ from: { name: 's' }, to: { name: 't' } }, { from: { name: 't' }, to: { name: 'd' } }],
  },
  status: { healthState: 'Available' },
});

describe('diffResources', () => {
  it('ignores server-set fields, status, layout annotations and node/connection order', () => {
    const a = base();
    const b = base();
    b.metadata = { ...b.metadata, resourceVersion: '9', uid: 'other', generation: 5, annotations: { 'wgs.dev/layout': '{"a":2}' } };
    b.spec.nodes.reverse();
    b.spec.nodeConnections.reverse();
    b.spec.mode = 'enabled';
    delete (b as { status?: unknown }).status;
    expect(diffResources(a, b)).toEqual([]);
  });

  it('names what changed, by node name', () => {
    const a = base();
    const b = base();
    b.spec.nodes[1]!.graphSettings!.artifact = 'graph-complex:1.0.0';
    b.spec.nodes[1]!.graphSettings!.configuration = [{ key: 'k', value: '2' }];
    b.spec.nodes.push({ nodeType: 'Destination', name: 'd', destinationSettings: { endpointRef: 'default', dataDestination: 'out' } } as never);
    const changes = diffResources(a, b);
    expect(changes).toEqual([
      { path: 'spec.nodes[name=t].graphSettings.artifact', kind: 'changed', before: 'graph-simple:1.0.0', after: 'graph-complex:1.0.0' },
      { path: 'spec.nodes[name=t].graphSettings.configuration', kind: 'changed', before: [{ key: 'k', value: '1' }], after: [{ key: 'k', value: '2' }] },
      { path: 'spec.nodes[name=d]', kind: 'added', after: expect.objectContaining({ name: 'd' }) },
    ]);
  });

  it('treats a resource the cluster lacks as wholly added', () => {
    expect(diffResources(undefined, base())).toEqual([{ path: '', kind: 'added', after: expect.objectContaining({ kind: 'DataflowGraph' }) }]);
  });

  it('reports removed connections', () => {
    const a = base();
    const b = base();
    b.spec.nodeConnections.pop();
    expect(diffResources(a, b)).toEqual([{ path: 'spec.nodeConnections[{"from":{"name":"t"},"to":{"name":"d"}}]', kind: 'removed', before: { from: { name: 't' }, to: { name: 'd' } } }]);
  });
});
