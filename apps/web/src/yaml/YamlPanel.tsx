import { useEffect, useRef } from 'react';
import { useDesigner } from '../store/designer.ts';
import { monaco } from './monaco.ts';
import { markersFor } from './markers.ts';

/** The definition's YAML in Monaco, kept in sync with the store both ways, with markers from the diagnostics. */
export function YamlPanel() {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const applying = useRef(false);
  const yaml = useDesigner((s) => s.yaml);
  const diagnostics = useDesigner((s) => s.diagnostics);
  const revealLine = useDesigner((s) => s.revealLine);

  useEffect(() => {
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      value: useDesigner.getState().yaml,
      language: 'yaml',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
    });
    editor.current = ed;
    const sub = ed.onDidChangeModelContent(() => {
      if (!applying.current) useDesigner.getState().setYaml(ed.getValue());
    });
    // For tests and debugging in the browser console.
    Object.assign(window, { wgsEditor: ed, wgsMonaco: monaco });
    return () => {
      sub.dispose();
      ed.dispose();
      editor.current = null;
    };
  }, []);

  // Canvas edits and newly opened definitions: replace the text as one undoable edit.
  useEffect(() => {
    const ed = editor.current;
    const model = ed?.getModel();
    if (!ed || !model || model.getValue() === yaml) return;
    applying.current = true;
    try {
      ed.pushUndoStop();
      ed.executeEdits('canvas', [{ range: model.getFullModelRange(), text: yaml }]);
      ed.pushUndoStop();
    } finally {
      applying.current = false;
    }
  }, [yaml]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    const markers = markersFor(diagnostics, (l) => model.getLineLength(l), model.getLineCount()).map((m) => ({
      ...m,
      severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
    }));
    monaco.editor.setModelMarkers(model, 'wgs', markers);
  }, [diagnostics, yaml]);

  useEffect(() => {
    if (revealLine) {
      editor.current?.revealLineInCenter(revealLine.line);
      editor.current?.setPosition({ lineNumber: revealLine.line, column: 1 });
    }
  }, [revealLine]);

  return <div className="yaml-panel" data-testid="yaml-panel" ref={host} />;
}
