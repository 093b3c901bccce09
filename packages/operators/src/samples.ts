/** The sample modules and the names they are published under (as the reference's public samples). */
export const SAMPLE_REPOSITORY_PREFIX = 'azure-samples/explore-iot-operations';
export const SAMPLE_TAG = '1.0.0';
/** Repository prefix of the built-in transforms (reference: mcr.microsoft.com/azureiotoperations/…). */
export const BUILTIN_REPOSITORY_PREFIX = 'azureiotoperations';

export interface SampleModule {
  crate: string;
  repository: string;
  kinds: string[];
  /** Tags besides SAMPLE_TAG the same component is published under. */
  extraTags?: string[];
}

const sample = (crate: string, kinds: string[], repository = `${SAMPLE_REPOSITORY_PREFIX}/${crate}`, extraTags?: string[]): SampleModule =>
  ({ crate, repository, kinds, ...(extraTags ? { extraTags } : {}) });

export const SAMPLE_MODULES: SampleModule[] = [
  sample('temperature', ['map', 'branch', 'filter', 'accumulate']),
  sample('window', ['delay']),
  sample('humidity', ['accumulate']),
  sample('collection', ['accumulate']),
  sample('enrichment', ['map']),
  sample('format', ['map']),
  sample('snapshot', ['branch', 'map', 'accumulate']),
  sample('otel_enrich', ['map'], `${SAMPLE_REPOSITORY_PREFIX}/otel-enrich`),
  // Misbehaves on request (loop, trap, error): used by failure-isolation tests.
  sample('faulty', ['map'], 'wgs-samples/faulty'),
  // The reference's built-in transforms (map, filter, branch, window, throttle), our own implementation.
  sample('dataflow_map', ['map'], `${BUILTIN_REPOSITORY_PREFIX}/dataflow-map`),
  sample('dataflow_filter', ['filter'], `${BUILTIN_REPOSITORY_PREFIX}/dataflow-filter`),
  sample('dataflow_branch', ['branch'], `${BUILTIN_REPOSITORY_PREFIX}/dataflow-branch`),
  // One component serves window 1.0.0 and 1.1.0 (count, memory, triggers reach it only through the 1.1.0 graph).
  sample('dataflow_window', ['delay', 'accumulate'], `${BUILTIN_REPOSITORY_PREFIX}/dataflow-window`, ['1.1.0']),
  sample('dataflow_throttle', ['filter'], `${BUILTIN_REPOSITORY_PREFIX}/dataflow-throttle`),
];

/**
 * The built-in transforms' graph artifacts (`builtins/graph-dataflow-<kind>.yaml`),
 * published as `azureiotoperations/graph-dataflow-<kind>:1.0.0`, the names the
 * reference pulls from its `default` registry endpoint.
 */
export const BUILTIN_KINDS = ['map', 'filter', 'branch', 'concatenate', 'window', 'throttle'] as const;
export const builtinArtifact = (kind: (typeof BUILTIN_KINDS)[number]): string => `${BUILTIN_REPOSITORY_PREFIX}/graph-dataflow-${kind}:${SAMPLE_TAG}`;
/** Later versions of built-ins, published from `builtins/<version>/graph-dataflow-<kind>.yaml` (window 1.1.0). */
export const BUILTIN_LATER_VERSIONS = ['1.1.0'] as const;
