/**
 * Which connection the preview panel shows. Operations are selected in the
 * designer store (the inspector shows them too); a connection is selected
 * here. The last click wins: selecting an edge clears the operation, and
 * selecting an operation clears the edge.
 */
import { create } from 'zustand';
import { useDesigner } from '../store/designer.ts';
import type { ConnectionEdge } from '../model/flow.ts';
import type { Sample } from './messages.ts';

export interface PreviewSelection {
  /** The selected edge id (`c<index>`), if any. */
  edge?: string;
  selectEdge(id?: string): void;
}

export const usePreviewSelection = create<PreviewSelection>((set) => ({
  edge: undefined,
  selectEdge(id) {
    set({ edge: id });
    if (id && useDesigner.getState().selected !== undefined) useDesigner.getState().select(undefined);
  },
}));

useDesigner.subscribe((s, prev) => {
  if (s.selected !== undefined && s.selected !== prev.selected && usePreviewSelection.getState().edge) usePreviewSelection.setState({ edge: undefined });
});

/** What flows on an edge: the `from` operation's outputs, on that arm for a branch. */
export interface EdgeEnds {
  id: string;
  from: string;
  to: string;
  arm?: 'True' | 'False';
}

export function edgeEnds(edges: readonly ConnectionEdge[], id: string | undefined): EdgeEnds | undefined {
  const e = id ? edges.find((x) => x.id === id) : undefined;
  if (!e) return undefined;
  const arm = e.data?.arm ?? (e.sourceHandle === 'True' || e.sourceHandle === 'False' ? e.sourceHandle : undefined);
  return { id: e.id, from: e.source, to: e.target, ...(arm ? { arm } : {}) };
}

/** The samples of messages that left `from` on this edge (outputs; for a branch, those on its arm when the sample says). */
export function edgeSamples(samples: readonly Sample[], ends: Pick<EdgeEnds, 'arm'>): Sample[] {
  return samples.filter((s) => s.event === 'out' && (!ends.arm || !s.arm || s.arm === ends.arm));
}
