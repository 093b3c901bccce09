// @vitest-environment happy-dom
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useDesigner } from '../store/designer.ts';
import type { ConnectionEdge } from '../model/flow.ts';
import type { Sample } from './messages.ts';
import { PreviewPanel } from './PreviewPanel.tsx';
import { Sparkline } from './PreviewBadge.tsx';
import { usePreviewSelection } from './selection.ts';
import { usePreview } from './store.ts';

let seq = 0;
const sample = (operation: string, event: Sample['event'], data: string, arm?: 'True' | 'False'): Sample => ({
  seq: ++seq, operation, event, at: 1000, item: { encoding: 'json', data, topic: 't' }, ...(arm ? { arm } : {}),
});
const edge = (id: string, source: string, target: string, arm?: 'True' | 'False'): ConnectionEdge => ({
  id, source, target, sourceHandle: arm ?? 'out', targetHandle: 'in', data: { index: Number(id.slice(1)), ...(arm ? { arm } : {}) },
});

beforeEach(() => {
  useDesigner.setState({ selected: undefined, edges: [edge('c0', 'source', 'branch'), edge('c1', 'branch', 'hot', 'True'), edge('c2', 'branch', 'cold', 'False')] });
  usePreviewSelection.setState({ edge: undefined });
  usePreview.setState({
    status: 'running',
    samples: {
      branch: [sample('branch', 'in', '{"v":1}'), sample('branch', 'out', '{"v":1}', 'True'), sample('branch', 'out', '{"v":2}', 'False'), sample('branch', 'out', '{"v":3}', 'True')],
    },
    logs: { branch: [{ operation: 'branch', level: 'warn', context: 'module-x', message: 'lock busy', time: 1 }] },
    metrics: { branch: [{ name: 'requests', labels: { operation: 'branch', module: 'm' }, value: 7 }] },
    errors: {},
    counters: {},
    rates: {},
  });
});
afterEach(cleanup);

describe('preview panel', () => {
  it('shows the messages on a clicked edge: the outputs of its source on its arm, newest chosen and shown whole', () => {
    render(<PreviewPanel />);
    expect(screen.getByText(/Click an operation or a connection/)).toBeTruthy();
    act(() => usePreviewSelection.getState().selectEdge('c1'));
    const view = screen.getByTestId('edge-view');
    expect(view.textContent).toContain('branch (True) → hot');
    const rows = view.querySelectorAll('[data-testid=preview-sample]');
    expect([...rows].map((r) => r.querySelector('[data-testid=sample-payload]')!.textContent)).toEqual(['{"v":3}', '{"v":1}']);
    expect(screen.getByTestId('detail-payload').textContent).toBe('{\n  "v": 3\n}');
    // Choosing an older row shows that one whole.
    fireEvent.click(rows[1]!.querySelector('.sample-row')!);
    expect(screen.getByTestId('detail-payload').textContent).toBe('{\n  "v": 1\n}');
    act(() => usePreviewSelection.getState().selectEdge('c2'));
    expect(screen.getByTestId('edge-view').querySelectorAll('[data-testid=preview-sample]')).toHaveLength(1);
  });

  it('the last click wins: an operation selected after an edge shows the operation, with its logs and metrics', () => {
    render(<PreviewPanel />);
    act(() => usePreviewSelection.getState().selectEdge('c1'));
    act(() => useDesigner.getState().select('branch'));
    expect(usePreviewSelection.getState().edge).toBeUndefined();
    expect(screen.getByTestId('operation-view').getAttribute('data-operation')).toBe('branch');
    expect(screen.getAllByTestId('preview-sample')).toHaveLength(4);
    expect(screen.getByTestId('log-line').textContent).toContain('warn module-x: lock busy');
    const metric = screen.getByTestId('metric');
    expect(metric.getAttribute('data-value')).toBe('7');
    expect(metric.textContent).toContain('module=m');
    // And an edge clicked after that clears the operation.
    act(() => usePreviewSelection.getState().selectEdge('c0'));
    expect(useDesigner.getState().selected).toBeUndefined();
    expect(screen.getByTestId('edge-view').getAttribute('data-edge')).toBe('c0');
  });

  it('draws an rgb24 frame as an image instead of hex', () => {
    const rgb = btoa(String.fromCharCode(...Array.from({ length: 2 * 2 * 3 }, (_, i) => i * 20)));
    usePreview.setState({ samples: { format: [{ seq: ++seq, operation: 'format', event: 'out', at: 1, item: { kind: 'snapshot', format: 'rgb24', width: 2, height: 2, encoding: 'base64', data: rgb, size: 12 } }] } });
    useDesigner.setState({ selected: 'format' });
    render(<PreviewPanel />);
    expect(screen.getByTestId('sample-payload').textContent).toBe('rgb24 frame 2×2 (12 bytes)');
    expect(screen.getByTestId('sample-detail').getAttribute('data-kind')).toBe('snapshot');
    const canvas = screen.getByTestId('frame-image') as HTMLCanvasElement;
    expect([canvas.width, canvas.height]).toEqual([2, 2]);
    expect(screen.queryByTestId('detail-payload')).toBeNull();
  });

  it('a sparkline renders again only when its own history changes', () => {
    let renders = 0;
    usePreview.setState({ rates: { a: [1, 2] } });
    render(
      <Profiler id="a" onRender={() => renders++}>
        <Sparkline operation="a" />
      </Profiler>,
    );
    expect(renders).toBe(1);
    expect(screen.getByTestId('sparkline').getAttribute('data-rate')).toBe('2');
    act(() => usePreview.setState({ rates: { a: [1, 2, 3] } }));
    expect(renders).toBe(2);
    expect(screen.getByTestId('sparkline').getAttribute('data-rate')).toBe('3');
    const same = usePreview.getState().rates.a!;
    act(() => usePreview.setState({ rates: { a: same, b: [9] }, counters: { b: { in: 9, out: 9, dropped: 0, errors: 0 } } }));
    expect(renders).toBe(2);
  });
});
