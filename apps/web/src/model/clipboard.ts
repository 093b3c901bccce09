/**
 * Copy/paste of operations: what is copied is the operations, the
 * connections among them and their parameters; a paste gives each a unique
 * name (so nothing collides with the graph or an earlier paste) and an
 * offset position.
 */
import type { ConfigParameter } from '@wgs/graph-model';
import { readConnections, readOperations } from './flow.ts';
import { uniqueName } from './naming.ts';
import type { NewConnection, NewOperation } from './yaml-text.ts';

export interface Clip {
  operations: (NewOperation & { position: { x: number; y: number } })[];
  connections: NewConnection[];
  configurations: { name: string; parameters: Record<string, ConfigParameter> }[];
}

/** Where a pasted copy lands relative to the original. */
export const PASTE_OFFSET = { x: 40, y: 40 };

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The clip of operations `names` of a parsed document. */
export function copyOperations(value: unknown, names: readonly string[], positions: ReadonlyMap<string, { x: number; y: number }>): Clip {
  const picked = new Set(names);
  const operations = readOperations(value)
    .filter((o) => picked.has(o.name))
    .map((o) => ({ name: o.name, operationType: o.operationType, ...(o.module ? { module: o.module } : {}), position: positions.get(o.name) ?? { x: 0, y: 0 } }));
  const kept = new Set(operations.map((o) => o.name));
  const connections = readConnections(value)
    .filter((c) => kept.has(c.from) && kept.has(c.to))
    .map((c) => ({ from: c.from, to: c.to, ...(c.arm ? { arm: c.arm } : {}) }));
  const mcs = asRecord(value)?.moduleConfigurations;
  const configurations = (Array.isArray(mcs) ? mcs : [])
    .map(asRecord)
    .filter((mc): mc is Record<string, unknown> => !!mc && typeof mc.name === 'string' && kept.has(mc.name) && !!asRecord(mc.parameters))
    .map((mc) => ({ name: mc.name as string, parameters: structuredClone(mc.parameters) as Record<string, ConfigParameter> }));
  return { operations, connections, configurations };
}

/** The clip renamed for pasting into a graph that has operations `taken`, moved by `offset`. */
export function renameForPaste(clip: Clip, taken: Iterable<string>, offset = PASTE_OFFSET): { clip: Clip; renamed: Map<string, string> } {
  const used = new Set(taken);
  const renamed = new Map<string, string>();
  for (const op of clip.operations) {
    const name = uniqueName(op.name, used);
    used.add(name);
    renamed.set(op.name, name);
  }
  const to = (n: string) => renamed.get(n) ?? n;
  return {
    renamed,
    clip: {
      operations: clip.operations.map((o) => ({ ...o, name: to(o.name), position: { x: o.position.x + offset.x, y: o.position.y + offset.y } })),
      connections: clip.connections.map((c) => ({ ...c, from: to(c.from), to: to(c.to) })),
      configurations: clip.configurations.map((mc) => ({ ...mc, name: to(mc.name) })),
    },
  };
}
