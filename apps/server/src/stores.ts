import { FileStore, KubeStore, type ResourceStore, type SchemaStore } from '@wgs/cluster-store';
import type { ServerConfig } from './config.ts';
import { answerWithin } from './answer-within.ts';

export interface Stores {
  store: ResourceStore;
  cluster?: ResourceStore;
  /**
   * Message schemas: the cluster's ConfigMaps whenever a cluster is configured
   * (drafts embedded too: the engine reads the same ones), the embedded folder
   * without one or while it does not answer.
   */
  schemas: SchemaStore;
  /** Why the cluster is not the store, when one was configured but did not answer. */
  warning?: string;
}

/**
 * With a kubeconfig (a file, or `in-cluster` for the pod's service account),
 * graphs live in the cluster; if it does not answer, the
 * app keeps serving from the embedded store and says so (deploys then fail
 * with a clear "unavailable" error until the cluster is back).
 */
export async function openStores(config: ServerConfig, probeTimeoutMs = 5000): Promise<Stores> {
  const embedded = new FileStore(config.storeDir, config.namespace);
  if (!config.kubeconfig) return { store: embedded, schemas: embedded.schemas };
  // 'in-cluster': the pod's service account, found by loadFromDefault (which prefers $KUBECONFIG or ~/.kube/config when present).
  const cluster = await KubeStore.fromKubeconfig(config.kubeconfig === 'in-cluster' ? undefined : config.kubeconfig, config.namespace);
  // Drafts kept apart: saving never touches the cluster, deploying does (with its diff).
  if (config.drafts === 'embedded') return { store: embedded, cluster, schemas: cluster.schemas };
  try {
    await answerWithin(cluster.list('DataflowGraph'), probeTimeoutMs);
    return { store: cluster, cluster, schemas: cluster.schemas };
  } catch (e) {
    return { store: embedded, cluster, schemas: embedded.schemas, warning: `cluster unavailable (${(e as Error).message}); serving the embedded store ${config.storeDir}` };
  }
}
