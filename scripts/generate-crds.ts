/**
 * Writes deploy/crds/*.yaml from graph-model's JSON schemas
 * (packages/graph-model/src/crd). Run after changing a resource schema:
 * `pnpm generate:crds`. A test fails while the committed files differ.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCrdFiles } from '../packages/graph-model/src/crd/crds.ts';

const dir = fileURLToPath(new URL('../deploy/crds/', import.meta.url));
for (const [file, text] of generateCrdFiles()) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote deploy/crds/${file}`);
}
