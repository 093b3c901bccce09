import { describe, expect, it } from 'vitest';
import { hoverAt } from './hover.ts';
import { documentSchemas } from './documents.ts';

const graph = documentSchemas['graph-definition'];
const resource = documentSchemas['dataflow-resource'];

describe('hover', () => {
  const text = 'operations:\n  - { operationType: filter, name: f }\n';

  it('describes a key with its type, whether it is required and its description', () => {
    const info = hoverAt(graph.schema, text, { line: 2, column: 10 }, graph.descriptions);
    expect(info).toMatchObject({ line: 2, startColumn: 7, endColumn: 20 });
    expect(info!.contents).toContain('**operationType**: `"source" | "map"');
    expect(info!.contents).toContain('(required)');
    expect(info!.contents).toContain('`concatenate` merges inputs');
  });

  it('describes the property a value belongs to', () => {
    const info = hoverAt(graph.schema, text, { line: 2, column: 25 }, graph.descriptions);
    expect(info!.contents).toMatch(/^\*\*operationType\*\*/);
  });

  it('finds properties that only exist for one node type', () => {
    const manifest = 'spec:\n  nodes:\n    - nodeType: Graph\n      graphSettings: { artifact: a:1 }\n';
    const info = hoverAt(resource.schema, manifest, { line: 4, column: 25 }, resource.descriptions);
    expect(info!.contents).toContain('**artifact**: `string` (required)');
    expect(info!.contents).toContain('graph definition artifact');
  });

  it('says nothing for unknown keys or blank space', () => {
    expect(hoverAt(graph.schema, 'nope: 1\n', { line: 1, column: 2 })).toBeUndefined();
    expect(hoverAt(graph.schema, 'metadata:\n  \n', { line: 2, column: 2 })).toBeUndefined();
  });
});
