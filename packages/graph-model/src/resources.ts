/** Kubernetes custom resources of the reference (group connectivity.iotoperations.azure.com). */
export const RESOURCE_GROUP = 'connectivity.iotoperations.azure.com';
export const RESOURCE_VERSIONS = ['v1', 'v1beta1'] as const;
export const DEFAULT_NAMESPACE = 'azure-iot-operations';

/** The kinds this tool manages, with their Kubernetes plural names (URL paths, store folders). */
export const KIND_PLURALS = {
  DataflowGraph: 'dataflowgraphs',
  DataflowEndpoint: 'dataflowendpoints',
  RegistryEndpoint: 'registryendpoints',
} as const;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  resourceVersion?: string;
}

export interface SourceNode {
  nodeType: 'Source';
  name: string;
  sourceSettings: { endpointRef: string; dataSources: string[]; assetRef?: string };
}

export interface GraphNode {
  nodeType: 'Graph';
  name: string;
  graphSettings: { registryEndpointRef: string; artifact: string; configuration?: { key: string; value: string }[] };
}

export type HeaderAction =
  | { actionType: 'AddIfNotPresent' | 'AddOrReplace'; key: string; value: string }
  | { actionType: 'Remove'; key: string };

export interface DestinationNode {
  nodeType: 'Destination';
  name: string;
  destinationSettings: { endpointRef: string; dataDestination: string; headers?: HeaderAction[] };
}

export type DataflowGraphNode = SourceNode | GraphNode | DestinationNode;

export interface DataflowGraphNodeConnection {
  from: { name: string; schema?: { schemaRef?: string; serializationFormat?: string } };
  to: { name: string };
}

export interface DataflowGraphResource {
  apiVersion: string;
  kind: 'DataflowGraph';
  metadata: ObjectMeta;
  spec: {
    profileRef?: string;
    mode?: 'Enabled' | 'Disabled';
    requestDiskPersistence?: 'Enabled' | 'Disabled';
    nodes: DataflowGraphNode[];
    nodeConnections: DataflowGraphNodeConnection[];
  };
}

export type EndpointType = 'DataExplorer' | 'DataLakeStorage' | 'FabricOneLake' | 'Kafka' | 'LocalStorage' | 'Mqtt' | 'OpenTelemetry';

export interface DataflowEndpointResource {
  apiVersion: string;
  kind: 'DataflowEndpoint';
  metadata: ObjectMeta;
  spec: {
    endpointType: EndpointType;
    hostType?: string;
    mqttSettings?: { host?: string; qos?: number; authentication?: { method: string }; tls?: { mode: string } } & Record<string, unknown>;
    kafkaSettings?: { host: string; consumerGroupId?: string } & Record<string, unknown>;
    openTelemetrySettings?: { host: string } & Record<string, unknown>;
  } & Record<string, unknown>;
}

export type RegistryAuthentication =
  | { method: 'Anonymous'; anonymousSettings?: Record<string, never> }
  | { method: 'ArtifactPullSecret'; artifactPullSecretSettings: { secretRef: string } }
  | { method: 'SystemAssignedManagedIdentity'; systemAssignedManagedIdentitySettings?: { audience?: string } }
  | { method: 'UserAssignedManagedIdentity'; userAssignedManagedIdentitySettings: { clientId: string; tenantId: string; scope?: string } };

export interface RegistryEndpointResource {
  apiVersion: string;
  kind: 'RegistryEndpoint';
  metadata: ObjectMeta;
  spec: { host: string; authentication: RegistryAuthentication } & Record<string, unknown>;
}

export type AioResource = DataflowGraphResource | DataflowEndpointResource | RegistryEndpointResource;
