/**
 * `pnpm start`, `pnpm demo` and the image run from a clone alone: no run-time
 * file (sources, scripts, benchmarks, Dockerfile, README's commands) reads the
 * sample data outside the repository (../shared); only tests may.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

it('reads nothing from ../shared at run time, and ships the sample frames and graphs it uses', () => {
  let hits = '';
  try {
    // Tracked and new files alike; tests and test fixtures may use the shared data.
    hits = execFileSync('git', ['grep', '--untracked', '-n', '-E', '\\.\\./shared|shared/data', '--',
      'apps', 'packages', 'bench', 'scripts', 'Dockerfile', 'README.md', 'package.json',
      ':!*.test.ts', ':!*.test.tsx', ':!*.test.yaml', ':!**/testing/**', ':!**/node_modules/**',
      // Package notes describe what the tests read.
      ':!**/CONTEXT.md'], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    // git grep exits 1 when nothing matches.
    if ((e as { status?: number }).status !== 1) throw e;
  }
  // Comments naming where a description came from are not reads.
  const reads = hits.split('\n').filter((l) => l && !/^\S+:\d+:\s*(\*|\/\/)/.test(l));
  expect(reads).toEqual([]);
  for (const file of ['packages/operators/frames/camera.raw', 'packages/operators/graphs/graph-simple.yaml', 'packages/operators/graphs/graph-complex.yaml']) {
    expect(existsSync(join(root, file)), file).toBe(true);
  }
});
