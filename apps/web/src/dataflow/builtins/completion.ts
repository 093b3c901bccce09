/**
 * What the rule editors offer while typing: function names in an expression
 * (the word at the cursor), field paths in inputs (from the preview's samples
 * of that node, else of the whole preview).
 */
import { completionNames, type ExpressionMode } from '@wgs/graph-model';
import type { Sample } from '../../preview/messages.ts';

/** The identifier (letters, digits, `_`, `::`) ending at `cursor`. */
export function wordAt(text: string, cursor: number): { start: number; word: string } {
  let start = cursor;
  while (start > 0 && /[\w:]/.test(text[start - 1]!)) start--;
  return { start, word: text.slice(start, cursor) };
}

/** Functions starting with the word (or containing it after `::`); none for an empty word or inside a string. */
export function functionSuggestions(text: string, cursor: number, mode: ExpressionMode, limit = 8): { start: number; items: { name: string; signature: string }[] } {
  const { start, word } = wordAt(text, cursor);
  const quotes = (text.slice(0, start).match(/["']/g) ?? []).length;
  if (!word || /^\d/.test(word) || text[start - 1] === '$' || quotes % 2) return { start, items: [] };
  const all = completionNames(mode);
  const items = [...all.filter((f) => f.name.startsWith(word)), ...all.filter((f) => !f.name.startsWith(word) && f.name.includes(`::${word}`))];
  return { start, items: items.filter((f) => f.name !== word).slice(0, limit) };
}

/** Inserts `name(` for the word at the cursor; returns the text and where the cursor goes. */
export function insertFunction(text: string, start: number, cursor: number, name: string): { text: string; cursor: number } {
  const rest = text.slice(cursor);
  const call = rest.startsWith('(') ? name : `${name}(`;
  return { text: text.slice(0, start) + call + rest, cursor: start + call.length };
}

const segment = (k: string) => (/[.'"]/.test(k) || k === '*' ? `"${k.replace(/"/g, '')}"` : k);

/** Dotted paths of a JSON value (objects and leaves), depth-first, at most `limit`. */
export function pathsOf(value: unknown, limit = 200): string[] {
  const out: string[] = [];
  const walk = (v: unknown, prefix: string) => {
    if (out.length >= limit || !v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${segment(k)}` : segment(k);
      out.push(path);
      walk(child, path);
    }
  };
  walk(value, '');
  return out.slice(0, limit);
}

/** The node's operations in a data-flow preview are `<node>/<op>`. */
export const ofNode = (operation: string, node: string) => operation === node || operation.startsWith(`${node}/`);

/** Field paths seen in samples: the node's incoming ones first, else any; unique, sorted. */
export function fieldPaths(samples: Record<string, Sample[]>, node: string): string[] {
  const all = Object.values(samples).flat();
  const mine = all.filter((s) => ofNode(s.operation, node) && s.event === 'in');
  const seen = new Set<string>();
  for (const s of (mine.length ? mine : all).slice(-20)) {
    if (s.item.encoding !== 'json' && s.item.encoding !== 'text') continue;
    try {
      for (const p of pathsOf(JSON.parse(s.item.data))) seen.add(p);
    } catch {
      // not JSON: no fields to offer
    }
  }
  return [...seen].sort();
}

/** Metadata a rule may read or write (decision 16): the topic, and each user property seen in the samples (the node's incoming ones first). */
export function metadataPaths(samples: Record<string, Sample[]>, node: string): string[] {
  const all = Object.values(samples).flat();
  const mine = all.filter((s) => ofNode(s.operation, node) && s.event === 'in');
  const keys = new Set<string>();
  for (const s of (mine.length ? mine : all).slice(-20)) {
    // `__ts` is the runtime's timestamp, not the user's.
    for (const [k] of s.item.userProperties ?? []) if (k && k !== '__ts') keys.add(k);
  }
  return ['$metadata.topic', ...[...keys].sort().map((k) => `$metadata.user_property.${segment(k)}`)];
}
