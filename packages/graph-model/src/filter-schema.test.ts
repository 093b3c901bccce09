import { describe, expect, it } from 'vitest';
import { filterSchema, incomingSchemas } from './filter-schema.ts';

const flow = (...conns: [string, string, string?][]) => ({
  spec: { nodeConnections: conns.map(([from, to, schemaRef]) => ({ from: { name: from, ...(schemaRef ? { schema: { schemaRef } } : {}) }, to: { name: to } })) },
});

describe('filterSchema (decision 15)', () => {
  it("takes the incoming connection's schemaRef, with where it comes from", () => {
    const r = flow(['src', 'check', 'aio-sr://factory/t:1'], ['check', 'out', 'aio-sr://factory/other:1']);
    expect(incomingSchemas(r, 'check')).toEqual([{ connection: 0, from: 'src', schemaRef: 'aio-sr://factory/t:1' }]);
    expect(filterSchema(r, 'check', undefined)).toMatchObject({ source: 'connection', schemaRef: 'aio-sr://factory/t:1' });
  });
  it("prefers the node's own schemaRef, as flattenDataflow does", () => {
    expect(filterSchema(flow(['src', 'check', 'aio-sr://factory/t:1']), 'check', ' aio-sr://x/y:2 ')).toMatchObject({ source: 'configuration', schemaRef: 'aio-sr://x/y:2' });
  });
  it('knows none when no connection names one, or several name different ones', () => {
    expect(filterSchema(flow(['src', 'check']), 'check', '')).toEqual({ source: 'none', incoming: [], reason: 'no incoming connection has a schema' });
    const two = flow(['a', 'check', 'aio-sr://f/a:1'], ['b', 'check', 'aio-sr://f/b:1']);
    expect(filterSchema(two, 'check', undefined)).toMatchObject({ source: 'none', reason: 'the incoming connections name different schemas (aio-sr://f/a:1, aio-sr://f/b:1)' });
    const same = flow(['a', 'check', 'aio-sr://f/a:1'], ['b', 'check', 'aio-sr://f/a:1']);
    expect(filterSchema(same, 'check', undefined)).toMatchObject({ source: 'connection', schemaRef: 'aio-sr://f/a:1' });
    expect(filterSchema(undefined, 'check', undefined).source).toBe('none');
  });
});
