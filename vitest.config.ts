import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file opens its own database (an in-memory PGlite, or a fresh Postgres database).
    pool: 'forks',
    maxWorkers: 2,
    // Each file's database is its own (in-memory PGlite, or a fresh database on the server), so files
    // share a worker's loaded modules instead of importing the whole app again per file (about half
    // the suite's time).
    isolate: false,
    // Bulk tests (10,000-row imports, 5,000-line documents) take seconds; leave room on a loaded machine.
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
