import { useEffect, useState } from 'react';
import type { ApiClient, GraphPreview } from '../api/client.ts';

type Loaded = { definition?: GraphPreview; error?: string; loading: boolean };

// Definitions by endpoint + artifact: a tag is fetched once per page (the server caches by digest too).
const cache = new Map<string, Promise<GraphPreview>>();

/** The graph definition behind a transform's artifact (its parameters feed the configuration form). */
export function useDefinition(api: ApiClient, endpoint: string | undefined, artifact: string | undefined): Loaded {
  const [state, setState] = useState<Loaded>({ loading: false });
  useEffect(() => {
    if (!endpoint || !artifact) return setState({ loading: false });
    const key = `${endpoint}\n${artifact}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = api.graph(endpoint, artifact);
      cache.set(key, pending);
      // A failure is not kept: the next look tries again (the registry may be back).
      pending.catch(() => cache.delete(key));
    }
    let live = true;
    setState({ loading: true });
    pending.then(
      (definition) => live && setState({ definition, loading: false }),
      (e: Error) => live && setState({ error: e.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [api, endpoint, artifact]);
  return state;
}
