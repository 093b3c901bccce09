/**
 * What a context-menu action on a node acts on: the whole selection when the
 * node is part of it (as in file managers), else the node alone.
 */
export interface Selectable {
  id: string;
  selected?: boolean;
}

export function selectionFor(nodeId: string, nodes: readonly Selectable[], edges: readonly Selectable[]): { nodeIds: string[]; edgeIds: string[] } {
  const selected = nodes.filter((n) => n.selected).map((n) => n.id);
  if (!selected.includes(nodeId)) return { nodeIds: [nodeId], edgeIds: [] };
  return { nodeIds: selected, edgeIds: edges.filter((e) => e.selected).map((e) => e.id) };
}
