/**
 * Schema-driven completion: the keys valid in the mapping at the cursor (with
 * their descriptions, required ones first, present ones left out) and the
 * values a key allows (enum, const, booleans). Pure, so it is tested without Monaco.
 */
import { parse } from 'yaml';
import { cursorContext, type Position } from './cursor.ts';
import { allowedValues, isArraySchema, isObjectSchema, objectShape, resolvePath, typeSummary, type JsonSchema } from './json-schema.ts';

/** Descriptions by path pattern (`operations[].operationType`), for schemas that carry none. */
export type Descriptions = Readonly<Record<string, string>>;

export interface Completion {
  label: string;
  kind: 'property' | 'value';
  /** Full text replacing the word; multi-line texts carry their own indentation. */
  insertText: string;
  /** Columns (1-based, end exclusive) on the cursor's line that the text replaces. */
  startColumn: number;
  endColumn: number;
  detail: string;
  documentation?: string;
  /** Orders required keys before optional ones, then by schema order. */
  sortText: string;
}

const sorted = (items: Completion[]) => items.sort((a, b) => a.sortText.localeCompare(b.sortText));
const join = (pattern: string, key: string) => (pattern ? `${pattern}.${key}` : key);

/** How a value is written so YAML reads it back as that value (`"True"` stays a string). */
export function yamlScalar(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  let reread: unknown;
  try {
    reread = parse(value);
  } catch {
    reread = undefined;
  }
  return reread === value ? value : JSON.stringify(value);
}

/** Completions at `position` (1-based line and column) of `text` for a document described by `schema`. */
export function completionsAt(schema: JsonSchema, text: string, position: Position, descriptions: Descriptions = {}): Completion[] {
  const ctx = cursorContext(text, position);
  if (!ctx) return [];
  const at = { startColumn: ctx.startColumn, endColumn: ctx.endColumn };

  const keysOf = (mapPath: typeof ctx.path, present: string[]): Completion[] => {
    const target = resolvePath(schema, mapPath, ctx.document);
    if (!target || !isObjectSchema(target.schema)) return [];
    const shape = objectShape(target.schema, target.value);
    // Nested lines start two columns right of the key (block style only).
    const indent = ' '.repeat(ctx.startColumn - 1 + 2);
    return [...shape.properties].filter(([key]) => !present.includes(key)).map(([key, sub], i) => {
      let insertText = `${key}: `;
      if (!ctx.flow && isArraySchema(sub)) insertText = `${key}:\n${indent}- `;
      else if (!ctx.flow && isObjectSchema(sub)) insertText = `${key}:\n${indent}`;
      const required = shape.required.has(key);
      return {
        label: key,
        kind: 'property' as const,
        insertText,
        ...at,
        detail: `${typeSummary(sub)}${required ? ' · required' : ''}`,
        documentation: descriptions[join(target.pattern, key)] ?? sub.description,
        sortText: `${required ? 0 : 1}${String(i).padStart(3, '0')}`,
      };
    });
  };

  if (ctx.role === 'key') return sorted(keysOf(ctx.path, ctx.siblings));

  const target = resolvePath(schema, ctx.path, ctx.document);
  if (!target) return [];
  const values: Completion[] = allowedValues(target.schema).map((v, i) => ({
    label: String(v),
    kind: 'value' as const,
    insertText: ctx.quoted ? String(v) : yamlScalar(v),
    ...at,
    detail: typeSummary(target.schema),
    documentation: descriptions[target.pattern] ?? target.schema.description,
    sortText: `0${String(i).padStart(3, '0')}`,
  }));
  // A word alone on its line where an object is expected ("metadata:\n  na|", "- na|") starts a key.
  if (ctx.lineStart && isObjectSchema(target.schema)) return [...values, ...sorted(keysOf(ctx.path, []))];
  return values;
}
