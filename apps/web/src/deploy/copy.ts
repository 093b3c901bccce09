import type { CopyArtifactsResult } from '@wgs/api-contract';
import { setNodeValue } from '../dataflow/manifest.ts';

/**
 * The editor's manifest text with the copied Graph nodes pointing at the
 * RegistryEndpoint they were copied to, as text edits (comments and layout
 * stay). Each node's values are taken from the server's rewritten draft.
 */
export function applyCopyToText(text: string, result: CopyArtifactsResult): string {
  const nodes = (result.draft.spec as { nodes?: { name?: string; graphSettings?: { registryEndpointRef?: string; artifact?: string } }[] }).nodes ?? [];
  let out = text;
  for (const { node } of result.copied) {
    const settings = nodes.find((n) => n.name === node)?.graphSettings;
    if (!settings) continue;
    out = setNodeValue(out, node, ['graphSettings', 'registryEndpointRef'], settings.registryEndpointRef);
    out = setNodeValue(out, node, ['graphSettings', 'artifact'], settings.artifact);
  }
  return out;
}
