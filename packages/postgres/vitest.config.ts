import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Finds the database once: EVENTHUB_TEST_POSTGRES_URL, else a PostgreSQL 15 container, else skip (fail under CI=true).
    globalSetup: ['./test/global-setup.ts'],
  },
});
