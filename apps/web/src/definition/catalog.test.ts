import { describe, expect, it } from 'vitest';
import { modulesForKind } from '../model/modules.ts';
import type { DefinitionApi, ListedTag } from './api.ts';
import { moduleCatalog } from './catalog.ts';

/** A registry of two module repositories, a graph and a broken module, counting module reads. */
function fakeRegistry() {
  const reads: string[] = [];
  const tags: Record<string, ListedTag[]> = {
    'samples/temperature': [{ tag: '1.0.0', kind: 'module' }, { tag: '1.1.0', kind: 'module' }],
    'samples/window': [{ tag: '1.0.0', kind: 'module' }],
    'samples/graph-simple': [{ tag: '1.0.0', kind: 'graph' }],
    'samples/broken': [{ tag: '1.0.0', kind: 'module' }],
  };
  const kinds: Record<string, string[]> = { 'samples/temperature': ['map', 'filter', 'branch', 'accumulate'], 'samples/window': ['delay'] };
  const api: DefinitionApi = {
    registryEndpoints: async () => ['reg'],
    repositories: async () => Object.keys(tags),
    tags: async (_e, r) => tags[r] ?? [],
    module: async (_e, ref) => {
      reads.push(ref);
      const repo = ref.slice(0, ref.lastIndexOf(':'));
      if (!kinds[repo]) throw new Error('not a component');
      return { exportedKinds: kinds[repo]!, imports: [] };
    },
    pushGraph: async () => { throw new Error('unused'); },
  };
  return { api, reads };
}

describe('module catalogue', () => {
  it('lists every module tag with its kinds, skips graphs, keeps unreadable modules with their error', async () => {
    const { api, reads } = fakeRegistry();
    const catalog = await moduleCatalog(api, 'reg-a');
    expect(catalog.map((m) => m.reference)).toEqual(['samples/temperature:1.0.0', 'samples/temperature:1.1.0', 'samples/window:1.0.0', 'samples/broken:1.0.0']);
    expect(catalog.find((m) => m.reference === 'samples/broken:1.0.0')!.error).toBe('not a component');
    expect(modulesForKind(catalog, 'delay').map((m) => m.reference)).toEqual(['samples/window:1.0.0']);
    expect(modulesForKind(catalog, 'filter')).toHaveLength(2);
    // Read once per endpoint and page.
    await moduleCatalog(api, 'reg-a');
    expect(reads).toHaveLength(4);
  });
});
