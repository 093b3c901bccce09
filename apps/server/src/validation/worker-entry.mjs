// Worker entry in plain JavaScript: registers tsx's loader in this thread,
// then loads the TypeScript worker (Node 20 does not apply --import hooks to
// a worker's entry module).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
