import { isAlias, isMap, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import type { Diagnostic, PathSegment } from './diagnostics.ts';
import { excessiveYamlNesting, MAX_YAML_DEPTH } from './yaml-depth.ts';
import { duplicateKeys, pairByKey } from './yaml-keys.ts';

/** A parsed YAML document that can answer "where is this path?". */
export interface YamlSource {
  value: unknown;
  locate(path: readonly PathSegment[]): { line: number; column: number } | undefined;
  /** Errors from YAML parsing itself (syntax), already located. */
  syntaxErrors: Diagnostic[];
}

export function parseYamlSource(text: string): YamlSource {
  const tooDeep = nestingError(text);
  if (tooDeep) return { value: undefined, locate: () => undefined, syntaxErrors: [tooDeep] };
  const lineCounter = new LineCounter();
  // uniqueKeys off: yaml's check is quadratic; duplicateKeys does it linearly below.
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const syntaxErrors: Diagnostic[] = doc.errors.map((e) => {
    // linePos is only filled in with prettyErrors; derive it from the offset.
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return {
      path: '',
      message: `YAML: ${e.message.split('\n')[0]}`,
      rule: 'yaml-syntax',
      severity: 'error',
      line: pos?.line,
      column: pos?.col,
    };
  });
  for (const pair of duplicateKeys(doc)) {
    const pos = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
    syntaxErrors.push({ path: '', message: 'YAML: Map keys must be unique', rule: 'yaml-syntax', severity: 'error', line: pos.line, column: pos.col });
  }
  let value: unknown;
  if (!syntaxErrors.length) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Unresolved and excessive aliases only surface when converting; report them, do not throw.
      syntaxErrors.push({ path: '', message: `YAML: ${(e as Error).message}`, rule: 'yaml-syntax', severity: 'error', ...aliasPosition(doc, lineCounter) });
    }
  }

  const locate = (path: readonly PathSegment[]) => {
    let node: unknown = doc.contents;
    let best: Node | undefined = (doc.contents as Node | null) ?? undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = pairByKey(node, String(seg));
        if (!pair) break;
        // A block collection starts at its first child (a later line): point at the key instead.
        const blockValue = (isMap(pair.value) || isSeq(pair.value)) && !pair.value.flow;
        best = pair.value && !blockValue ? (pair.value as Node) : (pair.key as Node);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        best = item;
        node = item;
      } else break;
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  return { value, locate, syntaxErrors };
}

/** A located error when the text nests deeper than MAX_YAML_DEPTH: such text must not reach yaml's (recursive) composer. */
export function nestingError(text: string): Diagnostic | undefined {
  const offset = excessiveYamlNesting(text);
  if (offset === undefined) return undefined;
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const pos = lineCounter.linePos(offset);
  return { path: '', message: `YAML: nested deeper than ${MAX_YAML_DEPTH} levels`, rule: 'yaml-syntax', severity: 'error', line: pos.line, column: pos.col };
}

/** Adds line/column to diagnostics that carry a path. */
export function locateAll(diagnostics: Diagnostic[], source: YamlSource): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.line || !d.segments) return d;
    const pos = source.locate(d.segments);
    return pos ? { ...d, line: pos.line, column: pos.column } : d;
  });
}

/** Position of the first alias without an earlier anchor, else of the first alias (one pass). */
function aliasPosition(doc: Document, lineCounter: LineCounter): { line?: number; column?: number } {
  const anchors = new Set<string>();
  let first: Alias | undefined;
  let unresolved: Alias | undefined;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        first ??= node;
        if (!anchors.has(node.source)) {
          unresolved = node;
          return visit.BREAK;
        }
      } else if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  const offset = (unresolved ?? first)?.range?.[0];
  if (offset === undefined) return {};
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}
