/**
 * `registryEndpointRef: default` (the reference's built-in transforms) resolves
 * to the embedded registry when no RegistryEndpoint named `default` exists, as
 * AIO's own `default` (mcr.microsoft.com) does; a stored one always wins.
 * Needs `pnpm build` (the built-ins in the embedded registry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, FileStore } from '@wgs/cluster-store';
import { validateResource, type DataflowGraphResource } from '@wgs/graph-model';
import { EMBEDDED_HOST, pullArtifact, resolveRegistryEndpoint } from '@wgs/registry';
import { findUnpullable } from './artifact-locations.ts';
import { checkGraphArtifacts } from './graph-checks.ts';
import { openEndpoint } from './registries.ts';
import { ValidationPool } from './validation/pool.ts';

/** A DataflowGraph as the reference writes one for a built-in map. */
function builtinGraph(registryEndpointRef: string, configuration?: { key: string; value: string }[]): DataflowGraphResource {
  return {
    apiVersion: API_VERSION,
    kind: 'DataflowGraph',
    metadata: { name: 'convert', namespace: 'azure-iot-operations' },
    spec: {
      profileRef: 'default',
      nodes: [
        { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['thermostats/+/telemetry'] } },
        {
          nodeType: 'Graph', name: 'convert',
          graphSettings: { registryEndpointRef, artifact: 'azureiotoperations/graph-dataflow-map:1.0.0', ...(configuration ? { configuration } : {}) },
        },
        { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'processed' } },
      ],
      nodeConnections: [{ from: { name: 'source' }, to: { name: 'convert' } }, { from: { name: 'convert' }, to: { name: 'destination' } }],
    },
  } as DataflowGraphResource;
}

const registryEndpoint = (name: string, host: string) => ({
  apiVersion: API_VERSION, kind: 'RegistryEndpoint', metadata: { name }, spec: { host, authentication: { method: 'Anonymous', anonymousSettings: {} } },
});

let dir: string;
let store: FileStore;
let validation: ValidationPool;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wgs-default-registry-'));
  store = new FileStore(dir);
  validation = new ValidationPool();
});

afterAll(async () => {
  await validation.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the default registry endpoint', () => {
  it('resolveRegistryEndpoint: a stored endpoint wins; only `default` falls back, to the embedded registry', () => {
    const stored = { metadata: { name: 'default' }, spec: { host: 'mcr.microsoft.com' } };
    expect(resolveRegistryEndpoint('default', stored)).toBe(stored);
    expect(resolveRegistryEndpoint('default', undefined)?.spec).toMatchObject({ host: EMBEDDED_HOST });
    expect(resolveRegistryEndpoint('other', undefined)).toBeUndefined();
  });

  it('structural rules accept `default` without a RegistryEndpoint, but still report other missing ones', () => {
    const ctx = { registryEndpoints: [] };
    expect(validateResource(builtinGraph('default'), ctx).filter((d) => d.rule === 'references')).toEqual([]);
    expect(validateResource(builtinGraph('mine'), ctx)).toEqual([expect.objectContaining({ rule: 'references', message: 'registry endpoint "mine" not found' })]);
  });

  it('opens the embedded registry for `default`, where the built-in artifacts are', async () => {
    const ep = await openEndpoint(store, 'default');
    expect(ep.host).toBe(EMBEDDED_HOST);
    const pulled = await pullArtifact(ep.store, 'azureiotoperations/graph-dataflow-map', '1.0.0', { expect: 'graph' });
    expect(new TextDecoder().decode(pulled.content)).toContain('azureiotoperations/dataflow-map:1.0.0');
    await expect(openEndpoint(store, 'missing')).rejects.toThrow('registry endpoint "missing" not found');
  });

  it('registry checks of a reference DataflowGraph run against it: a built-in without rules lacks its required parameter', async () => {
    expect(await checkGraphArtifacts(validation, store, builtinGraph('default'))).toEqual([
      expect.objectContaining({ rule: 'required-parameters', message: 'required parameter "rules" of map has no value' }),
    ]);
    const rules = JSON.stringify({ map: [{ inputs: ['temperature'], output: 'temperature_f', expression: 'cToF($1)' }] });
    expect(await checkGraphArtifacts(validation, store, builtinGraph('default', [{ key: 'rules', value: rules }]))).toEqual([]);
    // The deploy plan knows it is the designer's registry, which a cluster cannot pull from.
    expect(await findUnpullable(store, builtinGraph('default') as never)).toEqual([expect.objectContaining({ node: 'convert', registryEndpoint: 'default' })]);
  });

  it('a RegistryEndpoint named `default` in the store is used instead', async () => {
    await store.create(registryEndpoint('default', '127.0.0.1:1') as never);
    try {
      const ep = await openEndpoint(store, 'default');
      expect(ep.host).toBe('127.0.0.1:1');
      expect(await findUnpullable(store, builtinGraph('default') as never)).toEqual([]);
    } finally {
      await store.delete('RegistryEndpoint', 'default');
    }
  });
});
