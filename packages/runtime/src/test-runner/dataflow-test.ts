/**
 * `wgs test` on a DataflowGraph manifest: the manifest (and endpoint
 * manifests beside it) read from files, each Graph node's graph and modules
 * pulled through its registry endpoint, flattened into one composite graph.
 */
import type { GraphDefinition, RegistrySchema } from '@wgs/graph-model';
import { fileRegistryOpener, overrideConfiguration, readDataflowFile } from '../dataflow-file.ts';
import { pullDataflow } from '../pull-dataflow.ts';
import type { RunnerOptions } from '../worker/graph-runner.ts';

export interface DataflowForTest {
  graph: GraphDefinition;
  runnerOptions: Pick<RunnerOptions, 'operationConfiguration' | 'operationRegistryDirs' | 'operationModuleSchemas'>;
  /** Topic of the test's inputs: the first Source node's first data source, wildcards filled in. */
  topic: string;
  cleanup(): Promise<void>;
}

export async function loadDataflowForTest(file: string, endpointFiles: string[], overrides: Record<string, Record<string, unknown>> | undefined, schemas: RegistrySchema[] = []): Promise<DataflowForTest> {
  const f = await readDataflowFile(file, endpointFiles);
  const resource = overrideConfiguration(f.resource, overrides);
  const pulled = await pullDataflow({ resource, openRegistry: fileRegistryOpener(f), schemas, schemaSource: "the test's schemas: files (aio-sr://local/<file name>:1)" });
  const first = pulled.flat.source.nodes[0]?.topics[0] ?? 'sensors';
  return {
    graph: pulled.flat.graph,
    runnerOptions: { operationConfiguration: pulled.flat.configuration, operationRegistryDirs: pulled.operationRegistryDirs, operationModuleSchemas: pulled.operationModuleSchemas },
    // A filter is not a topic to publish on: `+` and `#` levels become `test`.
    topic: first.split('/').map((l) => (l === '+' || l === '#' ? 'test' : l)).join('/'),
    cleanup: pulled.cleanup,
  };
}
