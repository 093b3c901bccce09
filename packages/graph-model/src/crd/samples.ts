/**
 * Manifests the CRD tests apply: the reference's own samples (§4.2–4.5, must
 * be accepted) and malformed variants (must be refused, with `expected` in
 * the API server's answer). Shared by the pure test (graph-model agrees) and
 * the test against a real kube-apiserver.
 */

const NS = 'azure-iot-operations';
const API = 'connectivity.iotoperations.azure.com/v1';

/** Reference §4.2, "Minimal manifest", verbatim. */
export const MINIMAL_GRAPH = `apiVersion: ${API}
kind: DataflowGraph
metadata: { name: temp-converter, namespace: ${NS} }
spec:
  profileRef: default
  mode: Enabled
  requestDiskPersistence: Disabled
  nodes:
    - nodeType: Source
      name: temperature-source
      sourceSettings: { endpointRef: default, dataSources: [sensor/temperature/raw] }
    - nodeType: Graph
      name: temperature-processor
      graphSettings:
        registryEndpointRef: public-ghcr
        artifact: graph-simple:1.0.0
        configuration:
          - { key: key1, value: example-value }
    - nodeType: Destination
      name: temperature-destination
      destinationSettings: { endpointRef: default, dataDestination: sensor/temperature/processed }
  nodeConnections:
    - { from: { name: temperature-source }, to: { name: temperature-processor } }
    - { from: { name: temperature-processor }, to: { name: temperature-destination } }
`;

/** §4.2 complex-graph variant with a schema on a connection, the built-in window node and a named output. */
const COMPLEX_GRAPH = `apiVersion: connectivity.iotoperations.azure.com/v1beta1
kind: DataflowGraph
metadata: { name: complex, namespace: ${NS} }
spec:
  profileRef: default
  nodes:
    - nodeType: Source
      name: sensor-source
      sourceSettings: { endpointRef: default, dataSources: [sensor/temperature/raw, sensor/humidity/raw, sensor/images/raw] }
    - nodeType: Graph
      name: temperature-processor
      graphSettings:
        registryEndpointRef: public-ghcr
        artifact: graph-complex:1.0.0
        configuration:
          - { key: snapshot_topic, value: sensor/images/raw }
          - { key: key1, value: example-value }
    - nodeType: Graph
      name: window
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-window:1.1.0
        configuration:
          - { key: delay, value: '{"type":"duration","delaySeconds":30}' }
          - { key: rules, value: '{"accumulate":[{"inputs":["temperature"],"output":"avgTemperature","expression":"average($1)"}]}' }
    - nodeType: Destination
      name: analytics
      destinationSettings:
        endpointRef: default
        dataDestination: analytics/sensor/processed
        headers:
          - { actionType: AddOrReplace, key: site, value: plant-1 }
          - { actionType: Remove, key: debug }
  nodeConnections:
    - from: { name: sensor-source, schema: { schemaRef: "aio-sr://my-namespace/sensor-schema:1", serializationFormat: Json } }
      to: { name: temperature-processor }
    - { from: { name: temperature-processor.output.true }, to: { name: window } }
    - { from: { name: window }, to: { name: analytics } }
`;

/** §4.3 examples. */
const REGISTRY_ENDPOINTS = `apiVersion: ${API}
kind: RegistryEndpoint
metadata: { name: public-ghcr, namespace: ${NS} }
spec:
  host: ghcr.io/azure-samples/explore-iot-operations
  authentication: { method: Anonymous, anonymousSettings: {} }
---
apiVersion: ${API}
kind: RegistryEndpoint
metadata: { name: my-acr, namespace: ${NS} }
spec:
  host: myacr.azurecr.io
  authentication:
    method: SystemAssignedManagedIdentity
    systemAssignedManagedIdentitySettings: { audience: "https://management.azure.com/" }
---
apiVersion: connectivity.iotoperations.azure.com/v1beta1
kind: RegistryEndpoint
metadata: { name: private, namespace: ${NS} }
spec:
  host: registry.example.com
  authentication: { method: ArtifactPullSecret, artifactPullSecretSettings: { secretRef: pull-secret } }
  trustSettings: { trustedSigningKeys: { type: ConfigMap, configMapRef: keys } }
`;

/** §4.4: the default endpoint, the Kafka and the OpenTelemetry examples. */
const DATAFLOW_ENDPOINTS = `apiVersion: ${API}
kind: DataflowEndpoint
metadata: { name: default, namespace: ${NS} }
spec:
  endpointType: Mqtt
  mqttSettings:
    host: aio-broker:18883
    authentication: { method: ServiceAccountToken, serviceAccountTokenSettings: { audience: aio-internal } }
    tls: { mode: Enabled, trustedCaCertificateConfigMapRef: azure-iot-operations-aio-ca-trust-bundle }
---
apiVersion: ${API}
kind: DataflowEndpoint
metadata: { name: event-hubs, namespace: ${NS} }
spec:
  endpointType: Kafka
  kafkaSettings:
    host: my-namespace.servicebus.windows.net:9093
    authentication: { method: SystemAssignedManagedIdentity, systemAssignedManagedIdentitySettings: {} }
    tls: { mode: Enabled }
    consumerGroupId: mygroup
    copyMqttProperties: Enabled
    cloudEventAttributes: Propagate
---
apiVersion: connectivity.iotoperations.azure.com/v1beta1
kind: DataflowEndpoint
metadata: { name: otel, namespace: ${NS} }
spec:
  endpointType: OpenTelemetry
  openTelemetrySettings:
    host: otel-collector.monitoring.svc.cluster.local:4317
    authentication: { method: ServiceAccountToken, serviceAccountTokenSettings: { audience: otel } }
    tls: { mode: Enabled, trustedCaCertificateConfigMapRef: otel-ca }
    batching: { latencySeconds: 5, maxMessages: 100 }
`;

/** §4.5. */
export const DEFAULT_PROFILE = `apiVersion: ${API}
kind: DataflowProfile
metadata: { name: default, namespace: ${NS} }
spec:
  instanceCount: 1
  diagnostics:
    logs: { level: info }
    metrics: { prometheusPort: 9600 }
`;

export const VALID_SAMPLES: Record<string, string> = {
  'minimal DataflowGraph (§4.2)': MINIMAL_GRAPH,
  'complex DataflowGraph, v1beta1 (§4.2)': COMPLEX_GRAPH,
  'RegistryEndpoints (§4.3)': REGISTRY_ENDPOINTS,
  'DataflowEndpoints (§4.4)': DATAFLOW_ENDPOINTS,
  'DataflowProfile (§4.5)': DEFAULT_PROFILE,
};

export interface InvalidSample {
  name: string;
  manifest: string;
  /** Text the API server's refusal (kubectl's stderr) must contain. */
  expected: string;
  /** false: graph-model does not validate this kind (DataflowProfile). */
  graphModelChecks?: boolean;
}

const swap = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`sample has no "${from}"`);
  return text.replace(from, to);
};

export const INVALID_SAMPLES: InvalidSample[] = [
  {
    name: 'a node without nodeType',
    manifest: swap(MINIMAL_GRAPH, '    - nodeType: Source\n      name: temperature-source', '    - name: temperature-source'),
    expected: 'spec.nodes[0].nodeType: Required value',
  },
  {
    name: 'a nodeType outside the enum',
    manifest: swap(MINIMAL_GRAPH, 'nodeType: Destination', 'nodeType: Sink'),
    expected: 'spec.nodes[2].nodeType: Unsupported value: "Sink"',
  },
  {
    name: 'two nodes with one name',
    manifest: swap(MINIMAL_GRAPH, 'name: temperature-destination', 'name: temperature-source'),
    expected: 'spec.nodes[2]: Duplicate value',
  },
  {
    name: 'a connection to an unknown node',
    manifest: swap(MINIMAL_GRAPH, 'to: { name: temperature-destination }', 'to: { name: nowhere }'),
    expected: 'every nodeConnections[].to.name must be the name of a node in spec.nodes',
  },
  {
    name: 'a connection from an unknown node',
    manifest: swap(MINIMAL_GRAPH, 'from: { name: temperature-processor }', 'from: { name: nobody.output.true }'),
    expected: 'every nodeConnections[].from.name must be the name of a node in spec.nodes',
  },
  {
    name: 'a connection into a Source node',
    manifest: swap(MINIMAL_GRAPH, 'to: { name: temperature-destination }', 'to: { name: temperature-source }'),
    expected: "a Source node cannot be a connection's target",
  },
  {
    name: 'a named output of a Source node',
    manifest: swap(MINIMAL_GRAPH, 'from: { name: temperature-source }', 'from: { name: temperature-source.output.true }'),
    expected: 'only Graph nodes have named outputs',
  },
  {
    name: 'a node connected to itself',
    manifest: swap(MINIMAL_GRAPH, 'to: { name: temperature-destination }', 'to: { name: temperature-processor }'),
    expected: 'a node cannot be connected to itself',
  },
  {
    name: 'a graph without a Destination node',
    manifest: swap(MINIMAL_GRAPH, 'nodeType: Destination\n      name: temperature-destination\n      destinationSettings: { endpointRef: default, dataDestination: sensor/temperature/processed }', 'nodeType: Graph\n      name: temperature-destination\n      graphSettings: { registryEndpointRef: public-ghcr, artifact: "other:1" }'),
    expected: 'a data flow graph needs at least one Source and one Destination node',
  },
  {
    name: 'a Source node without sourceSettings',
    manifest: swap(MINIMAL_GRAPH, '      sourceSettings: { endpointRef: default, dataSources: [sensor/temperature/raw] }\n', ''),
    expected: 'nodeType Source requires sourceSettings',
  },
  {
    name: 'an artifact without a version',
    manifest: swap(MINIMAL_GRAPH, 'artifact: graph-simple:1.0.0', 'artifact: graph-simple'),
    expected: 'graphSettings.artifact must be <name>:<version>',
  },
  {
    name: 'a configuration key given twice',
    manifest: swap(MINIMAL_GRAPH, '- { key: key1, value: example-value }', '- { key: key1, value: a }\n          - { key: key1, value: b }'),
    expected: 'spec.nodes[1].graphSettings.configuration[1]: Duplicate value',
  },
  {
    name: 'a number where a string belongs',
    manifest: swap(MINIMAL_GRAPH, 'dataSources: [sensor/temperature/raw]', 'dataSources: [42]'),
    expected: 'spec.nodes[0].sourceSettings.dataSources[0]: Invalid value: "integer"',
  },
  {
    name: 'an endpoint with an unknown endpointType',
    manifest: swap(DATAFLOW_ENDPOINTS.split('---\n')[0] as string, 'endpointType: Mqtt', 'endpointType: Amqp'),
    expected: 'spec.endpointType: Unsupported value: "Amqp"',
  },
  {
    name: 'an MQTT endpoint with QoS 2',
    manifest: swap(DATAFLOW_ENDPOINTS.split('---\n')[0] as string, 'host: aio-broker:18883', 'host: aio-broker:18883\n    qos: 2'),
    expected: 'spec.mqttSettings.qos: Unsupported value: 2',
  },
  {
    name: 'a registry endpoint using a pull secret without naming it',
    manifest: swap(REGISTRY_ENDPOINTS.split('---\n')[2] as string, ', artifactPullSecretSettings: { secretRef: pull-secret }', ''),
    expected: 'method ArtifactPullSecret requires artifactPullSecretSettings',
  },
  {
    name: 'a profile with instanceCount 0',
    manifest: swap(DEFAULT_PROFILE, 'instanceCount: 1', 'instanceCount: 0'),
    expected: 'spec.instanceCount: Invalid value: 0: spec.instanceCount in body should be greater than or equal to 1',
    graphModelChecks: false,
  },
  {
    name: 'a profile with a string instanceCount',
    manifest: swap(DEFAULT_PROFILE, 'instanceCount: 1', 'instanceCount: "two"'),
    expected: 'spec.instanceCount: Invalid value: "string": spec.instanceCount in body must be of type integer',
    graphModelChecks: false,
  },
];
