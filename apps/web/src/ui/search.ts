/**
 * The filter boxes of the graph list and the registry browser: every word of
 * the query must occur (case-insensitively) in one of an item's fields, so
 * "temp 1.0" finds a graph named temp-converter running …:1.0.0.
 */
export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesQuery(fields: readonly (string | undefined)[], query: string): boolean {
  const words = queryWords(query);
  if (!words.length) return true;
  const haystack = fields.filter(Boolean).map((f) => f!.toLowerCase());
  return words.every((w) => haystack.some((f) => f.includes(w)));
}

/** The items that match, in their order. */
export function filterByQuery<T>(items: readonly T[], fields: (item: T) => readonly (string | undefined)[], query: string): T[] {
  return items.filter((item) => matchesQuery(fields(item), query));
}
