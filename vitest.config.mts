import { defineConfig } from 'vitest/config';

// Tests run against real parts (Temporal servers, SQLite files), so files run one at a time on the
// 2-core machines this project targets, with generous time-outs for server start-up.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
