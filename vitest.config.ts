import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql ships both CommonJS and ESM builds; Node loads the CommonJS one for every package, but
// vite would hand some importers the ESM one, and two graphql copies break `instanceof` checks.
const graphql = createRequire(import.meta.url).resolve('graphql', { paths: ['./packages/graphql-kit'] });
const shared = { resolve: { alias: [{ find: /^graphql$/, replacement: graphql }] } };

// Three tiers, chosen by file suffix: unit (no I/O), int (real PostgreSQL, PGlite, Kafka), e2e
// (through the gateway). `npm test` runs all of them.
export default defineConfig({
  test: {
    projects: [
      { ...shared, test: { name: 'unit', include: ['{packages,services,test}/**/*.unit.test.ts'] } },
      {
        ...shared,
        test: {
          name: 'int',
          include: ['{packages,services,test}/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['{packages,services,test}/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
