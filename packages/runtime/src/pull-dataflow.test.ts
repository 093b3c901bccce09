/**
 * pullDataflow against the embedded registry (the built-ins, `pnpm build`
 * first): a layout per artifact, shared by the nodes using it, and failures
 * that say which node and which step.
 */
import { existsSync } from 'node:fs';
import { ValidationError, type DataflowGraphResource } from '@wgs/graph-model';
import { EMBEDDED_HOST, embeddedRegistry } from '@wgs/registry';
import { describe, expect, it } from 'vitest';
import { DataflowPullError, DataflowSchemaError, pullDataflow } from './pull-dataflow.ts';

const openRegistry = async (name: string) => {
  if (name !== 'default') throw new Error('not found');
  return { store: embeddedRegistry(), prefix: '', host: EMBEDDED_HOST };
};

function dataflow(graphs: { name: string; artifact: string; registry?: string }[], connections: [string, string][]): DataflowGraphResource {
  return {
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name: 'pull' },
    spec: {
      nodes: [
        { nodeType: 'Source', name: 'in', sourceSettings: { endpointRef: 'default', dataSources: ['t'] } },
        ...graphs.map((g) => ({ nodeType: 'Graph' as const, name: g.name, graphSettings: { registryEndpointRef: g.registry ?? 'default', artifact: g.artifact } })),
        { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'default', dataDestination: 'o' } },
      ],
      nodeConnections: connections.map(([from, to]) => ({ from: { name: from }, to: { name: to } })),
    },
  };
}

const MAP = 'azureiotoperations/graph-dataflow-map:1.0.0';

describe('pullDataflow', () => {
  it('pulls each artifact once; its nodes share the layout; cleanup removes it', async () => {
    const pulled = await pullDataflow({ resource: dataflow([{ name: 'a', artifact: MAP }, { name: 'b', artifact: MAP }], [['in', 'a'], ['a', 'b'], ['b', 'out']]), openRegistry });
    const dirs = pulled.operationRegistryDirs;
    expect(Object.keys(dirs)).toEqual(['a/map', 'b/map']);
    expect(dirs['a/map']).toBe(dirs['b/map']);
    expect(pulled.digests['a']).toMatch(/^sha256:/);
    expect(existsSync(dirs['a/map']!)).toBe(true);
    await pulled.cleanup();
    expect(existsSync(dirs['a/map']!)).toBe(false);
  });

  it('says which node and step failed; a shape flattening refuses is a ValidationError', async () => {
    await expect(pullDataflow({ resource: dataflow([{ name: 'a', artifact: MAP }, { name: 'gone', artifact: 'azureiotoperations/nope:1.0.0' }], [['in', 'a'], ['a', 'gone'], ['gone', 'out']]), openRegistry }))
      .rejects.toMatchObject({ name: 'DataflowPullError', node: 'gone', stage: 'artifact' });
    await expect(pullDataflow({ resource: dataflow([{ name: 'a', artifact: MAP, registry: 'elsewhere' }], [['in', 'a'], ['a', 'out']]), openRegistry }))
      .rejects.toBeInstanceOf(DataflowPullError);
    const refused = pullDataflow({ resource: dataflow([{ name: 'a', artifact: MAP }], [['in', 'a'], ['a.output.true', 'out']]), openRegistry });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(/Graph node "a" has no output "output.true"; its outputs are "sink"/);
  });

  it("finds the schemas the connections name; each goes to the modules of the node it enters; a missing one fails before any pull", async () => {
    const FILTER = 'azureiotoperations/graph-dataflow-filter:1.0.0';
    const r = dataflow([{ name: 'a', artifact: MAP }, { name: 'check', artifact: FILTER }], [['a', 'check'], ['in', 'a'], ['check', 'out']]);
    r.spec.nodeConnections[0]!.from.schema = { schemaRef: 'aio-sr://factory/temperature:1' };
    const temperature = { namespace: 'factory', name: 'temperature', version: '1', format: 'json' as const, content: '{}' };
    const pulled = await pullDataflow({ resource: r, openRegistry, schemas: [temperature, { ...temperature, name: 'unused' }] });
    expect(pulled.schemas).toEqual([temperature]);
    expect(pulled.operationModuleSchemas).toEqual({ 'a/map': [], 'check/filter': ['factory/temperature:1'] });
    expect(pulled.flat.configuration['check/filter']?.schemaRef).toBe('aio-sr://factory/temperature:1');
    await pulled.cleanup();

    let opened = 0;
    const missing = pullDataflow({ resource: r, openRegistry: async (n) => (opened++, openRegistry(n)), schemas: [], schemaSource: 'the schema store' });
    await expect(missing).rejects.toBeInstanceOf(DataflowSchemaError);
    await expect(missing).rejects.toThrow('schema aio-sr://factory/temperature:1 (read by "check") is not in the schema store (at spec.nodeConnections[0].from.schema.schemaRef)');
    expect(opened).toBe(0);
  });
});
