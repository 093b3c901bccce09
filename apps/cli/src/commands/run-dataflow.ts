/**
 * `wgs run --graph <DataflowGraph manifest>`: the data flow flattened into one
 * composite graph (modules through each Graph node's registry endpoint), its
 * sources' topics from the Source nodes and each Destination's outputs to its
 * `dataDestination`. The run itself is the graph run (same connectors, same
 * GraphRunner), so the delivery guarantees are the same.
 */
import { endpointBrokerUrl } from '@wgs/graph-model';
import { fileRegistryOpener, pullDataflow, readDataflowFile, type LocalSchema, type PulledDataflow } from '@wgs/runtime';

export interface DataflowRun {
  pulled: PulledDataflow;
  broker: string;
  sources: string[];
  /** Composite sink (the Destination node's name) → its dataDestination. */
  destinations: Map<string, string>;
}

/**
 * `broker`: the `--broker` flag when given. Otherwise the DataflowEndpoint the
 * Source nodes name, when its manifest is in the same file; else the local
 * default. One run has one broker: nodes on endpoints with other brokers are refused.
 */
export async function prepareDataflowRun(file: string, broker: string | undefined, log: (line: string) => void, schemas: LocalSchema[] = []): Promise<DataflowRun> {
  const f = await readDataflowFile(file);
  const pulled = await pullDataflow({ resource: f.resource, openRegistry: fileRegistryOpener(f), log, schemas, schemaSource: 'the --schema files (aio-sr://local/<file name>:1)' });
  try {
    const { flat } = pulled;
    const refs = new Set([...flat.source.nodes.map((n) => n.endpointRef), ...flat.destinations.map((d) => d.endpointRef)]);
    const urls = new Map<string, string>();
    for (const ref of refs) {
      const endpoint = f.dataflowEndpoints.get(ref);
      if (!endpoint) continue;
      const u = endpointBrokerUrl(ref, endpoint.spec);
      if ('error' in u) throw new Error(u.error);
      urls.set(ref, u.url);
    }
    if (!broker && new Set(urls.values()).size > 1) {
      throw new Error(`the nodes use endpoints on different brokers (${[...urls].map(([n, u]) => `${n} = ${u}`).join(', ')}); one run reads and writes one broker: give --broker`);
    }
    return {
      pulled,
      broker: broker ?? [...urls.values()][0] ?? 'mqtt://127.0.0.1:1883',
      sources: [...new Set(flat.source.nodes.flatMap((n) => n.topics))],
      destinations: new Map(flat.destinations.map((d) => [d.sink, d.topic])),
    };
  } catch (e) {
    await pulled.cleanup();
    throw e;
  }
}
