import { describe, expect, it } from 'vitest';
import { formatArtifactReference, parseArtifactReference } from './module-reference.ts';

const DIGEST = 'sha256:' + 'a1b2c3d4'.repeat(8);

describe('parseArtifactReference', () => {
  it('reads a repository path without registry (first part has no dot)', () => {
    expect(parseArtifactReference('azure-samples/explore-iot-operations/temperature:1.0.0')).toEqual({
      registry: undefined,
      repository: 'azure-samples/explore-iot-operations/temperature',
      tag: '1.0.0',
      digest: undefined,
    });
  });

  it('reads a flat name:version', () => {
    expect(parseArtifactReference('graph-simple:1.0.0')).toMatchObject({ registry: undefined, repository: 'graph-simple', tag: '1.0.0' });
  });

  it('reads localhost with a port as the registry, and the last colon as the tag', () => {
    expect(parseArtifactReference('localhost:5000/a/b:1')).toEqual({ registry: 'localhost:5000', repository: 'a/b', tag: '1', digest: undefined });
  });

  it('reads plain localhost as a registry', () => {
    expect(parseArtifactReference('localhost/a:2')).toMatchObject({ registry: 'localhost', repository: 'a', tag: '2' });
  });

  it('reads a digest reference', () => {
    expect(parseArtifactReference(`ghcr.io/x/y@${DIGEST}`)).toEqual({ registry: 'ghcr.io', repository: 'x/y', tag: undefined, digest: DIGEST });
  });

  it('reads a tag and a digest together', () => {
    expect(parseArtifactReference(`ghcr.io/x/y:1.0@${DIGEST}`)).toEqual({ registry: 'ghcr.io', repository: 'x/y', tag: '1.0', digest: DIGEST });
  });

  it('trims surrounding whitespace', () => {
    expect(parseArtifactReference('  mcr.microsoft.com/azureiotoperations/graph-dataflow-window:1.1.0 ')).toMatchObject({
      registry: 'mcr.microsoft.com',
      repository: 'azureiotoperations/graph-dataflow-window',
      tag: '1.1.0',
    });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['temperature', /no tag or digest/],
    ['ghcr.io/x/y', /no tag or digest/],
    ['localhost:5000/a', /no tag or digest/],
    ['temperature:', /invalid tag/],
    ['temperature:.1', /invalid tag/],
    ['temperature:1/2', /no tag or digest/], // `temperature:1` has a colon, so it is the registry host
    [':1.0.0', /invalid repository/],
    ['Temperature:1.0.0', /invalid repository/],
    ['a//b:1', /invalid repository/],
    ['a/b/:1', /invalid repository/],
    ['ghcr.io/x/y@sha256', /invalid digest/],
    ['ghcr.io/x/y@sha256:', /invalid digest/],
    ['ghcr.io/x/y@', /invalid digest/],
  ])('rejects %j', (ref, message) => {
    expect(() => parseArtifactReference(ref)).toThrow(message);
  });

  it('rejects a tag longer than 128 characters', () => {
    expect(() => parseArtifactReference(`a:${'1'.repeat(128)}`)).not.toThrow();
    expect(() => parseArtifactReference(`a:${'1'.repeat(129)}`)).toThrow(/invalid tag/);
  });
});

describe('formatArtifactReference', () => {
  it.each([
    'azure-samples/explore-iot-operations/temperature:1.0.0',
    'localhost:5000/a/b:1',
    `ghcr.io/x/y@${DIGEST}`,
    `ghcr.io/x/y:1.0@${DIGEST}`,
  ])('round-trips %s', (ref) => {
    expect(formatArtifactReference(parseArtifactReference(ref))).toBe(ref);
  });

  it('formats the parts in order', () => {
    expect(formatArtifactReference({ registry: 'r.io', repository: 'p/q', tag: 't' })).toBe('r.io/p/q:t');
    expect(formatArtifactReference({ repository: 'q', digest: DIGEST })).toBe(`q@${DIGEST}`);
  });
});
