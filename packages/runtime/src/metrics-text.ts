import type { OperationCounters } from './engine/graph-engine.ts';

/** Per-operation message counts in Prometheus text format, for /metrics endpoints. */
export function countersToPrometheus(counters: Map<string, OperationCounters>, graph: string): string {
  const lines = ['# TYPE wgs_operation_messages_total counter'];
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  for (const [op, c] of counters) {
    for (const kind of ['in', 'out', 'dropped', 'errors'] as const) {
      lines.push(`wgs_operation_messages_total{graph="${esc(graph)}",operation="${esc(op)}",kind="${kind}"} ${c[kind]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
