// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import type { Diagnostic } from '@wgs/graph-model';
import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { YamlEditor } from './YamlEditor.tsx';
import type { YamlEditorProps } from './editor-props.ts';

type Editor = Monaco.editor.IStandaloneCodeEditor;
const exposed = () => (window as unknown as { testEditor?: Editor; wgsMonaco: typeof Monaco });

const first = 'metadata:\n  name: a\noperations:\n  - { name: m, operationType: map, module: format:1.0.0 }\n';
const second = first.replace('format:1.0.0', 'format:2.0.0');

function show(props: Partial<YamlEditorProps> = {}) {
  const onChange = vi.fn();
  const all: YamlEditorProps = { value: first, onChange, diagnostics: [], documentKind: 'graph-definition', testId: 'ed', exposeAs: 'testEditor', ...props };
  const view = render(<div style={{ width: 600, height: 400 }}><YamlEditor {...all} /></div>);
  const rerender = (more: Partial<YamlEditorProps>) => view.rerender(<div style={{ width: 600, height: 400 }}><YamlEditor {...all} {...more} /></div>);
  return { view, onChange, rerender };
}

async function loaded(): Promise<Editor> {
  await waitFor(() => expect(exposed().testEditor).toBeTruthy(), { timeout: 20_000 });
  return exposed().testEditor!;
}

describe('YamlEditor', () => {
  // happy-dom has no 2D canvas; Monaco's overview ruler draws on one.
  beforeAll(async () => {
    HTMLCanvasElement.prototype.getContext = (() => new Proxy({}, { get: () => () => undefined })) as never;
    // Transforming Monaco takes a while on a cold cache: do it here, not inside a test's wait.
    await import('./MonacoYamlEditor.tsx');
  });
  afterEach(() => {
    cleanup();
    delete exposed().testEditor;
  });

  it('shows the text at once, then Monaco with the same text', async () => {
    const { view } = show();
    expect(view.getByTestId('yaml-editor-loading').textContent).toBe(first);
    const ed = await loaded();
    expect(ed.getModel()!.getValue()).toBe(first);
    expect(view.getByTestId('ed').querySelector('.monaco-editor')).not.toBeNull();
    expect(view.getByTestId('ed').dataset.kind).toBe('graph-definition');
  });

  it('applies a new value as an undoable edit and reports typed edits only', async () => {
    const { onChange, rerender } = show();
    const ed = await loaded();
    ed.setPosition({ lineNumber: 2, column: 3 });
    rerender({ value: second });
    expect(ed.getModel()!.getValue()).toBe(second);
    expect(onChange).not.toHaveBeenCalled();
    // The cursor stayed where it was: only the version number was replaced.
    expect(ed.getPosition()).toMatchObject({ lineNumber: 2, column: 3 });
    ed.trigger('test', 'undo', null);
    expect(ed.getModel()!.getValue()).toBe(first);
    expect(onChange).toHaveBeenLastCalledWith(first);
  });

  it('puts diagnostics on their lines as markers', async () => {
    const diagnostic: Diagnostic = { path: 'operations[0].operationType', message: 'bad', rule: 'schema', severity: 'error', line: 4, column: 17 };
    const { rerender } = show();
    const ed = await loaded();
    rerender({ diagnostics: [diagnostic] });
    const monaco = exposed().wgsMonaco;
    const markers = monaco.editor.getModelMarkers({ resource: ed.getModel()!.uri });
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ startLineNumber: 4, startColumn: 17, severity: monaco.MarkerSeverity.Error });
    expect(markers[0]!.message).toContain('bad (at operations[0].operationType)');
  });
});
