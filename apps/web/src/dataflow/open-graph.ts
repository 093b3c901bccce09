/** "Open operator graph" from the canvas's context menu: as the transform panel's button does, without selecting first. */
import type { GraphNode } from '@wgs/graph-model';
import type { ApiClient, GraphPreview } from '../api/client.ts';
import { useDataflow } from './store.ts';
import { feedOf, type PreviewFeed } from './flow.ts';

type OpenDefinition = (definition: GraphPreview, configuration: Record<string, string>, feed: PreviewFeed) => void;

/** The graph node's artifact, when it names one (the menu offers the action only then). */
export function graphArtifactOf(name: string): { endpoint: string; artifact: string } | undefined {
  const node = useDataflow.getState().value?.spec?.nodes?.find((n) => n?.name === name);
  if (node?.nodeType !== 'Graph') return undefined;
  const settings = (node as GraphNode).graphSettings;
  return settings?.artifact && settings.registryEndpointRef ? { endpoint: settings.registryEndpointRef, artifact: settings.artifact } : undefined;
}

export async function openOperatorGraph(api: ApiClient, name: string, open: OpenDefinition): Promise<void> {
  const at = graphArtifactOf(name);
  if (!at) return;
  const value = useDataflow.getState().value;
  const node = value?.spec?.nodes?.find((n) => n?.name === name) as GraphNode | undefined;
  const configuration = Object.fromEntries((node?.graphSettings?.configuration ?? []).map((c) => [c.key, c.value]));
  try {
    open(await api.graph(at.endpoint, at.artifact), configuration, feedOf(value, name));
  } catch (e) {
    useDataflow.setState({ editError: `could not open ${at.artifact}: ${(e as Error).message}` });
  }
}
