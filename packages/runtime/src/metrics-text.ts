import type { OperationCounters } from './engine/graph-engine.ts';
import type { RunnerHealth } from './worker/graph-runner.ts';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Per-operation message counts in Prometheus text format, for /metrics endpoints. */
export function countersToPrometheus(counters: Map<string, OperationCounters>, graph: string): string {
  const lines = ['# TYPE wgs_operation_messages_total counter'];
  for (const [op, c] of counters) {
    for (const kind of ['in', 'out', 'dropped', 'errors'] as const) {
      lines.push(`wgs_operation_messages_total{graph="${esc(graph)}",operation="${esc(op)}",kind="${kind}"} ${c[kind]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Worker restarts and failed restart attempts, and whether the graph is running. */
export function runnerHealthMetrics(h: RunnerHealth, graph: string): string {
  const g = `graph="${esc(graph)}"`;
  return [
    '# TYPE wgs_graph_running gauge',
    `wgs_graph_running{${g}} ${h.state === 'running' ? 1 : 0}`,
    '# TYPE wgs_graph_restarts_total counter',
    `wgs_graph_restarts_total{${g}} ${h.restarts}`,
    '# TYPE wgs_graph_restart_failures_total counter',
    `wgs_graph_restart_failures_total{${g}} ${h.failedRestarts}`,
  ].join('\n') + '\n';
}
