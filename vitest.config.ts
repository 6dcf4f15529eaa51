import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // `npm run test:fast` leaves out test/e2e and test/hardening/load.test.ts (real processes, minutes)
    include: ['test/**/*.test.ts'],
    // says once when the upstream compatibility tests are skipped (no corpus beside the repo)
    globalSetup: ['test/global-setup.ts'],
    // e2e tests drive real processes; they poll with deadlines, these are only upper bounds
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // the machine has 2 cores; e2e files each start daemons and executors
    maxWorkers: 2,
    fileParallelism: true,
  },
});
