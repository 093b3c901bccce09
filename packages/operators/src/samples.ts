/** The sample modules and the names they are published under (as the reference's public samples). */
export const SAMPLE_REPOSITORY_PREFIX = 'azure-samples/explore-iot-operations';
export const SAMPLE_TAG = '1.0.0';

export interface SampleModule {
  crate: string;
  repository: string;
  kinds: string[];
}

const sample = (crate: string, kinds: string[], repository = `${SAMPLE_REPOSITORY_PREFIX}/${crate}`): SampleModule => ({ crate, repository, kinds });

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
];
