import { describe, expect, it } from 'vitest';
import { nextVersion } from './versions.ts';

describe('next version', () => {
  it('bumps the patch of the highest known version', () => {
    expect(nextVersion('1.0.0', [])).toBe('1.0.1');
    expect(nextVersion('1.0.0', ['1.0.0', '1.2.3', 'latest', '1.10.0'])).toBe('1.10.1');
    expect(nextVersion('2.0.0', ['1.0.0'])).toBe('2.0.1');
  });

  it('starts at 1.0.0 when nothing is a version', () => {
    expect(nextVersion(undefined, [])).toBe('1.0.0');
    expect(nextVersion('draft', ['latest'])).toBe('1.0.0');
  });
});
