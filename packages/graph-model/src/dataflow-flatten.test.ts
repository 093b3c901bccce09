import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flattenDataflow, isFlattenError, nodeOfOperation, type FlattenedDataflow } from './dataflow-flatten.ts';
import { loadGraphDefinition } from './graph-definition.ts';
import type { DataflowGraphResource } from './resources.ts';
import { dataflowStatefulReason } from './stateful.ts';
import type { GraphDefinition } from './types.ts';

/** The built-ins' real definitions, as the operators' build publishes them. */
const builtin = (kind: string): GraphDefinition =>
  loadGraphDefinition(readFileSync(new URL(`../../operators/builtins/graph-dataflow-${kind}.yaml`, import.meta.url), 'utf8'));

const graphNode = (name: string, kind: string, configuration: Record<string, string> = {}) => `
    - nodeType: Graph
      name: ${name}
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-${kind}:1.0.0
        configuration: [${Object.entries(configuration).map(([key, value]) => `{ key: ${key}, value: '${value}' }`).join(', ')}]`;

function dataflow(nodes: string, connections: [string, string][]): DataflowGraphResource {
  const text = `apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: chain, namespace: azure-iot-operations }
spec:
  profileRef: default
  nodes:
    - nodeType: Source
      name: sensors
      sourceSettings: { endpointRef: default, dataSources: [sensor/in] }
${nodes}
    - nodeType: Destination
      name: out
      destinationSettings: { endpointRef: default, dataDestination: sensor/out }
${connections.some(([, to]) => to === 'alerts') ? `    - nodeType: Destination
      name: alerts
      destinationSettings: { endpointRef: default, dataDestination: sensor/alerts }` : ''}
  nodeConnections:
${connections.map(([from, to]) => `    - { from: { name: ${from} }, to: { name: ${to} } }`).join('\n')}
`;
  return parse(text) as DataflowGraphResource;
}

const kinds = (r: DataflowGraphResource) => new Map(r.spec.nodes.flatMap((n) => (n.nodeType === 'Graph' ? [[n.name, builtin(n.graphSettings.artifact.split('graph-dataflow-')[1]!.split(':')[0]!)]] : [])));

function flat(r: DataflowGraphResource): FlattenedDataflow {
  const result = flattenDataflow(r, kinds(r));
  if (isFlattenError(result)) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result;
}

const edges = (f: FlattenedDataflow) => f.graph.connections.map((c) => `${c.from.name}${c.from.arm ? `[${c.from.arm}]` : ''} -> ${c.to.name}`);

describe('flattenDataflow', () => {
  it('chains map -> filter -> window into one graph, each node configured on its own', () => {
    const r = dataflow(graphNode('convert', 'map', { rules: 'm' }) + graphNode('hot', 'filter', { rules: 'f' }) + graphNode('avg', 'window', { rules: 'w', delay: 'd' }),
      [['sensors', 'convert'], ['convert', 'hot'], ['hot', 'avg'], ['avg', 'out']]);
    const f = flat(r);
    expect(f.graph.operations.map((o) => `${o.name}:${o.operationType}`)).toEqual([
      'sensors:source',
      'convert/source:concatenate', 'convert/map:map', 'convert/sink:concatenate',
      'hot/source:concatenate', 'hot/filter:filter', 'hot/sink:concatenate',
      'avg/source:concatenate', 'avg/window:delay', 'avg/accumulate:accumulate', 'avg/sink:concatenate',
      'out:sink',
    ]);
    expect(edges(f)).toEqual(expect.arrayContaining(['sensors -> convert/source', 'convert/map -> convert/sink', 'convert/sink -> hot/source', 'hot/sink -> avg/source', 'avg/sink -> out']));
    expect(f.configuration['convert/map']).toEqual({ rules: 'm' });
    expect(f.configuration['hot/filter']).toEqual({ rules: 'f' });
    expect(f.configuration['avg/accumulate']).toEqual({ rules: 'w', delay: 'd' });
    expect(f.graph.moduleConfigurations?.map((m) => m.name)).toEqual(['convert/map', 'hot/filter', 'avg/window', 'avg/accumulate']);
    expect(f.origins['hot/filter']).toEqual({ node: 'hot', registryEndpoint: 'default', artifact: 'azureiotoperations/graph-dataflow-filter:1.0.0' });
    expect(f.origins['hot/source']).toBeUndefined();
    expect(f.source).toEqual({ operation: 'sensors', nodes: [{ node: 'sensors', endpointRef: 'default', topics: ['sensor/in'] }] });
    expect(f.destinations).toEqual([{ sink: 'out', endpointRef: 'default', topic: 'sensor/out' }]);
    expect(nodeOfOperation('avg/accumulate')).toBe('avg');
    expect(dataflowStatefulReason(f)).toBe('delay "avg/window", accumulate "avg/accumulate"');
  });

  it('routes a branch\'s output.true and output.false to different nodes; fan-in is one concatenate of several inputs', () => {
    const r = dataflow(graphNode('split', 'branch', { rules: 'b' }) + graphNode('hotmap', 'map', { rules: 'h' }) + graphNode('merge', 'concatenate'),
      [['sensors', 'split'], ['split.output.true', 'hotmap'], ['split.output.false', 'out'], ['hotmap', 'alerts'], ['hotmap', 'merge'], ['split.output.false', 'merge'], ['merge', 'out']]);
    const f = flat(r);
    expect(edges(f)).toEqual(expect.arrayContaining([
      'split/branch[True] -> split/output.true', 'split/branch[False] -> split/output.false',
      'split/output.true -> hotmap/source', 'split/output.false -> out',
      'hotmap/sink -> alerts', 'hotmap/sink -> merge/source', 'split/output.false -> merge/source', 'merge/sink -> out',
    ]));
    expect(f.graph.connections.filter((c) => c.to.name === 'merge/source')).toHaveLength(2);
    expect(dataflowStatefulReason(f)).toBeUndefined();
  });

  it('a connection from the whole branch node takes both outputs', () => {
    const f = flat(dataflow(graphNode('split', 'branch', { rules: 'b' }), [['sensors', 'split'], ['split', 'out']]));
    expect(edges(f)).toEqual(expect.arrayContaining(['split/output.true -> out', 'split/output.false -> out']));
  });

  it('names the throttle built-in as stateful', () => {
    const f = flat(dataflow(graphNode('slow', 'throttle', { throttle: 't' }) + graphNode('m', 'map', { rules: 'r' }), [['sensors', 'm'], ['m', 'slow'], ['slow', 'out']]));
    expect(dataflowStatefulReason(f)).toBe('built-in graph-dataflow-throttle (node "slow")');
  });

  const errorsOf = (r: DataflowGraphResource) => {
    const result = flattenDataflow(r, kinds(r));
    return isFlattenError(result) ? result.errors.map((e) => `${e.path}: ${e.message}`) : [];
  };

  it('refuses shapes it cannot run, located in the DataflowGraph', () => {
    expect(errorsOf(dataflow(graphNode('split', 'branch', { rules: 'b' }), [['sensors', 'split'], ['split.output.maybe', 'out']])))
      .toEqual(['spec.nodeConnections[1].from.name: Graph node "split" has no output "output.maybe"; its outputs are "output.true", "output.false"']);
    expect(errorsOf(dataflow(graphNode('a', 'map') + graphNode('b', 'map'), [['sensors', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'out']])))
      .toEqual(['spec.nodes[1]: cycle: a -> b -> a']);
    expect(errorsOf(dataflow(graphNode('a', 'map') + graphNode('lost', 'filter'), [['sensors', 'a'], ['a', 'out'], ['a', 'lost']])))
      .toEqual(['spec.nodes[2]: Graph node "lost" has no path to a Destination node']);
    expect(errorsOf(dataflow(graphNode('a', 'map'), [['sensors', 'a'], ['a', 'nowhere']])))
      .toEqual(['spec.nodeConnections[1].to.name: unknown node "nowhere"']);
    expect(errorsOf(dataflow(graphNode('a', 'map'), [['sensors', 'a'], ['a', 'out'], ['out', 'alerts']])))
      .toEqual(['spec.nodeConnections[2].from.name: Destination node "out" cannot have an output']);
    expect(errorsOf(dataflow(graphNode('a', 'map'), [['sensors', 'out'], ['a', 'out']])))
      .toEqual(['spec.nodes[1]: Graph node "a" has no input']);
    const r = dataflow(graphNode('a', 'map'), [['sensors', 'a'], ['a', 'out']]);
    expect(flattenDataflow(r, new Map())).toEqual({ errors: [expect.objectContaining({ path: 'spec.nodes[1]', message: 'no graph definition for Graph node "a"' })] });
  });

  it('refuses Source nodes that feed different nodes (one composite source)', () => {
    const r = dataflow(graphNode('a', 'map') + graphNode('b', 'map'), [['sensors', 'a'], ['more', 'b'], ['a', 'out'], ['b', 'out']]);
    r.spec.nodes.push({ nodeType: 'Source', name: 'more', sourceSettings: { endpointRef: 'default', dataSources: ['x'] } });
    expect(errorsOf(r)).toEqual([`spec.nodes[4]: Source nodes "sensors" and "more" feed different nodes; all Source nodes of a data flow with several transforms must feed the same nodes`]);
    r.spec.nodeConnections.push({ from: { name: 'more' }, to: { name: 'a' } }, { from: { name: 'sensors' }, to: { name: 'b' } });
    const f = flat(r);
    expect(f.source.operation).toBe('sensors+more');
    expect(f.graph.connections.filter((c) => c.from.name === 'sensors+more').map((c) => c.to.name)).toEqual(['a/source', 'b/source']);
  });
});

describe('flattenDataflow: connection schemas', () => {
  it("gives a filter the incoming connection's schemaRef (validateSchema); other nodes and explicit values are left alone", () => {
    const r = dataflow(graphNode('check', 'filter', { rules: 'f' }) + graphNode('convert', 'map', { rules: 'm' }), [['sensors', 'check'], ['check', 'convert'], ['convert', 'out']]);
    r.spec.nodeConnections[0]!.from.schema = { schemaRef: 'aio-sr://factory/temperature:1', serializationFormat: 'Json' };
    r.spec.nodeConnections[1]!.from.schema = { schemaRef: 'aio-sr://factory/other:1', serializationFormat: 'Json' };
    const f = flat(r);
    expect(f.configuration['check/filter']).toEqual({ rules: 'f', schemaRef: 'aio-sr://factory/temperature:1' });
    expect(f.configuration['convert/map']).toEqual({ rules: 'm' }); // map declares no schemaRef
    const own = dataflow(graphNode('check', 'filter', { rules: 'f', schemaRef: 'aio-sr://x/y:2' }), [['sensors', 'check'], ['check', 'out']]);
    own.spec.nodeConnections[0]!.from.schema = { schemaRef: 'aio-sr://factory/temperature:1' };
    expect(flat(own).configuration['check/filter']?.schemaRef).toBe('aio-sr://x/y:2');
  });

  it("writes the short form aio-sr://<name>:<version> out with the data flow's namespace", () => {
    const r = dataflow(graphNode('check', 'filter', { rules: 'f' }), [['sensors', 'check'], ['check', 'out']]);
    r.spec.nodeConnections[0]!.from.schema = { schemaRef: 'aio-sr://temperature:3' };
    expect(flat(r).configuration['check/filter']?.schemaRef).toBe('aio-sr://azure-iot-operations/temperature:3');
  });
});
