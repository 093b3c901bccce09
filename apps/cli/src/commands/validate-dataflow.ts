/**
 * `wgs validate` on a DataflowGraph whose Graph nodes' definitions can be
 * pulled (the embedded registry for `default`, RegistryEndpoints given in the
 * files): flattened as the runtime and the server do, so shape errors (an
 * output the node's graph has no sink for, a node with no path to a
 * Destination, …) are found before a deploy. Located in the manifest.
 */
import { ValidationError, type DataflowGraphResource, type Diagnostic, type RegistryEndpointResource } from '@wgs/graph-model';
import { fileRegistryOpener, locateInDocument, pullDataflow } from '@wgs/runtime';

export interface FlattenCheck {
  diagnostics: Diagnostic[];
  /** Set when the check could not run (no registry access, unknown endpoint, missing artifact): why. */
  skipped?: string;
}

export async function checkDataflowShape(text: string, docIndex: number, resource: DataflowGraphResource, registryEndpoints: Map<string, RegistryEndpointResource>): Promise<FlattenCheck> {
  let pulled;
  try {
    pulled = await pullDataflow({ resource, openRegistry: fileRegistryOpener({ resource, registryEndpoints, dataflowEndpoints: new Map() }) });
  } catch (e) {
    if (e instanceof ValidationError) return { diagnostics: locateInDocument(text, docIndex, e.diagnostics) };
    return { diagnostics: [], skipped: (e as Error).message };
  }
  await pulled.cleanup();
  return { diagnostics: [] };
}
