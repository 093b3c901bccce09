import { LIMITS } from './limits.ts';

/** JSON schemas of the reference's custom resources (the parts this tool reads and writes), with list bounds (LIMITS). */
// Bounded: the CRDs' CEL rules compare these strings, and their cost grows with the length.
const name = { type: 'string', minLength: 1, maxLength: LIMITS.referenceLength };
const topic = { type: 'string', minLength: 1, maxLength: LIMITS.topicLength };
const str = { type: 'string' };

const metadata = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
    namespace: str,
    annotations: { type: 'object', maxProperties: LIMITS.metadataEntries, additionalProperties: str },
    labels: { type: 'object', maxProperties: LIMITS.metadataEntries, additionalProperties: str },
  },
};

const envelope = (kind: string, spec: object) => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { enum: ['connectivity.iotoperations.azure.com/v1', 'connectivity.iotoperations.azure.com/v1beta1'] },
    kind: { const: kind },
    metadata,
    spec,
  },
});

const nodeName = { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', maxLength: LIMITS.nameLength };

export const dataflowGraphSchema = envelope('DataflowGraph', {
  type: 'object',
  required: ['nodes', 'nodeConnections'],
  properties: {
    profileRef: str,
    mode: { enum: ['Enabled', 'Disabled', 'enabled', 'disabled'] },
    requestDiskPersistence: { enum: ['Enabled', 'Disabled'] },
    nodes: {
      type: 'array',
      minItems: 1,
      maxItems: LIMITS.nodes,
      items: {
        type: 'object',
        required: ['nodeType', 'name'],
        properties: { nodeType: { enum: ['Source', 'Graph', 'Destination'] }, name: nodeName },
        allOf: [
          {
            if: { properties: { nodeType: { const: 'Source' } } },
            then: {
              required: ['sourceSettings'],
              properties: {
                sourceSettings: {
                  type: 'object',
                  required: ['endpointRef', 'dataSources'],
                  properties: { endpointRef: name, dataSources: { type: 'array', minItems: 1, maxItems: LIMITS.topicsPerSource, items: topic }, assetRef: str },
                },
              },
            },
          },
          {
            if: { properties: { nodeType: { const: 'Graph' } } },
            then: {
              required: ['graphSettings'],
              properties: {
                graphSettings: {
                  type: 'object',
                  required: ['registryEndpointRef', 'artifact'],
                  properties: {
                    registryEndpointRef: name,
                    artifact: name,
                    configuration: {
                      type: 'array',
                      maxItems: LIMITS.configurationEntries,
                      items: {
                        type: 'object',
                        required: ['key', 'value'],
                        properties: { key: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$' }, value: str },
                      },
                    },
                  },
                },
              },
            },
          },
          {
            if: { properties: { nodeType: { const: 'Destination' } } },
            then: {
              required: ['destinationSettings'],
              properties: {
                destinationSettings: {
                  type: 'object',
                  required: ['endpointRef', 'dataDestination'],
                  properties: {
                    endpointRef: name,
                    dataDestination: topic,
                    headers: {
                      type: 'array',
                      maxItems: LIMITS.headers,
                      items: {
                        type: 'object',
                        required: ['actionType', 'key'],
                        properties: { actionType: { enum: ['AddIfNotPresent', 'AddOrReplace', 'Remove'] }, key: name, value: str },
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
    nodeConnections: {
      type: 'array',
      minItems: 1,
      maxItems: LIMITS.nodeConnections,
      items: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: {
            type: 'object',
            required: ['name'],
            properties: {
              name,
              schema: { type: 'object', properties: { schemaRef: str, serializationFormat: str } },
            },
          },
          to: { type: 'object', required: ['name'], properties: { name } },
        },
      },
    },
  },
});

export const dataflowEndpointSchema = envelope('DataflowEndpoint', {
  type: 'object',
  required: ['endpointType'],
  properties: {
    endpointType: { enum: ['DataExplorer', 'DataLakeStorage', 'FabricOneLake', 'Kafka', 'LocalStorage', 'Mqtt', 'OpenTelemetry'] },
    mqttSettings: { type: 'object', properties: { host: str, qos: { enum: [0, 1] } } },
    kafkaSettings: { type: 'object', required: ['host'], properties: { host: name, consumerGroupId: str } },
    openTelemetrySettings: { type: 'object', required: ['host'], properties: { host: name } },
  },
});

export const registryEndpointSchema = envelope('RegistryEndpoint', {
  type: 'object',
  required: ['host', 'authentication'],
  properties: {
    host: { type: 'string', minLength: 1 },
    authentication: {
      type: 'object',
      required: ['method'],
      properties: {
        method: { enum: ['Anonymous', 'ArtifactPullSecret', 'SystemAssignedManagedIdentity', 'UserAssignedManagedIdentity'] },
      },
      allOf: [
        {
          if: { properties: { method: { const: 'ArtifactPullSecret' } } },
          then: {
            required: ['artifactPullSecretSettings'],
            properties: { artifactPullSecretSettings: { type: 'object', required: ['secretRef'], properties: { secretRef: name } } },
          },
        },
      ],
    },
  },
});
