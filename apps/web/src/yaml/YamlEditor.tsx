/**
 * A YAML editor with markers, schema completion and hover. Monaco (several MB)
 * is its own chunk, fetched when the first editor mounts; until then the text
 * is shown read-only, so the page is usable at once.
 */
import { lazy, Suspense } from 'react';
import type { YamlEditorProps } from './editor-props.ts';
import './yaml-editor.css';

export type { DocumentKind, YamlEditorProps } from './editor-props.ts';

const MonacoYamlEditor = lazy(() => import('./MonacoYamlEditor.tsx'));

export function YamlEditor(props: YamlEditorProps) {
  const { testId, className, documentKind, value } = props;
  // `nokey`: React Flow's document-wide key handlers (Space pans, Delete removes) skip
  // events from inside it. Monaco types through an EditContext element, not a textarea,
  // so React Flow would otherwise take it for the canvas and swallow the Space key.
  return (
    <div className={`yaml-editor nokey${className ? ` ${className}` : ''}`} data-testid={testId} data-kind={documentKind}>
      <Suspense fallback={<pre className="yaml-editor-loading" data-testid="yaml-editor-loading" aria-busy="true">{value}</pre>}>
        <MonacoYamlEditor {...props} />
      </Suspense>
    </div>
  );
}
