import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two CPUs on the build machines: model-heavy files run one after another.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000
  }
});
