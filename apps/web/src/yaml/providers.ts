/** Monaco completion and hover for YAML models, driven by the JSON schema of each model's document kind. */
import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { completionsAt } from './completion.ts';
import { hoverAt } from './hover.ts';
import { documentSchemas, type DocumentKind } from './documents.ts';

/** Registers the providers once; returns the model → kind table the editors fill in. */
export function registerSchemaSupport(monaco: typeof Monaco): WeakMap<Monaco.editor.ITextModel, DocumentKind> {
  const kinds = new WeakMap<Monaco.editor.ITextModel, DocumentKind>();
  const schemaOf = (model: Monaco.editor.ITextModel) => {
    const kind = kinds.get(model);
    return kind ? documentSchemas[kind] : undefined;
  };

  monaco.languages.registerCompletionItemProvider('yaml', {
    // After "key: " the values; after "- " or indentation the keys.
    triggerCharacters: [' '],
    provideCompletionItems(model, position) {
      const doc = schemaOf(model);
      if (!doc) return { suggestions: [] };
      const items = completionsAt(doc.schema, model.getValue(), { line: position.lineNumber, column: position.column }, doc.descriptions);
      return {
        suggestions: items.map((c) => ({
          label: c.label,
          kind: c.kind === 'property' ? monaco.languages.CompletionItemKind.Property : monaco.languages.CompletionItemKind.EnumMember,
          insertText: c.insertText,
          // The text carries its own indentation (keys after "- " are deeper than the line's).
          insertTextRules: monaco.languages.CompletionItemInsertTextRule.KeepWhitespace,
          detail: c.detail,
          documentation: c.documentation ? { value: c.documentation } : undefined,
          sortText: c.sortText,
          range: new monaco.Range(position.lineNumber, c.startColumn, position.lineNumber, c.endColumn),
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider('yaml', {
    provideHover(model, position) {
      const doc = schemaOf(model);
      if (!doc) return null;
      const info = hoverAt(doc.schema, model.getValue(), { line: position.lineNumber, column: position.column }, doc.descriptions);
      if (!info) return null;
      return { contents: [{ value: info.contents }], range: new monaco.Range(info.line, info.startColumn, info.line, info.endColumn) };
    },
  });
  return kinds;
}
