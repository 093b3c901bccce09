/**
 * Builds the temperature map operator of graph-simple.yaml directly as an
 * OperatorInstance (in-process, no worker). The runtime module is passed in so
 * that the cold-start child can time its own import of it.
 */
import { readFileSync } from 'node:fs';
import type { GraphDefinition, Operation } from '../../packages/graph-model/src/index.ts';
import type * as Runtime from '../../packages/runtime/src/index.ts';
import { GRAPH_FILE } from './preflight.ts';

type GraphModel = typeof import('../../packages/graph-model/src/index.ts');

export function mapOperation(gm: GraphModel): { graph: GraphDefinition; op: Operation } {
  const graph = gm.loadGraphDefinition(readFileSync(GRAPH_FILE, 'utf8'), GRAPH_FILE);
  const op = graph.operations.find((o) => o.operationType === 'map');
  if (!op?.module) throw new Error(`${GRAPH_FILE} has no map operation with a module`);
  return { graph, op };
}

/** A new, not yet started instance, with the host services instantiateGraph would give it. */
export function newMapInstance(rt: typeof Runtime, gm: GraphModel, component: Runtime.PreparedComponent, op: Operation, passing: Runtime.PayloadPassing): Runtime.OperatorInstance {
  const clock = new gm.HybridClock('bench');
  return new rt.OperatorInstance(op, component, [], {
    operation: op.name,
    log: () => {},
    metrics: new rt.MetricsRegistry(),
    stateStore: new rt.StateStore(clock),
    schemas: [],
    clock,
  }, passing);
}
