import { describe, expect, it } from 'vitest';
import { builtinRuleDiagnostics } from './builtin-diagnostics.ts';

/** Source -> filter `check` -> destination; the source connection names `schemaRef` when given. */
function flow(rules: string, o: { schemaRef?: string; configured?: string; second?: string } = {}) {
  return {
    spec: {
      nodes: [
        { nodeType: 'Source', name: 'in', sourceSettings: { endpointRef: 'default', dataSources: ['t'] } },
        { nodeType: 'Source', name: 'more', sourceSettings: { endpointRef: 'default', dataSources: ['u'] } },
        { nodeType: 'Graph', name: 'check', graphSettings: { registryEndpointRef: 'default', artifact: 'azureiotoperations/graph-dataflow-filter:1.0.0', configuration: [{ key: 'rules', value: rules }, ...(o.configured ? [{ key: 'schemaRef', value: o.configured }] : [])] } },
        { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'default', dataDestination: 'o' } },
      ],
      nodeConnections: [
        { from: { name: 'in', ...(o.schemaRef ? { schema: { schemaRef: o.schemaRef } } : {}) }, to: { name: 'check' } },
        { from: { name: 'more', ...(o.second ? { schema: { schemaRef: o.second } } : {}) }, to: { name: 'check' } },
        { from: { name: 'check' }, to: { name: 'out' } },
      ],
    },
  };
}

const messages = (r: unknown) => builtinRuleDiagnostics(r).map((d) => `${d.path}: ${d.severity}: ${d.message}`);
const ON = '{"validateSchema":true,"filter":[]}';

describe('builtinRuleDiagnostics: filter validateSchema', () => {
  it('is accepted with one schema on the incoming connections or a schemaRef configuration (what the filter reads at init)', () => {
    expect(messages(flow(ON, { schemaRef: 'aio-sr://factory/temperature:1' }))).toEqual([]);
    expect(messages(flow(ON, { schemaRef: 'aio-sr://factory/temperature:1', second: 'aio-sr://factory/temperature:1' }))).toEqual([]);
    expect(messages(flow(ON, { configured: 'aio-sr://factory/temperature:1' }))).toEqual([]);
    expect(messages(flow('{"validateSchema":false,"filter":[]}'))).toEqual([]);
  });

  // A warning, not an error (issue 12's brief): the schema may be given to the connection later; the filter would not start without one.
  it('warns at the rules value without a schema, or with two different ones; a non-boolean is refused', () => {
    const at = 'spec.nodes[2].graphSettings.configuration[0].value: warning: validateSchema is on but';
    const fix = ': give the incoming connection a schemaRef or set schemaRef here (the filter will not start without one)';
    expect(messages(flow(ON))).toEqual([`${at} no incoming connection has a schema${fix}`]);
    expect(messages(flow(ON, { schemaRef: 'aio-sr://factory/a:1', second: 'aio-sr://factory/b:1' }))).toEqual([`${at} the incoming connections name different schemas (aio-sr://factory/a:1, aio-sr://factory/b:1)${fix}`]);
    expect(messages(flow('{"validateSchema":"yes","filter":[]}'))).toEqual(['spec.nodes[2].graphSettings.configuration[0].value: error: "validateSchema" must be true or false']);
  });
});
