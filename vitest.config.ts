// converge: two test projects. `unit` is pure logic and needs no service; `integration` starts the
// local env once (globalSetup) and talks to the real MariaDB, Kafka, Connect and search engine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'strategies/**/*.test.ts', 'reports/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          // Correctness, not speed: the machines are shared and a CPU-heavy suite (the checker's
          // 1,200-case proof) can take several times its quiet duration under load.
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
