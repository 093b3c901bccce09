import { CST, Lexer } from 'yaml';

/**
 * Nesting levels a YAML document may have. yaml composes documents
 * recursively: past ~600 levels it overflows the stack, and near the stack's
 * end V8 can even abort the process (a fatal "RegExpCompiler allocation
 * failed"). Real documents here nest under 15 levels.
 */
export const MAX_YAML_DEPTH = 128;

/**
 * Where the text first nests deeper than `limit` levels (a source offset), or
 * undefined. Uses yaml's lexer, which is a flat state machine (safe at any
 * depth), and counts an upper bound: open indentation levels, plus the
 * `-`/`?`/`:` indicators on the line, plus open flow brackets.
 */
export function excessiveYamlNesting(text: string, limit = MAX_YAML_DEPTH): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let onLine = 0;
  let lineIndent = 0;
  let lineStarted = false;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    const at = offset;
    // Control tokens (document mode, scalar marker, flow error) are not in the source.
    if (type !== 'doc-mode' && type !== 'flow-error-end' && type !== undefined) offset += token.length;
    if (type === 'newline') {
      onLine = 0;
      lineIndent = 0;
      lineStarted = false;
      continue;
    }
    if (type === 'space' && !lineStarted) {
      lineIndent = token.length;
      continue;
    }
    if (type === 'space' || type === 'comment' || type === 'doc-mode' || type === undefined) continue;
    if (!lineStarted) {
      lineStarted = true;
      if (flow === 0) {
        while (indents.length && indents[indents.length - 1]! >= lineIndent) indents.pop();
        indents.push(lineIndent);
      }
    }
    if (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind') onLine++;
    else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flow > 0) flow--;
    if (indents.length + onLine + flow > limit) return at;
  }
  return undefined;
}
