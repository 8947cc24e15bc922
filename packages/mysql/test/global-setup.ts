import { resolveTestDatabase } from '@eventhub/adapter-tests/database';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A MySQL/MariaDB URL whose user may create and drop databases; `''` when the tests are skipped. */
    mysqlUrl: string;
  }
}

/** Image for the Testcontainers fallback, pinned. */
const MYSQL_IMAGE = 'mysql:8.4';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await resolveTestDatabase({
    name: 'mysql',
    envVar: 'EVENTHUB_TEST_MYSQL_URL',
    async startContainer() {
      // Imported only when needed: a run with a URL never loads Testcontainers.
      const { MySqlContainer } = await import('@testcontainers/mysql');
      const container = await new MySqlContainer(MYSQL_IMAGE).start();
      return { url: container.getConnectionUri(true), stop: async () => void (await container.stop()) };
    },
  });
  project.provide('mysqlUrl', database.url ?? '');
  return () => database.stop();
}
