/** MQTT topic filter matching (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

interface TrieNode<T> {
  children: Map<string, TrieNode<T>>;
  /** Filters that end at this level. */
  ends: T[];
  /** Filters with `#` at this level: they match whatever follows (as topicMatches does). */
  rest: T[];
}

const node = <T>(): TrieNode<T> => ({ children: new Map(), ends: [], rest: [] });

/**
 * Topic filters indexed by level, so finding the filters that match a topic
 * costs the topic's depth (times the `+` branches), not the number of filters.
 * Gives the same answers as topicMatches, in the order the filters were added.
 */
export class TopicFilterIndex<T> {
  private readonly root = node<{ seq: number; value: T }>();
  private seq = 0;

  add(filter: string, value: T): void {
    const entry = { seq: this.seq++, value };
    let at = this.root;
    for (const level of filter.split('/')) {
      if (level === '#') {
        at.rest.push(entry);
        return;
      }
      let next = at.children.get(level);
      if (!next) at.children.set(level, (next = node()));
      at = next;
    }
    at.ends.push(entry);
  }

  /** The first `limit` matching values (in the order added) and how many matched in all. */
  match(topic: string, limit = Infinity): { values: T[]; total: number } {
    const levels = topic.split('/');
    const lists: { seq: number; value: T }[][] = [];
    // Iterative: a topic may have thousands of levels, too deep for recursion.
    const pending: [TrieNode<{ seq: number; value: T }>, number][] = [[this.root, 0]];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [at, i] = next;
      if (at.rest.length) lists.push(at.rest);
      if (i === levels.length) {
        if (at.ends.length) lists.push(at.ends);
        continue;
      }
      const exact = at.children.get(levels[i]!);
      if (exact) pending.push([exact, i + 1]);
      const any = levels[i] === '+' ? undefined : at.children.get('+');
      if (any) pending.push([any, i + 1]);
    }
    const total = lists.reduce((n, l) => n + l.length, 0);
    // Each list is in insertion order, so the first `limit` overall are among the first `limit` of each.
    const firsts = lists.flatMap((l) => (l.length > limit ? l.slice(0, limit) : l));
    firsts.sort((a, b) => a.seq - b.seq);
    return { values: firsts.slice(0, limit).map((e) => e.value), total };
  }
}
