import { isPair, isScalar, visit, type Document, type Pair, type YAMLMap } from 'yaml';

/**
 * Map keys in linear time. yaml's own `uniqueKeys` check compares each new
 * key with every earlier one (quadratic: 20,000 keys took seconds), so we
 * parse with it off and check here with one Set per map.
 */

/** Identity of a scalar key as yaml's uniqueKeys compares it (`1` and `"1"` differ). */
function scalarKeyId(value: unknown): string {
  return `${typeof value}:${String(value)}`;
}

/** The second and later occurrence of every scalar key, per map, in document order. */
export function duplicateKeys(doc: Document): Pair[] {
  const out: Pair[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue; // collection keys are never equal to each other (as in yaml)
        const id = scalarKeyId(pair.key.value);
        if (seen.has(id)) out.push(pair);
        else seen.add(id);
      }
    },
  });
  // visit sees a map's own keys before its children's: sort back into text order.
  return out.sort((a, b) => offsetOf(a) - offsetOf(b));
}

const offsetOf = (pair: Pair): number => (isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0);

const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pair whose key reads as `key` (first one wins), from an index built once per map. */
export function pairByKey(map: YAMLMap, key: string): Pair | undefined {
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const k = String(p.key.value);
      if (!index.has(k)) index.set(k, p);
    }
    indexes.set(map, index);
  }
  return index.get(key);
}
