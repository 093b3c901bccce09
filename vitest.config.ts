import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/web/src/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Component instantiation and brokers make tests heavy; two cores.
    fileParallelism: false,
  },
});
