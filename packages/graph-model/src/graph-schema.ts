import { LIMITS } from './limits.ts';

/**
 * JSON schema (draft-07) of a graph definition, equivalent to the public
 * "aio-wasm-graph-config-1.0.0" schema the reference validates against,
 * plus upper bounds on list sizes (LIMITS).
 */
const nullableString = { type: ['string', 'null'] };

export const GRAPH_SCHEMA_ID = 'https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json';

export const graphDefinitionSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: GRAPH_SCHEMA_ID,
  title: 'Azure IoT Operations Wasm Graph Config',
  type: 'object',
  additionalProperties: false,
  required: ['connections', 'metadata', 'moduleRequirements', 'operations'],
  properties: {
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['$schema', 'name', 'version'],
      properties: {
        $schema: { type: 'string' },
        name: { type: 'string' },
        version: { type: 'string' },
        description: nullableString,
        vendor: nullableString,
      },
    },
    moduleRequirements: {
      type: 'object',
      additionalProperties: false,
      required: ['apiVersion', 'runtimeVersion'],
      properties: {
        apiVersion: { type: 'string' },
        runtimeVersion: { type: 'string' },
        features: {
          type: ['array', 'null'],
          maxItems: LIMITS.features,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: { name: { type: 'string' }, value: nullableString },
          },
        },
      },
    },
    moduleConfigurations: {
      type: 'array',
      default: [],
      maxItems: LIMITS.moduleConfigurations,
      items: {
        type: 'object',
        required: ['name', 'parameters'],
        properties: {
          name: { type: 'string' },
          parameters: {
            type: 'object',
            maxProperties: LIMITS.parametersPerOperation,
            additionalProperties: {
              type: 'object',
              required: ['name'],
              properties: {
                name: { type: 'string' },
                description: nullableString,
                default: nullableString,
                required: { type: 'boolean', default: false },
              },
            },
          },
        },
      },
    },
    operations: {
      type: 'array',
      maxItems: LIMITS.operations,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'operationType'],
        properties: {
          name: { type: 'string', maxLength: LIMITS.nameLength },
          operationType: { enum: ['source', 'map', 'filter', 'branch', 'concatenate', 'accumulate', 'delay', 'sink'] },
          module: nullableString,
        },
      },
    },
    connections: {
      type: 'array',
      maxItems: LIMITS.connections,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: {
          from: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string' },
              arm: { enum: ['False', 'True', null] },
              schemaName: nullableString,
            },
          },
          to: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: { name: { type: 'string' } },
          },
        },
      },
    },
    schemas: {
      type: 'array',
      default: [],
      maxItems: LIMITS.schemas,
      items: {
        type: 'object',
        required: ['name', 'format', 'schema'],
        properties: { name: { type: 'string' }, format: { type: 'string' }, schema: { type: 'string' } },
      },
    },
  },
} as const;
