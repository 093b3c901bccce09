/**
 * The smallest single replacement turning one text into another (common
 * prefix and suffix kept). Applied to Monaco as an edit, it keeps the cursor,
 * folding and the undo stack meaningful when the text changes from outside.
 */
export interface TextEdit {
  /** Offsets into the old text; [start, end) is replaced by `text`. */
  start: number;
  end: number;
  text: string;
}

export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never split a surrogate pair or a CRLF.
  while (start > 0 && isLowHalfOrLf(before, start)) start--;
  while (suffix > 0 && isLowHalfOrLf(before, before.length - suffix) && before.length - suffix > start) suffix--;
  return { start, end: before.length - suffix, text: after.slice(start, after.length - suffix) };
}

function isLowHalfOrLf(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (code >= 0xdc00 && code <= 0xdfff) || (code === 10 && text.charCodeAt(index - 1) === 13);
}
