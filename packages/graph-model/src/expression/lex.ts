/** Tokens of the expression language, with their offsets (for located errors). */

export type TokenKind = 'int' | 'float' | 'string' | 'var' | 'ident' | '(' | ')' | ',' | 'op';

export interface Token {
  kind: TokenKind;
  /** The literal's value, the variable's number, the identifier or operator text. */
  value: string | number;
  start: number;
  end: number;
}

/** A problem in an expression: `start`/`end` are offsets into it (column = start + 1). */
export interface ExpressionError {
  message: string;
  start: number;
  end: number;
}

export class ExpressionSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
// As Rust's char::is_alphanumeric / is_alphabetic, near enough: letters and digits of any script.
const isAlpha = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
const isWord = (c: string | undefined) => c !== undefined && (/[\p{L}\p{N}]/u.test(c) || c === '_');
const TWO = ['&&', '||', '==', '!=', '<=', '>='];
const ONE = '!^*/%+-<>';
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r' };

/** Splits an expression into tokens, as dataflow-expr's lexer does (parse.rs `lex`). */
export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (message: string, start: number, end = start + 1): never => {
    throw new ExpressionSyntaxError(message, start, end);
  };
  while (i < src.length) {
    const c = src[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (isDigit(c)) {
      while (isDigit(src[i])) i++;
      let float = false;
      if (src[i] === '.' && isDigit(src[i + 1])) {
        float = true;
        i++;
        while (isDigit(src[i])) i++;
      }
      if (src[i] === 'e' || src[i] === 'E') {
        let j = i + 1;
        if (src[j] === '+' || src[j] === '-') j++;
        if (isDigit(src[j])) {
          float = true;
          i = j;
          while (isDigit(src[i])) i++;
        }
      }
      if (isWord(src[i]) || src[i] === '.') fail(`malformed number at column ${start + 1}`, start, i + 1);
      const text = src.slice(start, i);
      // i64 range: a bigger integer is refused by the component too.
      if (!float && BigInt(text) > 9223372036854775807n) fail(`integer ${text} is out of the 64-bit range`, start, i);
      out.push({ kind: float ? 'float' : 'int', value: Number(text), start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let s = '';
      for (;;) {
        if (i >= src.length) fail('unterminated string literal', start, i);
        const d = src[i++]!;
        if (d === c) break;
        if (d !== '\\') {
          s += d;
          continue;
        }
        if (i >= src.length) fail('unterminated string literal', start, i);
        const e = src[i++]!;
        if (e in ESCAPES) s += ESCAPES[e];
        else if (e === 'u') {
          const hex = src.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`bad \\u escape "\\u${hex}"`, i - 2, i + 4);
          s += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else s += `\\${e}`; // kept as written, so regular expressions read naturally ("\d+")
      }
      out.push({ kind: 'string', value: s, start, end: i });
      continue;
    }
    if (c === '$') {
      i++;
      while (isWord(src[i])) i++;
      const name = src.slice(start + 1, i);
      const n = /^\d+$/.test(name) ? Number(name) : 0;
      if (n < 1) fail(`"$${name}" is not a positional variable ($1, $2, …); field paths and $metadata belong in "inputs"`, start, i);
      out.push({ kind: 'var', value: n, start, end: i });
      continue;
    }
    if (isAlpha(c) || c === '_') {
      for (;;) {
        while (isWord(src[i])) i++;
        if (src[i] === ':' && src[i + 1] === ':') {
          i += 2;
          continue;
        }
        break;
      }
      out.push({ kind: 'ident', value: src.slice(start, i), start, end: i });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO.includes(two)) {
      out.push({ kind: 'op', value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') out.push({ kind: c, value: c, start, end: i + 1 });
    else if (ONE.includes(c)) out.push({ kind: 'op', value: c, start, end: i + 1 });
    else if (c === '&' || c === '|') fail(`"${c}" is not an operator; use "${c}${c}"`, start);
    else if (c === '=') fail('"=" is not an operator; use "=="', start);
    else fail(`unexpected character "${c}" at column ${start + 1}`, start);
    i++;
  }
  return out;
}
