/** Which canvas node (and edge) a diagnostic concerns. */
import type { Diagnostic, PathSegment } from '@wgs/graph-model';
import { readConnections, readOperations } from './flow.ts';

export interface DiagnosticTarget {
  nodeId?: string;
  edgeId?: string;
}

/** Parses `operations[2].module` into segments (for diagnostics that come without them). */
export function pathSegments(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export function diagnosticTarget(d: Diagnostic, value: unknown): DiagnosticTarget {
  const seg = d.segments ?? pathSegments(d.path);
  const ops = readOperations(value);
  const names = new Set(ops.map((o) => o.name));
  if (seg[0] === 'operations' && typeof seg[1] === 'number') {
    const op = ops.find((o) => o.index === seg[1]);
    return op ? { nodeId: op.name } : {};
  }
  if (seg[0] === 'connections' && typeof seg[1] === 'number') {
    const c = readConnections(value).find((x) => x.index === seg[1]);
    if (!c) return {};
    const edgeId = names.has(c.from) && names.has(c.to) ? `c${c.index}` : undefined;
    // The end the path points at, unless that end is the unknown name; then the other end.
    const [first, second] = seg[2] === 'to' ? [c.to, c.from] : [c.from, c.to];
    const nodeId = names.has(first) ? first : names.has(second) ? second : undefined;
    return { ...(nodeId ? { nodeId } : {}), ...(edgeId ? { edgeId } : {}) };
  }
  if (seg[0] === 'moduleConfigurations' && typeof seg[1] === 'number') {
    const mcs = (value as { moduleConfigurations?: { name?: unknown }[] } | undefined)?.moduleConfigurations;
    const name = Array.isArray(mcs) ? mcs[seg[1]]?.name : undefined;
    return typeof name === 'string' && names.has(name) ? { nodeId: name } : {};
  }
  return {};
}
