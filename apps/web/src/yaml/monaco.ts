/**
 * Monaco from node_modules (no CDN), with its editor worker bundled by Vite.
 * Only loaded through the lazy editor chunk (see YamlEditor.tsx), never from
 * the main bundle. YAML needs only the editor worker: colouring is a Monarch
 * grammar, completion and hover are our own providers on the main thread.
 */
// The editor API, the YAML grammar and the editor features we use, not everything monaco ships.
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import 'monaco-editor/features/codicon/register.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/snippet/register.js';
import 'monaco-editor/features/hover/register.js';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/features/folding/register.js';
import 'monaco-editor/features/gotoError/register.js';
import 'monaco-editor/features/comment/register.js';
import 'monaco-editor/features/clipboard/register.js';
import 'monaco-editor/features/contextmenu/register.js';
import 'monaco-editor/features/bracketMatching/register.js';
import 'monaco-editor/features/linesOperations/register.js';
import 'monaco-editor/features/wordHighlighter/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { registerSchemaSupport } from './providers.ts';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

/** The document kind of each editor's model, read by the completion and hover providers. */
export const modelKinds = registerSchemaSupport(monaco);

export { monaco };
