/** Hover text for a key or value: the schema description of the property, its type and whether it is required. */
import { cursorContext, type Position } from './cursor.ts';
import { objectShape, resolvePath, typeSummary, type JsonSchema } from './json-schema.ts';
import type { Descriptions } from './completion.ts';

export interface HoverInfo {
  /** Markdown. */
  contents: string;
  line: number;
  startColumn: number;
  endColumn: number;
}

export function hoverAt(schema: JsonSchema, text: string, position: Position, descriptions: Descriptions = {}): HoverInfo | undefined {
  const ctx = cursorContext(text, position);
  if (!ctx || !ctx.word) return undefined;
  // A key: the property it names inside its mapping; a value: the property holding it.
  const propertyPath = ctx.role === 'key' ? [...ctx.path, ctx.word] : ctx.path;
  const key = propertyPath[propertyPath.length - 1];
  if (typeof key !== 'string') return undefined;
  const parent = resolvePath(schema, propertyPath.slice(0, -1), ctx.document);
  const target = resolvePath(schema, propertyPath, ctx.document);
  if (!parent || !target) return undefined;
  const required = objectShape(parent.schema, parent.value).required.has(key);
  const description = descriptions[target.pattern] ?? target.schema.description;
  const contents = [`**${key}**: \`${typeSummary(target.schema)}\`${required ? ' (required)' : ''}`, ...(description ? [description] : [])].join('\n\n');
  return { contents, line: position.line, startColumn: ctx.startColumn, endColumn: ctx.endColumn };
}
