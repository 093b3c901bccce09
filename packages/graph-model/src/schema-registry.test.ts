import { describe, expect, it } from 'vitest';
import type { DataflowGraphResource } from './resources.ts';
import {
  dataflowSchemaUses, parseSchemaRef, resolveDataflowSchemas, schemaConfigMap, schemaConfigMapName, schemaContentProblem, schemaFromConfigMap,
  type RegistrySchema,
} from './schema-registry.ts';

const TEMPERATURE: RegistrySchema = { namespace: 'factory', name: 'temperature', version: '1', format: 'json', content: '{"type":"object"}' };

function dataflow(): DataflowGraphResource {
  return {
    apiVersion: 'connectivity.iotoperations.azure.com/v1',
    kind: 'DataflowGraph',
    metadata: { name: 'd', namespace: 'plant' },
    spec: {
      nodes: [
        { nodeType: 'Source', name: 'in', sourceSettings: { endpointRef: 'default', dataSources: ['t'] } },
        { nodeType: 'Graph', name: 'check', graphSettings: { registryEndpointRef: 'default', artifact: 'f:1', configuration: [{ key: 'rules', value: '{}' }, { key: 'schemaRef', value: 'aio-sr://factory/other:2' }] } },
        { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'default', dataDestination: 'o' } },
      ],
      nodeConnections: [
        { from: { name: 'in', schema: { schemaRef: 'aio-sr://factory/temperature:1', serializationFormat: 'Json' } }, to: { name: 'check' } },
        { from: { name: 'check' }, to: { name: 'out' } },
      ],
    },
  } as DataflowGraphResource;
}

describe('parseSchemaRef', () => {
  it('reads the full and the short form; refuses others with the reason', () => {
    expect(parseSchemaRef('aio-sr://factory/temperature:1', 'x')).toEqual({ namespace: 'factory', name: 'temperature', version: '1' });
    expect(parseSchemaRef('aio-sr://temperature:1.2.0', 'plant')).toEqual({ namespace: 'plant', name: 'temperature', version: '1.2.0' });
    expect(parseSchemaRef('factory/temperature:1', 'x')).toEqual({ error: 'schemaRef "factory/temperature:1" is not aio-sr://<namespace>/<name>:<version>' });
    expect(parseSchemaRef('aio-sr://factory/temperature', 'x')).toEqual({ error: 'schemaRef "aio-sr://factory/temperature" has no :<version>' });
    expect(parseSchemaRef('aio-sr://a/b/c:1', 'x')).toHaveProperty('error');
    expect(parseSchemaRef('aio-sr://factory/../x:1', 'x')).toHaveProperty('error');
    expect(parseSchemaRef('aio-sr://factory/..:1', 'x')).toEqual({ error: expect.stringContaining('schema name ".." must be') });
  });
});

describe('resolveDataflowSchemas', () => {
  it("finds the connections' and the configurations' schemas; the connection's goes to the receiving node's modules", () => {
    const other = { ...TEMPERATURE, name: 'other', version: '2' };
    expect(dataflowSchemaUses(dataflow()).map((u) => [u.ref, u.node, u.fromConnection])).toEqual([
      ['aio-sr://factory/temperature:1', 'check', true], ['aio-sr://factory/other:2', 'check', false]]);
    expect(resolveDataflowSchemas(dataflow(), [other, TEMPERATURE, { ...TEMPERATURE, version: '9' }])).toEqual({
      schemas: [TEMPERATURE, other], moduleSchemasByNode: { check: ['factory/temperature:1'] },
    });
  });

  it('locates every missing or malformed reference', () => {
    const r = dataflow();
    r.spec.nodeConnections[1]!.from.schema = { schemaRef: 'temperature' };
    const result = resolveDataflowSchemas(r, [TEMPERATURE], 'the store');
    expect('errors' in result && result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'spec.nodeConnections[1].from.schema.schemaRef: schemaRef "temperature" is not aio-sr://<namespace>/<name>:<version>',
      'spec.nodes[1].graphSettings.configuration[1].value: schema aio-sr://factory/other:2 (read by "check") is not in the store',
    ]);
  });

  it('a data flow without schema references needs none', () => {
    const r = dataflow();
    delete r.spec.nodeConnections[0]!.from.schema;
    r.spec.nodes[1] = { ...r.spec.nodes[1]!, graphSettings: { registryEndpointRef: 'default', artifact: 'f:1' } } as never;
    expect(resolveDataflowSchemas(r, [])).toEqual({ schemas: [], moduleSchemasByNode: {} });
  });
});

describe('schema ConfigMaps', () => {
  it('round-trips a schema through its ConfigMap; names differ for ids that differ only in case', () => {
    const cm = schemaConfigMap(TEMPERATURE, 'azure-iot-operations');
    expect(cm.metadata.labels).toEqual({ 'wgs.dev/schema-namespace': 'factory', 'wgs.dev/schema-name': 'temperature', 'wgs.dev/schema-version': '1' });
    expect(cm.metadata.name).toMatch(/^schema-factory-temperature-1-[0-9a-f]{8}$/);
    expect(schemaFromConfigMap(cm)).toEqual(TEMPERATURE);
    expect(schemaConfigMapName({ ...TEMPERATURE, name: 'Temperature' })).not.toBe(cm.metadata.name);
  });

  it('says what is wrong with a ConfigMap that holds no usable schema', () => {
    const cm = schemaConfigMap(TEMPERATURE, 'ns');
    expect(schemaFromConfigMap({ ...cm, data: {} })).toEqual({ error: `ConfigMap ${cm.metadata.name}: no data.schema` });
    expect(schemaFromConfigMap({ ...cm, data: { schema: '{}', format: 'avro' } })).toEqual({ error: expect.stringContaining('data.format "avro" is neither json nor delta') });
    expect(schemaFromConfigMap({ metadata: { name: 'x', labels: { 'wgs.dev/schema-name': 'a' } }, data: { schema: '{}' } })).toEqual({ error: expect.stringContaining('schema namespace "" must be') });
  });
});

describe('schemaContentProblem', () => {
  it('a JSON schema must be a JSON object', () => {
    expect(schemaContentProblem('json', '{"type":"object"}')).toBeUndefined();
    expect(schemaContentProblem('json', '[1]')).toBe('a JSON schema must be a JSON object');
    expect(schemaContentProblem('json', '{')).toMatch(/^the schema is not JSON: /);
    expect(schemaContentProblem('delta', 'anything')).toBeUndefined();
  });
});
