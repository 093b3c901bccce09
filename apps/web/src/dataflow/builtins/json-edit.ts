/**
 * Rewrites a JSON text to a new value while keeping every untouched part byte
 * for byte: a rule editor changes one rule, and the other rules' text (spacing,
 * key order, number spelling such as `23.0`) stays as the user or the
 * reference wrote it, so the YAML diff shows just that rule.
 */

interface Span { start: number; end: number }
type Node = Span & (
  | { kind: 'object'; members: { key: string; keyStart: number; value: Node }[] }
  | { kind: 'array'; items: Node[] }
  | { kind: 'scalar' }
);

/** Spans of a JSON text known to parse (JSON.parse first). */
function scan(text: string): Node {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const str = () => {
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const value = (): Node => {
    ws();
    const start = i;
    if (text[i] === '{') {
      i++;
      const members: { key: string; keyStart: number; value: Node }[] = [];
      for (ws(); text[i] !== '}'; ws()) {
        if (text[i] === ',') {
          i++;
          ws();
        }
        const keyStart = i;
        str();
        const key = JSON.parse(text.slice(keyStart, i)) as string;
        ws();
        i++; // ':'
        members.push({ key, keyStart, value: value() });
      }
      i++;
      return { kind: 'object', members, start, end: i };
    }
    if (text[i] === '[') {
      i++;
      const items: Node[] = [];
      for (ws(); text[i] !== ']'; ws()) {
        if (text[i] === ',') i++;
        else items.push(value());
      }
      i++;
      return { kind: 'array', items, start, end: i };
    }
    if (text[i] === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    return { kind: 'scalar', start, end: i };
  };
  return value();
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The text between two neighbours (",", ", " or ",\n    "), else `fallback`. */
const gap = (text: string, a: Span | undefined, b: Span | undefined, fallback: string) => (a && b ? text.slice(a.end, b.start) : fallback);

function rewrite(text: string, node: Node, before: unknown, after: unknown): string {
  const raw = text.slice(node.start, node.end);
  if (equal(before, after)) return raw;
  if (node.kind === 'array' && Array.isArray(before) && Array.isArray(after)) {
    // Each new item reuses the text of an equal old item (reordering keeps it), else of the old item at its index.
    const used = new Set<number>();
    const parts = after.map((item, i) => {
      const same = before.findIndex((old, j) => !used.has(j) && equal(old, item));
      if (same >= 0) {
        used.add(same);
        return text.slice(node.items[same]!.start, node.items[same]!.end);
      }
      if (before.length === after.length && node.items[i]) return rewrite(text, node.items[i]!, before[i], item);
      return JSON.stringify(item);
    });
    const first = node.items[0];
    const last = node.items[node.items.length - 1];
    const open = first ? text.slice(node.start, first.start) : '[';
    const close = last ? text.slice(last.end, node.end) : ']';
    return open + parts.join(gap(text, node.items[0], node.items[1], ',')) + close;
  }
  if (node.kind === 'object' && isObj(before) && isObj(after)) {
    const members = node.kind === 'object' ? node.members : [];
    const m0 = members[0];
    const colon = m0 ? text.slice(text.indexOf('"', m0.keyStart + 1) + 1, m0.value.start) : ':';
    const parts = Object.keys(after).map((key) => {
      const old = members.find((m) => m.key === key);
      if (!old) return JSON.stringify(key) + colon + JSON.stringify(after[key]);
      return text.slice(old.keyStart, old.value.start) + rewrite(text, old.value, before[key], after[key]);
    });
    const open = m0 ? text.slice(node.start, m0.keyStart) : '{';
    const close = members.length ? text.slice(members[members.length - 1]!.value.end, node.end) : '}';
    const sep = m0 && members[1] ? text.slice(m0.value.end, members[1].keyStart) : ',';
    return open + parts.join(sep) + close;
  }
  return JSON.stringify(after);
}

/**
 * `after` written over the JSON text `original`: unchanged parts keep their
 * text, new parts are compact JSON (the reference's style). Text around the
 * value (a block scalar's final newline) is kept. A text that does not parse is replaced.
 */
export function writeJson(original: string | undefined, after: unknown): string {
  if (original === undefined) return JSON.stringify(after);
  let before: unknown;
  try {
    before = JSON.parse(original);
  } catch {
    return JSON.stringify(after);
  }
  const root = scan(original);
  return original.slice(0, root.start) + rewrite(original, root, before, after) + original.slice(root.end);
}
