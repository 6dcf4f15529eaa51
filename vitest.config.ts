import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests drive real processes; they poll with deadlines, these are only upper bounds
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // the machine has 2 cores; e2e files each start daemons and executors
    maxWorkers: 2,
    fileParallelism: true,
  },
});
