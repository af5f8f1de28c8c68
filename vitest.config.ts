import { defineConfig } from 'vitest/config';

// Two suites: fast unit tests, and integration tests (`*.int.test.ts`) that start real processes
// (nats-server, prometheus, `osprey serve`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{collector,electron,renderer}/**/*.test.ts{,x}', '.ci/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{collector,electron,renderer}/**/*.int.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
