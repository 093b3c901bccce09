import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkSchema } from '../schema-check.ts';
import { generateValidatorsSource, GENERATED_SCHEMAS } from './generate.ts';
import { checkGenerated, type GeneratedValidator } from './index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const graphs = fileURLToPath(new URL('../../../operators/graphs/', import.meta.url));

describe('generated validators', () => {
  it('are what the generator writes (pnpm generate:validators after a schema change)', () => {
    expect(readFileSync(join(here, 'validators.generated.ts'), 'utf8')).toBe(generateValidatorsSource());
  });

  it('import nothing and evaluate nothing at run time', () => {
    const code = readFileSync(join(here, 'validators.generated.ts'), 'utf8');
    expect(code).not.toMatch(/\brequire\(|^import |new Function|\beval\(/m);
  });

  const cases: [GeneratedValidator, unknown][] = [
    ...readdirSync(graphs).filter((f) => f.endsWith('.yaml')).map((f) => ['validateGraphDefinition', parse(readFileSync(join(graphs, f), 'utf8'))] as [GeneratedValidator, unknown]),
    ['validateGraphDefinition', { metadata: { name: 1 }, operations: [{ operationType: 'mapp' }] }],
    ['validateGraphDefinition', { metadata: { $schema: 'x', name: 'n', version: '1' }, moduleRequirements: { apiVersion: '1.1.0', runtimeVersion: '1.1.0' }, operations: [], connections: [], extra: true }],
    ['validateDataflowGraph', { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowGraph', metadata: { name: 'g' }, spec: { nodes: [{ nodeType: 'Source', name: 's' }], nodeConnections: [] } }],
    ['validateDataflowEndpoint', { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'e' }, spec: { endpointType: 'Mqtt', mqttSettings: { host: 'h:1883' } } }],
    ['validateDataflowEndpoint', { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'e' }, spec: { endpointType: 'Pigeon' } }],
    ['validateRegistryEndpoint', { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'RegistryEndpoint', metadata: { name: 'r'.repeat(64) }, spec: { host: 'r.example', authentication: { method: 'Anonymous' } } }],
  ];

  it.each(cases.map((c, i) => [i, ...c] as const))('case %i (%s) gives the same diagnostics as the schema compiled at run time', (_i, name, value) => {
    expect(checkGenerated(name, value)).toEqual(checkSchema(GENERATED_SCHEMAS[name], value));
  });

  it('refuses what the schema refuses', () => {
    expect(checkGenerated('validateDataflowEndpoint', cases.at(-2)![1]).length).toBeGreaterThan(0);
    expect(checkGenerated('validateRegistryEndpoint', cases.at(-1)![1])).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/too long/) }));
  });
});
