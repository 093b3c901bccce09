/**
 * The whole test suite: type check, lint, every vitest file (unit, real
 * components, real Mosquitto), then the designer's Playwright run against the
 * real server in Debian's Chromium. Ends with the line "N passed, N failed".
 * Arguments go to vitest; WGS_E2E=off skips the browser run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';

const step = (name: string, cmd: string, args: string[]) => {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
};

mkdirSync('.wgs', { recursive: true });
const typecheck = [
  step('type check', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json']),
  step('type check (web app)', 'pnpm', ['exec', 'tsc', '-p', 'apps/web']),
  step('type check (e2e)', 'pnpm', ['exec', 'tsc', '-p', 'e2e']),
].filter(Boolean).length;
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
// Vitest fails a run on an unhandled error even when every test passed: the summary counts that too.
if (tests && !failed) failed = 1;

// The designer end to end: the web app is built first, so the server serves the current code.
let e2e = 0;
if (process.env.WGS_E2E !== 'off') {
  rmSync('.wgs/playwright-report.json', { force: true });
  const build = step('build web app', 'pnpm', ['--filter', '@wgs/web', 'build']);
  e2e = build || step('e2e (Playwright, Chromium)', 'pnpm', ['exec', 'playwright', 'test']);
  try {
    const report = JSON.parse(readFileSync('.wgs/playwright-report.json', 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
    passed += report.stats.expected;
    failed += report.stats.unexpected + report.stats.flaky;
    // A run that failed before any test (global setup, browser launch) still counts as a failure.
    if (e2e && !report.stats.unexpected && !report.stats.flaky) failed += 1;
  } catch {
    failed += 1;
  }
}

// Type and lint failures count as failed checks, so the summary never hides them.
failed += typecheck + (lint ? 1 : 0);
if (!passed && !failed) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed || tests || e2e ? 1 : 0;
