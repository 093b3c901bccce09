import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportBundle, FileStore } from './file-store.ts';
import { API_VERSION, ConflictError, NotFoundError, type StoredResource } from './store.ts';

const graph = (name: string, artifact = 'graph-simple:1.0.0'): StoredResource => ({
  apiVersion: API_VERSION,
  kind: 'DataflowGraph',
  metadata: { name, annotations: { 'wgs.dev/layout': '{"x":1}' } },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 's', sourceSettings: { endpointRef: 'default', dataSources: ['a'] } },
      { nodeType: 'Graph', name: 'g', graphSettings: { registryEndpointRef: 'r', artifact } },
      { nodeType: 'Destination', name: 'd', destinationSettings: { endpointRef: 'default', dataDestination: 'b' } },
    ],
    nodeConnections: [{ from: { name: 's' }, to: { name: 'g' } }, { from: { name: 'g' }, to: { name: 'd' } }],
  },
});

const store = () => new FileStore(mkdtempSync(join(tmpdir(), 'wgs-store-')));

describe('FileStore', () => {
  it('creates, lists, reads back and deletes, as YAML manifests on disk', async () => {
    const s = store();
    const created = await s.create(graph('one'));
    expect(created.metadata).toMatchObject({ name: 'one', namespace: 'azure-iot-operations', resourceVersion: '1', generation: 1 });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const onDisk = readFileSync(join(s.root, 'dataflowgraphs', 'one.yaml'), 'utf8');
    expect(onDisk).toContain('kind: DataflowGraph');
    expect(onDisk).toContain('artifact: graph-simple:1.0.0');
    await s.create(graph('two'));
    expect((await s.list('DataflowGraph')).map((r) => r.metadata.name)).toEqual(['one', 'two']);
    expect(await s.get('DataflowGraph', 'one')).toEqual(created);
    await s.delete('DataflowGraph', 'one');
    expect(await s.get('DataflowGraph', 'one')).toBeUndefined();
    await expect(s.delete('DataflowGraph', 'one')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a second create and a stale update with the current version, never overwriting', async () => {
    const s = store();
    const v1 = await s.create(graph('g1'));
    await expect(s.create(graph('g1'))).rejects.toBeInstanceOf(ConflictError);
    const v2 = await s.replace({ ...v1, spec: graph('g1', 'graph-complex:1.0.0').spec });
    expect(v2.metadata.resourceVersion).toBe('2');
    expect(v2.metadata.generation).toBe(2);
    const stale = s.replace({ ...v1, spec: graph('g1', 'other:1').spec });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const err = (await stale.catch((e) => e)) as ConflictError;
    expect(err.current?.metadata.resourceVersion).toBe('2');
    expect(((await s.get('DataflowGraph', 'g1'))!.spec.nodes as { graphSettings?: { artifact: string } }[])[1]!.graphSettings!.artifact).toBe('graph-complex:1.0.0');
  });

  it('bumps the generation only when the spec changes (a layout annotation is not a spec change)', async () => {
    const s = store();
    const v1 = await s.create(graph('g'));
    const v2 = await s.replace({ ...v1, metadata: { ...v1.metadata, annotations: { 'wgs.dev/layout': '{"x":2}' } } });
    expect(v2.metadata.generation).toBe(1);
    expect(v2.metadata.resourceVersion).toBe('2');
  });

  it('serializes concurrent updates: exactly one of two racing writers wins', async () => {
    const s = store();
    const v1 = await s.create(graph('race'));
    const results = await Promise.allSettled([s.replace({ ...v1 }), s.replace({ ...v1 })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
  });

  it('rejects names Kubernetes would reject, before touching the disk', async () => {
    const s = store();
    await expect(s.create(graph('Bad_Name'))).rejects.toThrow(/invalid name "Bad_Name"/);
    await expect(s.get('DataflowGraph', '../escape')).rejects.toThrow(/invalid name/);
  });

  it('exports a kubectl-apply-able bundle without server-set fields', async () => {
    const s = store();
    await s.create(graph('a'));
    await s.create({ apiVersion: API_VERSION, kind: 'RegistryEndpoint', metadata: { name: 'r' }, spec: { host: 'localhost:5000', authentication: { method: 'Anonymous', anonymousSettings: {} } } });
    const docs = parseAllDocuments(await exportBundle(s)).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['DataflowGraph/a', 'RegistryEndpoint/r']);
    for (const d of docs) {
      expect(d.metadata.resourceVersion).toBeUndefined();
      expect(d.metadata.uid).toBeUndefined();
      expect(d.apiVersion).toBe('connectivity.iotoperations.azure.com/v1');
    }
    expect(docs[0].metadata.annotations['wgs.dev/layout']).toBe('{"x":1}');
  });
});
