import { relative } from 'node:path';
import { findTestFiles, runGraphTest } from '@wgs/runtime';

export async function testCommand(args: string[]): Promise<number> {
  if (!args.length) throw new Error('usage: wgs test <folder|file.test.yaml>...');
  const files = await findTestFiles(args);
  if (!files.length) throw new Error(`no *.test.yaml files under ${args.join(', ')}`);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const r = await runGraphTest(file);
    const where = relative(process.cwd(), file);
    if (r.passed) {
      passed++;
      console.log(`PASS ${r.name} (${where}, ${r.durationMs} ms)`);
    } else {
      failed++;
      console.log(`FAIL ${r.name} (${where}, ${r.durationMs} ms)`);
      for (const f of r.failures) console.log(`  ${f.replace(/\n/g, '\n  ')}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
