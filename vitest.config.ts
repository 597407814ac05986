import { defineConfig } from 'vitest/config';

// Three tiers, chosen by file suffix: unit (no I/O), int (real PostgreSQL, PGlite, Kafka), e2e
// (through the gateway). `pnpm test` runs all of them.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['{packages,services,test}/**/*.unit.test.ts'] } },
      {
        test: {
          name: 'int',
          include: ['{packages,services,test}/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['{packages,services,test}/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
