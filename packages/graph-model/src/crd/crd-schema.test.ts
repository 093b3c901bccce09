import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { validateResource } from '../manifests.ts';
import { checkSchema } from '../schema-check.ts';
import { generateCrdFiles } from './crds.ts';
import { dataflowProfileSpecSchema } from './profile-schema.ts';
import { INVALID_SAMPLES, VALID_SAMPLES } from './samples.ts';
import { toStructural, type StructuralSchema } from './structural.ts';

const crdDir = fileURLToPath(new URL('../../../../deploy/crds/', import.meta.url));

describe('toStructural', () => {
  it('inlines $ref, turns type arrays into nullable and const into enum, and infers types', () => {
    const schema = {
      definitions: { port: { type: 'integer', minimum: 1 } },
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { $ref: '#/definitions/port', description: 'the port' },
        note: { type: ['string', 'null'], maxLength: 10 },
        kind: { const: 'Graph' },
        qos: { enum: [0, 1] },
        tags: { items: { type: 'string' }, maxItems: 3 },
      },
    };
    expect(toStructural(schema)).toEqual({
      type: 'object',
      properties: {
        port: { type: 'integer', minimum: 1, description: 'the port' },
        note: { type: 'string', nullable: true, maxLength: 10 },
        kind: { type: 'string', enum: ['Graph'] },
        qos: { type: 'integer', enum: [0, 1] },
        tags: { type: 'array', maxItems: 3, items: { type: 'string' } },
      },
    });
  });

  it('keeps unknown fields of open objects, and turns a schema-valued additionalProperties into a map', () => {
    expect(toStructural({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(toStructural({ type: 'object', maxProperties: 5, additionalProperties: { type: 'string' } })).toEqual({
      type: 'object',
      maxProperties: 5,
      additionalProperties: { type: 'string' },
    });
  });

  it('turns an if/const/then union into declared properties plus a CEL rule per required branch', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['method'],
      properties: { method: { enum: ['Anonymous', 'Secret'] } },
      allOf: [{ if: { properties: { method: { const: 'Secret' } } }, then: { required: ['secretRef'], properties: { secretRef: { type: 'string' } } } }],
    };
    const out = toStructural(schema);
    expect(out.properties?.secretRef).toEqual({ type: 'string' });
    expect(out.allOf).toBeUndefined();
    expect(out['x-kubernetes-validations']).toEqual([
      { rule: '(has(self.method) && self.method != "Secret") || (has(self.secretRef))', message: 'method Secret requires secretRef' },
    ]);
  });

  it('refuses what has no structural form, naming where', () => {
    expect(() => toStructural({ type: 'object', patternProperties: { '^x': {} } })).toThrow(/^#: keyword "patternProperties"/);
    expect(() => toStructural({ type: ['string', 'integer'] })).toThrow(/one type/);
    expect(() => toStructural({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } })).toThrow(/beside properties/);
    expect(() => toStructural({ definitions: { n: { type: 'object', properties: { next: { $ref: '#/definitions/n' } } } }, $ref: '#/definitions/n' })).toThrow(/#\/properties\/next: recursive \$ref/);
    expect(() => toStructural({ type: 'object', oneOf: [{ properties: { a: { type: 'string' } } }] })).toThrow(/#\/oneOf\/0: "properties" inside oneOf/);
    expect(() => toStructural({ description: 'nothing' })).toThrow(/no type/);
  });
});

type Crd = { spec: { versions: { name: string; schema: { openAPIV3Schema: StructuralSchema } }[] } };
const generated = generateCrdFiles();
const crds = [...generated.values()].map((text) => parse(text) as Crd);

function walk(schema: StructuralSchema, path: string, visit: (s: StructuralSchema, path: string) => void): void {
  visit(schema, path);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) walk(sub, `${path}.${name}`, visit);
  if (schema.items) walk(schema.items, `${path}[]`, visit);
  if (schema.additionalProperties) walk(schema.additionalProperties, `${path}{}`, visit);
}

describe('the generated CRDs', () => {
  it('are the files committed in deploy/crds (run `pnpm generate:crds` after changing a schema)', () => {
    expect([...generated.keys()].sort()).toEqual(['dataflowendpoint.yaml', 'dataflowgraph.yaml', 'dataflowprofile.yaml', 'registryendpoint.yaml']);
    for (const [file, text] of generated) {
      expect(readFileSync(`${crdDir}${file}`, 'utf8'), file).toBe(text);
      expect(text.startsWith('# GENERATED'), file).toBe(true);
    }
  });

  it('give v1 and v1beta1 the same schema', () => {
    for (const crd of crds) {
      expect(crd.spec.versions.map((v) => v.name)).toEqual(['v1', 'v1beta1']);
      expect(crd.spec.versions[1]?.schema).toEqual(crd.spec.versions[0]?.schema);
    }
  });

  it('are structural, and every list is bounded (CEL cost)', () => {
    for (const crd of crds) {
      walk(crd.spec.versions[0]!.schema.openAPIV3Schema, '', (s, path) => {
        expect(s.type, path).toBeDefined();
        for (const forbidden of ['$ref', 'if', 'then', 'const', 'allOf']) expect(s[forbidden], `${path} ${forbidden}`).toBeUndefined();
        if (s.properties) expect(s.additionalProperties, path).toBeUndefined();
        if (s.type === 'array') expect(s.maxItems, path).toBeTypeOf('number');
      });
    }
  });

  it('leave status open and check spec', () => {
    for (const crd of crds) {
      const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
      expect(root.properties?.status).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      expect(root.required).toEqual(['spec']);
    }
  });
});

/** What graph-model itself says of a sample: the CRD must not refuse what graph-model accepts, nor the reverse here. */
function graphModelErrors(manifest: string): string[] {
  return parseAllDocuments(manifest).flatMap((doc) => {
    const value = doc.toJS() as { kind: string; spec: unknown };
    const diagnostics = value.kind === 'DataflowProfile' ? checkSchema(dataflowProfileSpecSchema, value.spec) : validateResource(value);
    return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);
  });
}

describe('the CRD samples agree with graph-model', () => {
  for (const [name, manifest] of Object.entries(VALID_SAMPLES)) {
    it(`graph-model accepts the reference's ${name}`, () => {
      expect(graphModelErrors(manifest)).toEqual([]);
    });
  }
  for (const sample of INVALID_SAMPLES) {
    it(`graph-model refuses ${sample.name}`, () => {
      expect(graphModelErrors(sample.manifest).length).toBeGreaterThan(0);
    });
  }
});
