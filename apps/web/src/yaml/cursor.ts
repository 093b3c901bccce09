/**
 * Where in the YAML structure a cursor stands. The word at the cursor is
 * replaced by a marker and the text parsed leniently (as language servers
 * do): the marker's node then says whether a key or a value is being typed,
 * and under which path, even in half-typed documents and in flow style.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import type { PathSegment } from './json-schema.ts';

export interface Position {
  /** 1-based, as in Monaco. */
  line: number;
  column: number;
}

export interface CursorContext {
  /** `key`: a key of the mapping at `path` is typed; `value`: the value at `path`. */
  role: 'key' | 'value';
  path: PathSegment[];
  /** The text of the word around the cursor and its columns (1-based, end exclusive). */
  word: string;
  startColumn: number;
  endColumn: number;
  /** Other keys of the mapping the cursor is in (so they are not offered again). */
  siblings: string[];
  /** In a flow collection (`{ … }`, `[ … ]`): insert on one line. */
  flow: boolean;
  /** Only indentation and `- ` precede the word: a key may start here. */
  lineStart: boolean;
  /** The word directly follows a quote. */
  quoted: boolean;
  /** The whole document as JS (with the marker in place of the word). */
  document: unknown;
}

const MARKER = 'wgs__cursor__';
const WORD = /[A-Za-z0-9_$./-]/;

/** The context at `position`, or undefined where nothing structural can be said (comments, broken indentation). */
export function cursorContext(text: string, position: Position): CursorContext | undefined {
  const lines = text.split('\n');
  const lineText = (lines[position.line - 1] ?? '').replace(/\r$/, '');
  const col = Math.min(Math.max(position.column - 1, 0), lineText.length);
  let start = col;
  while (start > 0 && WORD.test(lineText[start - 1]!)) start--;
  let end = col;
  while (end < lineText.length && WORD.test(lineText[end]!)) end++;
  const before = lineText.slice(0, start);
  if (before.includes('#') && /(^|\s)#/.test(before)) return undefined; // in a comment
  // "key:|" needs a space, or "key:marker" reads as one scalar.
  const marker = before.endsWith(':') ? ` ${MARKER}` : MARKER;
  lines[position.line - 1] = before + marker + lineText.slice(end);
  const doc = parseDocument(lines.join('\n'), { uniqueKeys: false });

  let found: { parent: unknown; ancestors: readonly unknown[]; node: Node } | undefined;
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (node.value === MARKER) {
        found = { parent: key, ancestors, node };
        return visit.BREAK;
      }
    },
  });
  if (!found) return undefined;

  const path: PathSegment[] = [];
  const chain = [...found.ancestors, found.node];
  let role: 'key' | 'value' = 'value';
  let map: YAMLMap | undefined;
  for (let i = 0; i < chain.length - 1; i++) {
    const node = chain[i];
    const child = chain[i + 1];
    if (isSeq(node)) path.push(node.items.indexOf(child as never));
    else if (isPair(node)) {
      const pair = node as Pair;
      if (pair.key === child) role = 'key';
      else path.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
    } else if (isMap(node)) map = node;
  }
  // The mapping holding the marker as key or value: its other keys are siblings.
  const siblings = map
    ? map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((k) => k && k !== MARKER)
    : [];
  const flow = chain.some((n) => (isMap(n) || isSeq(n)) && n.flow === true);
  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: 100 });
  } catch {
    document = undefined;
  }
  return {
    role,
    path,
    word: lineText.slice(start, end),
    startColumn: start + 1,
    endColumn: end + 1,
    siblings: role === 'key' ? siblings : [],
    flow,
    lineStart: /^\s*(-\s+)*$/.test(before),
    quoted: /["']$/.test(before),
    document,
  };
}
