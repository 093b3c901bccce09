/**
 * Documents of hostile size, for the bounded-cost tests of graph-model and
 * the server: each one was quadratic (or worse) somewhere before the limits.
 */
import type { DataflowGraphResource } from '../resources.ts';

const API = 'connectivity.iotoperations.azure.com/v1';

/** A graph definition whose one operation declares `keys` parameters (a YAML map of that many keys). */
export function manyKeysGraphYaml(keys: number): string {
  const lines = [
    'metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: many, version: "1.0.0" }',
    'moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }',
    'operations:',
    '  - { operationType: source, name: source }',
    '  - { operationType: map, name: m, module: "temperature:1.0.0" }',
    '  - { operationType: sink, name: sink }',
    'connections:',
    '  - { from: { name: source }, to: { name: m } }',
    '  - { from: { name: m }, to: { name: sink } }',
    'moduleConfigurations:',
    '  - name: m',
    '    parameters:',
  ];
  for (let i = 0; i < keys; i++) lines.push(`      p${i}: { name: p${i}, default: "${i}" }`);
  return `${lines.join('\n')}\n`;
}

/** A DataflowGraph of `count` source → destination pairs (2 × count nodes). */
export function manyNodesGraph(count: number, name = 'many-nodes'): DataflowGraphResource {
  const nodes: DataflowGraphResource['spec']['nodes'] = [];
  const nodeConnections: DataflowGraphResource['spec']['nodeConnections'] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ nodeType: 'Source', name: `s${i}`, sourceSettings: { endpointRef: 'default', dataSources: [`in/${i}`] } });
    nodes.push({ nodeType: 'Destination', name: `d${i}`, destinationSettings: { endpointRef: 'default', dataDestination: `out/${i}` } });
    nodeConnections.push({ from: { name: `s${i}` }, to: { name: `d${i}` } });
  }
  return { apiVersion: API, kind: 'DataflowGraph', metadata: { name }, spec: { nodes, nodeConnections } };
}

/**
 * A DataflowGraph within the limits whose sources subscribe to `sources × topicsPerSource`
 * topics (wildcards among them) and with `destinations` destinations on the same endpoint:
 * the topic-loop check compares every destination with every source topic.
 */
export function manyTopicsGraph(sources: number, topicsPerSource: number, destinations: number, name = 'many-topics'): DataflowGraphResource {
  const nodes: DataflowGraphResource['spec']['nodes'] = [];
  const nodeConnections: DataflowGraphResource['spec']['nodeConnections'] = [];
  for (let s = 0; s < sources; s++) {
    // Short topics, so 40,000 of them fit a 1 MiB request body.
    const dataSources = Array.from({ length: topicsPerSource }, (_, t) => (t % 10 === 0 ? `p/${s}/+/l${t}` : `p/${s}/c${t}`));
    nodes.push({ nodeType: 'Source', name: `s${s}`, sourceSettings: { endpointRef: 'default', dataSources } });
  }
  for (let d = 0; d < destinations; d++) {
    nodes.push({ nodeType: 'Destination', name: `d${d}`, destinationSettings: { endpointRef: 'default', dataDestination: `out/${d}` } });
    nodeConnections.push({ from: { name: `s${d % sources}` }, to: { name: `d${d}` } });
  }
  return { apiVersion: API, kind: 'DataflowGraph', metadata: { name }, spec: { nodes, nodeConnections } };
}
