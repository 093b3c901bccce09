import { describe, expect, it } from 'vitest';
import type { DataflowGraphResource } from '@wgs/graph-model';
import { isFailure, planGraph, type PlanInputs } from './plan.ts';
import { buildStatus, shouldWrite } from './status.ts';

const graph = (over: Partial<DataflowGraphResource['spec']> = {}): DataflowGraphResource => ({
  apiVersion: 'connectivity.iotoperations.azure.com/v1',
  kind: 'DataflowGraph',
  metadata: { name: 'g' },
  spec: {
    nodes: [
      { nodeType: 'Source', name: 's', sourceSettings: { endpointRef: 'mq', dataSources: ['a/#'] } },
      { nodeType: 'Graph', name: 't', graphSettings: { registryEndpointRef: 'reg', artifact: 'graph:1.0.0', configuration: [{ key: 'k', value: 'v' }] } },
      { nodeType: 'Destination', name: 'd', destinationSettings: { endpointRef: 'kf', dataDestination: 'out' } },
    ],
    nodeConnections: [{ from: { name: 's' }, to: { name: 't' } }, { from: { name: 't' }, to: { name: 'd' } }],
    ...over,
  },
});

const inputs = (o: { kafkaTls?: boolean; registry?: boolean } = {}): PlanInputs => ({
  dataflowEndpoint: (n) => ({
    mq: { spec: { endpointType: 'Mqtt', mqttSettings: { host: 'broker:1883' } } },
    kf: { spec: { endpointType: 'Kafka', kafkaSettings: { host: 'kafka:9092', consumerGroupId: 'grp', ...(o.kafkaTls ? { tls: { mode: 'Enabled' } } : {}) } } },
  } as Record<string, { spec: unknown }>)[n],
  registryEndpoint: (n) => (o.registry === false || n !== 'reg' ? undefined : { metadata: { resourceVersion: '1' }, spec: { host: 'r.example' } }),
});

describe('planGraph', () => {
  it('reads sources, the transform with its configuration, and the destination', () => {
    const p = planGraph(graph(), inputs());
    expect(isFailure(p)).toBe(false);
    expect(p).toMatchObject({
      sources: [{ node: 's', url: 'mqtt://broker:1883', topics: ['a/#'] }],
      transforms: [{ registryEndpoint: 'reg', artifact: 'graph:1.0.0', configuration: { k: 'v' } }],
      destinations: [{ url: 'kafka://kafka:9092', topic: 'out' }],
    });
    // Sources -> one transform -> one destination runs the graph as it is.
    expect(p).not.toHaveProperty('flattened');
  });

  it('plans any other shape to run flattened, each transform with its own configuration', () => {
    const g = graph();
    g.spec.nodes.splice(2, 0, { nodeType: 'Graph', name: 'u', graphSettings: { registryEndpointRef: 'reg', artifact: 'other:1.0.0', configuration: [{ key: 'k', value: 'u' }] } });
    g.spec.nodeConnections = [{ from: { name: 's' }, to: { name: 't' } }, { from: { name: 't' }, to: { name: 'u' } }, { from: { name: 'u' }, to: { name: 'd' } }];
    const p = planGraph(g, inputs());
    if (isFailure(p)) throw new Error(p.message);
    expect(p.flattened?.spec.nodes.map((n) => n.name)).toEqual(['s', 't', 'u', 'd']);
    expect(p.transforms.map((t) => t.configuration)).toEqual([{ k: 'v' }, { k: 'u' }]);
    // A branch arm to the destination is not today's shape either.
    expect(planGraph(graph({ nodeConnections: [{ from: { name: 's' }, to: { name: 't' } }, { from: { name: 't.output.true' }, to: { name: 'd' } }] }), inputs())).toHaveProperty('flattened');
    g.spec.nodes.splice(2, 1, { nodeType: 'Graph', name: 'u', graphSettings: { registryEndpointRef: 'gone', artifact: 'other:1.0.0' } });
    expect(planGraph(g, inputs())).toMatchObject({ reasonCode: 'RegistryEndpointNotFound', message: expect.stringContaining('"gone"') });
  });

  it('gives each failure a reason code', () => {
    expect(planGraph(graph({ mode: 'Disabled' }), inputs())).toMatchObject({ reasonCode: 'Disabled' });
    expect(planGraph(graph(), inputs({ kafkaTls: true }))).toMatchObject({ reasonCode: 'UnsupportedEndpoint' });
    expect(planGraph(graph(), inputs({ registry: false }))).toMatchObject({ reasonCode: 'RegistryEndpointNotFound' });
    const g = graph();
    g.spec.nodes[0]!.nodeType = 'Source';
    (g.spec.nodes[0] as { sourceSettings: { endpointRef: string } }).sourceSettings.endpointRef = 'nope';
    expect(planGraph(g, inputs())).toMatchObject({ reasonCode: 'EndpointNotFound', message: expect.stringContaining('"nope"') });
    expect(planGraph(graph({ nodes: graph().spec.nodes.filter((n) => n.nodeType !== 'Destination') }), inputs())).toMatchObject({ reasonCode: 'UnsupportedGraph' });
  });

  it('changes its fingerprint when the configuration or an endpoint changes', () => {
    const a = planGraph(graph(), inputs());
    const b = planGraph(graph({ nodes: graph().spec.nodes.map((n) => (n.nodeType === 'Graph' ? { ...n, graphSettings: { ...n.graphSettings, configuration: [{ key: 'k', value: 'w' }] } } : n)) }), inputs());
    const c = planGraph(graph(), inputs({ kafkaTls: false }));
    expect(isFailure(a) || isFailure(b) || isFailure(c)).toBe(false);
    if (isFailure(a) || isFailure(b) || isFailure(c)) return;
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.fingerprint).toBe(c.fingerprint);
  });

  it('a data flow naming a schema runs flattened with it; a changed schema changes the fingerprint; a missing one is SchemaNotFound', () => {
    const schema = { namespace: 'factory', name: 'temperature', version: '1', format: 'json' as const, content: '{}' };
    const g = graph();
    g.spec.nodeConnections[0]!.from.schema = { schemaRef: 'aio-sr://factory/temperature:1' };
    const p = planGraph(g, { ...inputs(), schemas: [schema, { ...schema, version: '2' }] });
    if (isFailure(p)) throw new Error(p.message);
    expect(p.schemas).toEqual([schema]);
    // Flattening gives the filter its connection's schemaRef and the node's modules the schema at init.
    expect(p.flattened).toBeDefined();
    const changed = planGraph(g, { ...inputs(), schemas: [{ ...schema, content: '{"type":"object"}' }] });
    expect(!isFailure(changed) && changed.fingerprint).not.toBe(p.fingerprint);
    expect(planGraph(g, { ...inputs(), schemas: [], schemaSource: 'the ConfigMaps' })).toEqual({
      reasonCode: 'SchemaNotFound',
      message: 'schema aio-sr://factory/temperature:1 (read by "t") is not in the ConfigMaps (at spec.nodeConnections[0].from.schema.schemaRef)',
    });
    // The endpoints come first: a missing registry endpoint is reported as such, schema or not.
    expect(planGraph(g, { ...inputs({ registry: false }), schemas: [] })).toMatchObject({ reasonCode: 'RegistryEndpointNotFound' });
  });
});

describe('status', () => {
  const counters = new Map([['source', { in: 5, out: 5, dropped: 0, errors: 0 }], ['map', { in: 5, out: 4, dropped: 0, errors: 1 }], ['sink', { in: 4, out: 4, dropped: 0, errors: 0 }]]);

  it('keeps lastTransitionTime while the health stays, and sums counters', () => {
    const first = buildStatus({ health: 'Available', reasonCode: 'Running', message: 'ok', generation: 2, counters, pod: 'p' }, undefined, new Date(1000));
    expect(first).toMatchObject({ provisioningState: 'Succeeded', observedGeneration: 2, counters: { messagesIn: 5, messagesOut: 4, dropped: 0, errors: 1 } });
    const later = buildStatus({ health: 'Available', reasonCode: 'Running', message: 'ok', counters, pod: 'p' }, first, new Date(5000));
    expect(later.healthState.lastTransitionTime).toBe(first.healthState.lastTransitionTime);
    expect(later.healthState.lastUpdateTime).not.toBe(first.healthState.lastUpdateTime);
    const failed = buildStatus({ health: 'Unavailable', reasonCode: 'ArtifactNotFound', message: 'gone', pod: 'p' }, later, new Date(9000));
    expect(failed.provisioningState).toBe('Failed');
    expect(failed.healthState.lastTransitionTime).toBe(new Date(9000).toISOString());
  });

  it('writes a health change at once, counter changes at most every interval', () => {
    const s = buildStatus({ health: 'Available', reasonCode: 'Running', message: 'ok', counters, pod: 'p' }, undefined, new Date(0));
    const more = buildStatus({ health: 'Available', reasonCode: 'Running', message: 'ok', counters: new Map([['source', { in: 9, out: 9, dropped: 0, errors: 0 }]]), pod: 'p' }, s, new Date(0));
    const down = buildStatus({ health: 'Degraded', reasonCode: 'EndpointUnreachable', message: 'x', counters, pod: 'p' }, s, new Date(0));
    expect(shouldWrite(s, undefined, 0, 3000)).toBe(true);
    expect(shouldWrite(more, { status: s, at: 0 }, 1000, 3000)).toBe(false);
    expect(shouldWrite(more, { status: s, at: 0 }, 3000, 3000)).toBe(true);
    expect(shouldWrite(down, { status: s, at: 0 }, 10, 3000)).toBe(true);
    expect(shouldWrite(s, { status: s, at: 0 }, 99_000, 3000)).toBe(false);
  });
});
