import type { FastifyInstance } from 'fastify';
import type { ResourceStore, StoredResource } from '@wgs/cluster-store';
import { diffResources } from '@wgs/graph-model';
import type { GraphOverview, GraphOverviewItem } from '@wgs/api-contract';
import { answerWithin } from '../answer-within.ts';
import { liveStatusOf } from '../live-status.ts';

/** How long the list waits for a cluster before showing the saved graphs alone. */
const CLUSTER_WAIT_MS = 5000;

function graphItem(name: string, saved: StoredResource | undefined, deployed: StoredResource | undefined, clusterSeparate: boolean): GraphOverviewItem {
  const live = deployed ? liveStatusOf(deployed) : undefined;
  const spec = (saved ?? deployed)?.spec as { nodes?: { nodeType?: string; graphSettings?: { artifact?: string } }[]; mode?: string; profileRef?: string } | undefined;
  return {
    name,
    saved: !!saved,
    deployed: !!deployed,
    mode: spec?.mode ?? 'Enabled',
    profile: spec?.profileRef,
    artifacts: (spec?.nodes ?? []).flatMap((n) => (n.nodeType === 'Graph' && n.graphSettings?.artifact ? [n.graphSettings.artifact] : [])),
    health: live?.health,
    live,
    resourceVersion: saved?.metadata.resourceVersion,
    clusterResourceVersion: deployed?.metadata.resourceVersion,
    // Only meaningful when drafts and the cluster are different stores.
    differsFromCluster: clusterSeparate && !!saved && !!deployed ? diffResources(deployed, saved).length > 0 : undefined,
  };
}

/**
 * GET /api/graph-overview: every DataflowGraph the backend knows — saved in
 * the store, in the cluster (including ones applied with kubectl), or both —
 * with whether it is deployed and its health. A cluster that does not answer
 * leaves the saved graphs listed, with the reason.
 */
export function registerOverviewRoute(app: FastifyInstance, store: ResourceStore, cluster: ResourceStore | undefined): void {
  app.get('/api/graph-overview', async (): Promise<GraphOverview> => {
    const saved = await store.list('DataflowGraph');
    const separate = !!cluster && cluster !== store;
    let deployed: StoredResource[] = cluster === store ? saved : [];
    let clusterProblem: string | undefined;
    if (separate) {
      try {
        deployed = await answerWithin(cluster.list('DataflowGraph'), CLUSTER_WAIT_MS);
      } catch (e) {
        clusterProblem = `the cluster did not answer: ${(e as Error).message}`;
      }
    }
    const byName = new Map<string, { saved?: StoredResource; deployed?: StoredResource }>();
    for (const r of saved) byName.set(r.metadata.name, { saved: r });
    for (const r of deployed) byName.set(r.metadata.name, { ...byName.get(r.metadata.name), deployed: r });
    const items = [...byName.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { saved: s, deployed: d }]) => graphItem(name, s, d, separate));
    return {
      items,
      store: store.description,
      cluster: cluster?.description ?? null,
      storeIsCluster: cluster === store,
      ...(clusterProblem ? { clusterProblem } : {}),
    };
  });
}
