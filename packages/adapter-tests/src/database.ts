/**
 * Finds the database a test suite runs against, for a vitest `globalSetup`. No vitest import
 * here: global setup runs outside the test runner.
 *
 * Order: the URL in `envVar` → a Testcontainers container, where a Docker engine answers →
 * skip with a printed reason. Under `CI=true` a missing database is a failure, never a skip.
 */
export interface TestDatabase {
  /** The connection URL, or `undefined` when the suite is skipped. */
  url: string | undefined;
  /** Why there is no database (printed once). */
  skipReason?: string;
  /** Stops what was started (a container); a no-op for a URL from the environment. */
  stop(): Promise<void>;
}

export interface ResolveTestDatabaseOptions {
  /** e.g. `postgres`, for messages. */
  name: string;
  /** e.g. `EVENTHUB_TEST_POSTGRES_URL`. */
  envVar: string;
  /** Starts a throwaway server; rejects when no container runtime answers. */
  startContainer(): Promise<{ url: string; stop(): Promise<void> }>;
}

/** False when `EVENTHUB_ADAPTERS` (e.g. `sqlite,postgres`) is set and leaves this adapter out. */
export function adapterSelected(name: string): boolean {
  const selected = process.env.EVENTHUB_ADAPTERS;
  if (!selected) return true;
  return selected.split(',').map((s) => s.trim()).includes(name);
}

export async function resolveTestDatabase(options: ResolveTestDatabaseOptions): Promise<TestDatabase> {
  if (!adapterSelected(options.name)) {
    const skipReason = `EVENTHUB_ADAPTERS=${process.env.EVENTHUB_ADAPTERS} leaves out ${options.name}`;
    console.warn(`[eventhub/${options.name}] skipping the ${options.name} tests: ${skipReason}`);
    return { url: undefined, skipReason, stop: async () => {} };
  }
  const fromEnv = process.env[options.envVar];
  if (fromEnv) return { url: fromEnv, stop: async () => {} };
  let reason: string;
  try {
    const container = await options.startContainer();
    return { url: container.url, stop: () => container.stop() };
  } catch (error) {
    reason = `${options.envVar} is not set and no container could be started: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  if (isCi()) {
    throw new Error(`[eventhub/${options.name}] ${reason}. Under CI=true a missing database is a failure, not a skip.`);
  }
  console.warn(`[eventhub/${options.name}] skipping the ${options.name} tests: ${reason}`);
  return { url: undefined, skipReason: reason, stop: async () => {} };
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
