/**
 * Monaco from node_modules (no CDN), with its editor worker bundled by Vite.
 * YAML needs only the editor worker (syntax colouring is a Monarch grammar).
 */
// The editor API and the YAML grammar only, not every language monaco ships.
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
