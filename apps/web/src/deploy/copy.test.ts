import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CopyArtifactsResult } from '@wgs/api-contract';
import { applyCopyToText } from './copy.ts';

const text = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata:
  name: converter
spec:
  nodes:
    - nodeType: Source
      name: source
      sourceSettings: { endpointRef: default, dataSources: [sensor/raw] }
    # the conversion
    - nodeType: Graph
      name: transform
      graphSettings:
        registryEndpointRef: embedded # the designer's registry
        artifact: samples/graph-simple:1.0.0
    - nodeType: Graph
      name: other
      graphSettings:
        registryEndpointRef: embedded
        artifact: samples/graph-complex:1.0.0
`;

const result = (nodes: { name: string; registryEndpointRef: string; artifact: string }[], copied: string[]): CopyArtifactsResult => ({
  draft: { apiVersion: 'v1', kind: 'DataflowGraph', metadata: { name: 'converter' }, spec: { nodes: nodes.map(({ name, ...graphSettings }) => ({ nodeType: 'Graph', name, graphSettings })) } },
  copied: copied.map((node) => ({ node, graph: { from: 'a', to: 'b', digest: 'sha256:0' }, modules: [] })),
  saved: false,
});

describe('applying a copy to the editor text', () => {
  it('points only the copied nodes at the new endpoint and keeps comments', () => {
    const out = applyCopyToText(text, result([
      { name: 'transform', registryEndpointRef: 'lab-registry', artifact: 'samples/graph-simple:1.0.0' },
      { name: 'other', registryEndpointRef: 'embedded', artifact: 'samples/graph-complex:1.0.0' },
    ], ['transform']));
    const nodes = parse(out).spec.nodes;
    expect(nodes[1].graphSettings).toEqual({ registryEndpointRef: 'lab-registry', artifact: 'samples/graph-simple:1.0.0' });
    expect(nodes[2].graphSettings.registryEndpointRef).toBe('embedded');
    expect(out).toContain('# the conversion');
    expect(out.split('\n').length).toBe(text.split('\n').length);
  });

  it('takes a changed artifact path too, and leaves the text alone when nothing was copied', () => {
    const out = applyCopyToText(text, result([{ name: 'other', registryEndpointRef: 'mirror', artifact: 'mirror/graph-complex:1.0.0' }], ['other']));
    expect(parse(out).spec.nodes[2].graphSettings).toEqual({ registryEndpointRef: 'mirror', artifact: 'mirror/graph-complex:1.0.0' });
    expect(applyCopyToText(text, result([], []))).toBe(text);
  });
});
