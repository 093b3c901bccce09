import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { addBuiltinAt, freeSpot } from './add.ts';
import { newDataflowGraphYaml, readLayout, writeLayout } from '../manifest.ts';
import { COLUMN_WIDTH, ROW_HEIGHT } from '../flow.ts';

describe('adding a built-in', () => {
  it('goes to the first free spot of the transforms\' column', () => {
    expect(freeSpot([])).toEqual({ x: COLUMN_WIDTH, y: 0 });
    expect(freeSpot([{ x: COLUMN_WIDTH, y: 0 }])).toEqual({ x: COLUMN_WIDTH, y: ROW_HEIGHT });
    expect(freeSpot([{ x: COLUMN_WIDTH + 20, y: ROW_HEIGHT + 10 }, { x: COLUMN_WIDTH, y: 0 }])).toEqual({ x: COLUMN_WIDTH, y: 3 * ROW_HEIGHT });
  });
  it('leaves a flow laid out by its connections unpinned', () => {
    const text = newDataflowGraphYaml('g');
    const added = addBuiltinAt(text, parseDocument(text).toJS(), 'map', [{ x: 0, y: 0 }, { x: 500, y: 0 }]);
    expect(readLayout(parseDocument(added.text).toJS())).toEqual({});
    expect(added.text).toContain('graph-dataflow-map');
  });
  it('in a flow arranged by hand, writes its own free spot and keeps the others\'', () => {
    const text = writeLayout(newDataflowGraphYaml('g'), { source: [0, 0], destination: [500, 0] });
    const first = addBuiltinAt(text, parseDocument(text).toJS(), 'map', [{ x: 0, y: 0 }, { x: 500, y: 0 }]);
    const v = parseDocument(first.text).toJS();
    expect(readLayout(v)).toEqual({ source: [0, 0], destination: [500, 0], map: [COLUMN_WIDTH, 0] });
    const second = addBuiltinAt(first.text, v, 'filter', [{ x: 0, y: 0 }, { x: COLUMN_WIDTH, y: 0 }, { x: 500, y: 0 }]);
    expect(readLayout(parseDocument(second.text).toJS())).toEqual({ source: [0, 0], destination: [500, 0], map: [COLUMN_WIDTH, 0], filter: [COLUMN_WIDTH, ROW_HEIGHT] });
  });
});
