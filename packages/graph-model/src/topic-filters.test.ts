import { describe, expect, it } from 'vitest';
import { TopicFilterIndex, topicMatches } from './topic-filters.ts';

const FILTERS = ['a/b', 'a/+', '+/+', 'a/#', '#', '+/#', 'a/+/c', 'a/b/c', 'a//b', '+', 'a/#/ignored', 'b/+/+', 'a/b'];
const TOPICS = ['a/b', 'a/c', 'a', 'a/b/c', 'a/x/c', 'b/c/d', 'a//b', '', 'a/+', '+', 'x/y/z/w'];

describe('TopicFilterIndex', () => {
  it('finds exactly the filters topicMatches accepts, in the order they were added', () => {
    const index = new TopicFilterIndex<number>();
    FILTERS.forEach((f, i) => index.add(f, i));
    for (const topic of TOPICS) {
      const expected = FILTERS.flatMap((f, i) => (topicMatches(f, topic) ? [i] : []));
      expect({ topic, ...index.match(topic) }).toEqual({ topic, values: expected, total: expected.length });
    }
  });

  it('returns the first `limit` matches and counts them all', () => {
    const index = new TopicFilterIndex<string>();
    ['#', 'x/#', 'x/y', '+/y', 'x/+', 'x/#'].forEach((f, i) => index.add(f, `${i}:${f}`));
    expect(index.match('x/y', 3)).toEqual({ values: ['0:#', '1:x/#', '2:x/y'], total: 6 });
  });

  it('matches a topic of 30,000 levels without running out of stack', () => {
    const index = new TopicFilterIndex<string>();
    const deep = Array(30_000).fill('l').join('/');
    index.add(deep, 'deep');
    index.add(Array(30_000).fill('+').join('/'), 'plus');
    expect(index.match(deep).values).toEqual(['deep', 'plus']);
  });
});
