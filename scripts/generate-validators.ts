/** Writes packages/graph-model/src/validators/validators.generated.ts (see generate.ts there). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidatorsSource } from '../packages/graph-model/src/validators/generate.ts';

const file = fileURLToPath(new URL('../packages/graph-model/src/validators/validators.generated.ts', import.meta.url));
writeFileSync(file, generateValidatorsSource());
console.log('wrote packages/graph-model/src/validators/validators.generated.ts');
