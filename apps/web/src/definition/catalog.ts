/**
 * The modules a registry endpoint offers, with the operator kinds each
 * exports. Reading a module's kinds means pulling and inspecting the
 * component on the server, so each answer is kept for the page's lifetime
 * and requests go two at a time.
 */
import { moduleReference, type ModuleInfo } from '../model/modules.ts';
import type { DefinitionApi } from './api.ts';

const infos = new Map<string, Promise<ModuleInfo>>();
const catalogs = new Map<string, Promise<ModuleInfo[]>>();

/** One module's kinds (an unreadable module carries its error instead of failing the list). */
export function moduleInfo(api: DefinitionApi, endpoint: string, reference: string): Promise<ModuleInfo> {
  const key = `${endpoint}\n${reference}`;
  let p = infos.get(key);
  if (!p) {
    p = api.module(endpoint, reference).then(
      (m) => ({ reference, exportedKinds: m.exportedKinds, imports: m.imports }),
      (e: Error) => ({ reference, error: e.message }),
    );
    infos.set(key, p);
  }
  return p;
}

async function inPairs<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all([lane(), lane()]);
  return out;
}

/** Every module artifact (repository:tag) of the endpoint, with its kinds. */
export function moduleCatalog(api: DefinitionApi, endpoint: string): Promise<ModuleInfo[]> {
  let p = catalogs.get(endpoint);
  if (!p) {
    p = (async () => {
      const repositories = await api.repositories(endpoint);
      const refs = (await inPairs(repositories, async (r) => (await api.tags(endpoint, r).catch(() => []))
        .filter((t) => t.kind === 'module')
        .map((t) => moduleReference(r, t.tag)))).flat();
      return inPairs(refs, (ref) => moduleInfo(api, endpoint, ref));
    })();
    catalogs.set(endpoint, p);
    p.catch(() => catalogs.delete(endpoint));
  }
  return p;
}

/** Forgets what was read (e.g. after a push changed the registry). */
export function forgetCatalog(endpoint?: string): void {
  if (endpoint === undefined) catalogs.clear();
  else catalogs.delete(endpoint);
}
