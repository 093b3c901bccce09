/**
 * The Monaco part of YamlEditor; its own chunk, loaded on first use.
 * Outside changes of `value` become edits (undo and cursor survive), typed
 * edits go to `onChange`, diagnostics become markers.
 */
import { useEffect, useRef } from 'react';
import { modelKinds, monaco } from './monaco.ts';
import { markersFor } from './markers.ts';
import { minimalEdit } from './text-edit.ts';
import type { YamlEditorProps } from './editor-props.ts';
import { useTheme, type Theme } from '../ui/theme.ts';

const monacoTheme = (theme: Theme) => (theme === 'dark' ? 'vs-dark' : 'vs');

export default function MonacoYamlEditor({ value, onChange, diagnostics, documentKind, revealLine, readOnly, exposeAs }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const applying = useRef(false);
  // The latest props, so the editor is created once and never recreated by a re-render.
  const latest = useRef({ value, onChange, documentKind, readOnly, exposeAs });
  latest.current = { value, onChange, documentKind, readOnly, exposeAs };

  useEffect(() => {
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      value: latest.current.value,
      language: 'yaml',
      readOnly: latest.current.readOnly ?? false,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      // YAML values are string tokens: suggest there too (enum values).
      quickSuggestions: { other: true, strings: true, comments: false },
      fixedOverflowWidgets: true,
      theme: monacoTheme(useTheme.getState().theme),
    });
    // Monaco's theme is global: every editor follows the page's.
    const unsubscribe = useTheme.subscribe((s) => monaco.editor.setTheme(monacoTheme(s.theme)));
    editor.current = ed;
    modelKinds.set(ed.getModel()!, latest.current.documentKind);
    const sub = ed.onDidChangeModelContent(() => {
      if (!applying.current) latest.current.onChange(ed.getValue());
    });
    const name = latest.current.exposeAs;
    if (name) Object.assign(window, { [name]: ed, wgsMonaco: monaco });
    return () => {
      // A test waiting for the editor must not find this disposed one.
      const w = window as unknown as Record<string, unknown>;
      if (name && w[name] === ed) delete w[name];
      unsubscribe();
      sub.dispose();
      ed.dispose();
      editor.current = null;
    };
  }, []);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (model) modelKinds.set(model, documentKind);
  }, [documentKind]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly: readOnly ?? false });
  }, [readOnly]);

  // Canvas edits and newly opened documents: one undoable edit of just the changed span.
  useEffect(() => {
    const ed = editor.current;
    const model = ed?.getModel();
    if (!ed || !model) return;
    const edit = minimalEdit(model.getValue(), value);
    if (!edit) return;
    const start = model.getPositionAt(edit.start);
    const end = model.getPositionAt(edit.end);
    applying.current = true;
    try {
      ed.pushUndoStop();
      ed.executeEdits('outside', [{ range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), text: edit.text }]);
      ed.pushUndoStop();
    } finally {
      applying.current = false;
    }
  }, [value]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    const markers = markersFor(diagnostics, (l) => model.getLineLength(l), model.getLineCount()).map((m) => ({
      ...m,
      severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
    }));
    monaco.editor.setModelMarkers(model, 'wgs', markers);
  }, [diagnostics, value]);

  useEffect(() => {
    if (revealLine) {
      editor.current?.revealLineInCenter(revealLine.line);
      editor.current?.setPosition({ lineNumber: revealLine.line, column: 1 });
    }
  }, [revealLine]);

  return <div className="yaml-editor-host" ref={host} />;
}
