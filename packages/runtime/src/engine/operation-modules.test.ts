/**
 * Per-operation module resolution (a flattened data flow whose Graph nodes
 * come from different registries): the SAME module reference names a
 * different component in each node's layout, and each operation gets its own.
 * Real components from the embedded registry (`pnpm build` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraphDefinition } from '@wgs/graph-model';
import { copyArtifact, embeddedRegistry, OciLayoutRegistry } from '@wgs/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { layoutResolverFor } from '../module-resolver.ts';
import { instantiateGraph } from './graph-instance.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A private layout holding `vendor/step:1.0.0` = the given built-in module. */
async function layoutWith(builtin: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wgs-op-modules-'));
  dirs.push(dir);
  await copyArtifact(embeddedRegistry(), `azureiotoperations/dataflow-${builtin}`, '1.0.0', new OciLayoutRegistry(dir), 'vendor/step', ['1.0.0']);
  return dir;
}

const graph = loadGraphDefinition(`
metadata: { $schema: x, name: two-registries, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
moduleConfigurations:
  - { name: a/map, parameters: { rules: { name: rules, required: true } } }
  - { name: b/filter, parameters: { rules: { name: rules, required: true } } }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: a/map, module: vendor/step:1.0.0 }
  - { operationType: filter, name: b/filter, module: vendor/step:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: a/map } }
  - { from: { name: a/map }, to: { name: b/filter } }
  - { from: { name: b/filter }, to: { name: sink } }
`);

describe('per-operation modules and configuration', () => {
  it('resolves one reference to a different component per operation, each with its own rules', async () => {
    const [maps, filters] = await Promise.all([layoutWith('map'), layoutWith('filter')]);
    const logs: string[] = [];
    const gi = await instantiateGraph({
      graph,
      resolver: layoutResolverFor(maps, process.cwd(), { 'b/filter': filters }),
      operationConfiguration: {
        'a/map': { rules: JSON.stringify({ map: [{ inputs: ['*'], output: '*' }] }) },
        'b/filter': { rules: JSON.stringify({ filter: [{ inputs: ['v'], expression: '$1 > 1' }] }) },
      },
      onLog: (r) => logs.push(`${r.operation}: ${r.message}`),
    });
    // Each instance started with its kind's export: the filter would not load from the map module, nor the map from the filter's.
    expect([...gi.instances.keys()]).toEqual(['a/map', 'b/filter']);
  });

  it('without its own layout, the operation resolves in the run\'s layout (and fails there on the wrong kind)', async () => {
    const maps = await layoutWith('map');
    await expect(instantiateGraph({
      graph,
      resolver: layoutResolverFor(maps, process.cwd()),
      configuration: { rules: JSON.stringify({ map: [{ inputs: ['*'], output: '*' }] }) },
    })).rejects.toThrow(/does not export a filter operator/);
  });
});
