import { resolveTestDatabase } from '@eventhub/adapter-tests/database';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL whose role may create schemas and terminate backends; `''` when the tests are skipped. */
    postgresUrl: string;
  }
}

/** Image for the Testcontainers fallback, pinned. */
const POSTGRES_IMAGE = 'postgres:15.10-alpine';

/** EVENTHUB_TEST_POSTGRES_URL → a throwaway container where Docker answers → skip (a failure under CI=true). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await resolveTestDatabase({
    name: 'postgres',
    envVar: 'EVENTHUB_TEST_POSTGRES_URL',
    async startContainer() {
      // Imported only when needed: a run with a URL never loads Testcontainers.
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer(POSTGRES_IMAGE).start();
      return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
    },
  });
  project.provide('postgresUrl', database.url ?? '');
  return () => database.stop();
}
