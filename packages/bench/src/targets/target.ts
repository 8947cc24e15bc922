import type { StorageAdapter } from '@eventhub/core';

/**
 * One database under test. The baselines use the driver directly, on the same database, with
 * the same payload and the same schema the adapter creates.
 */
export interface BenchTarget {
  readonly name: 'sqlite' | 'postgres' | 'mysql';
  /** Server version or library version, for the report. */
  version(): Promise<string>;
  /** A new adapter (its own connections) on the bench database; the caller closes it. */
  createAdapter(): StorageAdapter;
  /** Drops and re-creates `{topic}_events` and its state row, so every run starts empty. */
  resetTopic(topic: string): Promise<void>;
  /** The limit: the raw driver inserting `count` rows, `batch` per transaction, each with the state-row update. Rows/s. */
  rawInsert(topic: string, count: number, batch: number): Promise<number>;
  /** The naive design (the seed): one INSERT plus a separate UPDATE per publish, autocommit, `concurrency` callers. Events/s. */
  naivePublish(topic: string, count: number, concurrency: number): Promise<number>;
  /** The raw driver reading the whole table by id cursor, `batch` rows per query. Rows/s. */
  rawRead(topic: string, batch: number): Promise<number>;
  /** Fills `{topic}_events` with `count` rows processed at `at` (ms), as fast as the driver can: setup only. */
  fill(topic: string, count: number, at: number): Promise<void>;
  close(): Promise<void>;
}
