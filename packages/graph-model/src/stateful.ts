import type { FlattenedDataflow } from './dataflow-flatten.ts';
import { parseArtifactReference } from './module-reference.ts';
import type { GraphDefinition } from './types.ts';

/**
 * Built-in transforms whose state lives in the instance (reference: the
 * window's buffer, the throttle's last-forwarded time), whatever operations
 * their graph definition uses.
 */
const STATEFUL_BUILTINS = new Set(['azureiotoperations/graph-dataflow-window', 'azureiotoperations/graph-dataflow-throttle']);

/**
 * Why a graph keeps state per instance, or undefined when it does not:
 * accumulate and delay operations (their windows), and the stateful built-ins.
 * Such a graph must not be spread over instances by shared subscriptions: each
 * instance would see part of the stream (reference: "use instanceCount 1").
 */
export function statefulReason(graph: GraphDefinition, artifact?: string): string | undefined {
  const ops = graph.operations.filter((op) => op.operationType === 'accumulate' || op.operationType === 'delay');
  if (ops.length) {
    const named = ops.slice(0, 3).map((op) => `${op.operationType} "${op.name}"`).join(', ');
    return ops.length > 3 ? `${named} and ${ops.length - 3} more` : named;
  }
  if (!artifact) return undefined;
  try {
    const { repository } = parseArtifactReference(artifact);
    if ([...STATEFUL_BUILTINS].some((b) => repository === b || repository.endsWith(`/${b}`))) return `built-in ${repository.split('/').pop()}`;
  } catch {
    // not a reference: nothing to say
  }
  return undefined;
}

/** statefulReason over every Graph node of a flattened data flow (its operations, then each node's artifact). */
export function dataflowStatefulReason(flat: FlattenedDataflow): string | undefined {
  const own = statefulReason(flat.graph);
  if (own) return own;
  const nodes = new Map(Object.values(flat.origins).map((o) => [o.node, o.artifact]));
  for (const [node, artifact] of nodes) {
    const reason = statefulReason({ ...flat.graph, operations: [] }, artifact);
    if (reason) return `${reason} (node "${node}")`;
  }
  return undefined;
}
