import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file opens its own database (an in-memory PGlite, or a fresh Postgres database).
    pool: 'forks',
    maxWorkers: 2,
    // Bulk tests (10,000-row imports, 5,000-line documents) take seconds; leave room on a loaded machine.
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
