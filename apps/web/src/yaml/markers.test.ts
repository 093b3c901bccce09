import { describe, expect, it } from 'vitest';
import { markersFor } from './markers.ts';

describe('Monaco markers from diagnostics', () => {
  const lines = ['metadata:', '  name: x', '  - { operationType: filtr, name: f }'];
  const len = (l: number) => lines[l - 1]!.length;

  it('spans from the column to the end of the line, with path and rule in the message', () => {
    const [m] = markersFor([{ path: 'operations[0].operationType', message: 'bad kind', rule: 'schema', severity: 'error', line: 3, column: 22 }], len, 3);
    expect(m).toEqual({ severity: 'error', message: 'bad kind (at operations[0].operationType) [schema]', startLineNumber: 3, startColumn: 22, endLineNumber: 3, endColumn: lines[2]!.length + 1 });
  });

  it('puts unlocated diagnostics on line 1 and clamps lines past the end', () => {
    const [a, b] = markersFor([
      { path: '', message: 'no source', rule: 'source-sink', severity: 'warning' },
      { path: '', message: 'eof', rule: 'yaml-syntax', severity: 'error', line: 9, column: 1 },
    ], len, 3);
    expect(a).toMatchObject({ severity: 'warning', startLineNumber: 1, startColumn: 1, endColumn: 10 });
    expect(b).toMatchObject({ startLineNumber: 3, endLineNumber: 3 });
  });
});
