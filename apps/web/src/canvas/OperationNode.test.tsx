// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import type { OperationNode } from '../model/flow.ts';
import { OperationNodeComponent } from './OperationNode.tsx';
import { usePreview } from '../preview/store.ts';

const nodeTypes = { operation: OperationNodeComponent };

const node = (id: string, operationType: string, extra: Partial<OperationNode['data']> = {}): OperationNode => ({
  id,
  type: 'operation',
  position: { x: 0, y: 0 },
  width: 240,
  height: 72,
  data: { name: id, operationType, index: 0, parameters: [], errors: [], warnings: [], ...extra },
});

const show = (nodes: OperationNode[]) =>
  render(
    <div style={{ width: 800, height: 600 }}>
      <ReactFlowProvider>
        <ReactFlow nodes={nodes} edges={[]} nodeTypes={nodeTypes} />
      </ReactFlowProvider>
    </div>,
  );

describe('operation nodes', () => {
  afterEach(cleanup);

  it('a branch has an input and True/False output handles; a map has in and out; source and sink one each', () => {
    const { container } = show([node('b', 'branch'), node('m', 'map'), node('src', 'source'), node('snk', 'sink')]);
    const handles = (id: string) =>
      Array.from(container.querySelectorAll(`[data-name="${id}"] .react-flow__handle`)).map((h) => h.getAttribute('data-handleid')).sort();
    expect(handles('b')).toEqual(['False', 'True', 'in']);
    expect(handles('m')).toEqual(['in', 'out']);
    expect(handles('src')).toEqual(['out']);
    expect(handles('snk')).toEqual(['in']);
  });

  it('shows kind, name, module and parameters, and an error badge with the count', () => {
    const { container } = show([
      node('f', 'filter', { module: 'azure-samples/explore-iot-operations/temperature:1.0.0', parameters: ['a', 'b'], errors: ['bad', 'worse'] }),
      node('ok', 'map', { warnings: ['hmm'] }),
    ]);
    const f = container.querySelector('[data-name="f"]')!;
    expect(f.textContent).toContain('filter');
    expect(f.textContent).toContain('temperature:1.0.0');
    expect(f.textContent).toContain('2 params');
    expect(f.querySelector('[data-testid=error-badge]')!.textContent).toBe('2');
    expect(f.getAttribute('title')).toBe('bad\nworse');
    const ok = container.querySelector('[data-name="ok"]')!;
    expect(ok.querySelector('[data-testid=error-badge]')).toBeNull();
    expect(ok.querySelector('[data-testid=warning-badge]')!.textContent).toBe('1');
  });

  it('marks an unknown kind', () => {
    const { container } = show([node('x', 'filtr')]);
    expect(container.querySelector('[data-name="x"]')!.className).toContain('op-unknown');
  });

  it('shows live counts while a preview runs, in place of the parameter count, and none otherwise', () => {
    usePreview.setState({ status: 'running', counters: { m: { in: 12345, out: 7, dropped: 0, errors: 2 } } });
    const { container, unmount } = show([node('m', 'map', { parameters: ['a'] }), node('other', 'map')]);
    const counts = container.querySelector('[data-name="m"] [data-testid=live-counts]')!;
    expect(counts.getAttribute('data-out')).toBe('7');
    expect(counts.textContent).toBe('in 12kout 7drop 0err 2');
    expect(container.querySelector('[data-name="m"]')!.textContent).not.toContain('1 param');
    expect(container.querySelector('[data-name="other"] [data-testid=live-counts]')).toBeNull();
    unmount();
    usePreview.setState({ status: 'stopped' });
    const again = show([node('m', 'map', { parameters: ['a'] })]);
    expect(again.container.querySelector('[data-testid=live-counts]')).toBeNull();
    expect(again.container.textContent).toContain('1 param');
    usePreview.setState({ status: 'idle', counters: {} });
  });
});
