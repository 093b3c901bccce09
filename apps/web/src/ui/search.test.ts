import { describe, expect, it } from 'vitest';
import { filterByQuery, matchesQuery } from './search.ts';

const graphs = [
  { name: 'temp-converter', profile: 'default', artifacts: ['azure-samples/explore-iot-operations/graph-simple:1.0.0'] },
  { name: 'camera-frames', profile: 'gpu', artifacts: ['samples/graph-complex:2.1.0'] },
  { name: 'empty', artifacts: [] as string[] },
];
const fields = (g: (typeof graphs)[number]) => [g.name, g.profile, ...g.artifacts];

describe('search filter', () => {
  it('an empty query keeps everything', () => {
    expect(filterByQuery(graphs, fields, '  ')).toHaveLength(3);
  });

  it('matches name, profile or artifact, ignoring case', () => {
    expect(filterByQuery(graphs, fields, 'CAMERA').map((g) => g.name)).toEqual(['camera-frames']);
    expect(filterByQuery(graphs, fields, 'gpu').map((g) => g.name)).toEqual(['camera-frames']);
    expect(filterByQuery(graphs, fields, 'graph-simple').map((g) => g.name)).toEqual(['temp-converter']);
  });

  it('every word must match somewhere (in any field)', () => {
    expect(matchesQuery(['temp-converter', 'default', 'graph-simple:1.0.0'], 'temp 1.0')).toBe(true);
    expect(matchesQuery(['temp-converter', 'default', 'graph-simple:1.0.0'], 'temp 2.1')).toBe(false);
    expect(filterByQuery(graphs, fields, 'nothing-like-this')).toEqual([]);
  });
});
