import { TopicTableMissingError, storageError } from '@eventhub/core';

/**
 * Maps a better-sqlite3 error to the contract's errors. SQLite has no distinct code for a
 * missing table (it is a plain SQLITE_ERROR), so the message is the only signal.
 */
export function toSqliteError(operation: string, topic: string | undefined, error: unknown): Error {
  if (topic !== undefined && isMissingTable(error)) return new TopicTableMissingError(topic, { operation, cause: error });
  return storageError('sqlite', operation, topic, error);
}

function isMissingTable(error: unknown): boolean {
  return error instanceof Error && /^no such table: /.test(error.message);
}
