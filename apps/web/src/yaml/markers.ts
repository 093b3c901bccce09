/** Diagnostics → Monaco marker data (pure, so it is tested without an editor). */
import type { Diagnostic } from '@wgs/graph-model';

export interface MarkerData {
  severity: 'error' | 'warning';
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/** One marker per diagnostic, from its column to the end of its line (line 1 when unlocated). */
export function markersFor(diagnostics: readonly Diagnostic[], lineLength: (line: number) => number, lineCount: number): MarkerData[] {
  return diagnostics.map((d) => {
    const line = Math.min(Math.max(d.line ?? 1, 1), Math.max(lineCount, 1));
    const length = lineLength(line);
    const startColumn = Math.min(d.column ?? 1, length + 1);
    return {
      severity: d.severity,
      message: `${d.message}${d.path ? ` (at ${d.path})` : ''} [${d.rule}]`,
      startLineNumber: line,
      startColumn,
      endLineNumber: line,
      endColumn: Math.max(length + 1, startColumn + 1),
    };
  });
}
