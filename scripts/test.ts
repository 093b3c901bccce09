/**
 * The whole test suite: type check, lint, then every vitest file (unit, real
 * components, real Mosquitto). Ends with the line "N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

const step = (name: string, cmd: string, args: string[]) => {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
};

mkdirSync('.wgs', { recursive: true });
const typecheck = step('type check', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json']);
const lint = step('lint', 'pnpm', ['exec', 'eslint', '.']);
const tests = step('tests', 'pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.wgs/vitest-report.json', ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync('.wgs/vitest-report.json', 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  passed = report.numPassedTests;
  failed = report.numFailedTests;
} catch {
  failed = 1;
}
// Type and lint failures count as failed checks, so the summary never hides them.
failed += (typecheck ? 1 : 0) + (lint ? 1 : 0);
if (!passed && !failed) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed || tests ? 1 : 0;
