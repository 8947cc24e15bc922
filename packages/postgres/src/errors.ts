import { TopicTableMissingError, storageError } from '@eventhub/core';

/** SQLSTATE `undefined_table`. */
const UNDEFINED_TABLE = '42P01';

/**
 * Maps a `pg` error to the contract's errors: a missing `{topic}_events` table becomes
 * `TopicTableMissingError`, everything else a `StorageError` naming the operation and topic. The
 * driver's error is kept as `cause` either way, with its SQLSTATE in `cause.code`.
 */
export function toPostgresError(operation: string, topic: string | undefined, error: unknown): Error {
  if (topic !== undefined && isMissingEventsTable(error)) {
    return new TopicTableMissingError(topic, { operation, cause: error });
  }
  return storageError('postgres', operation, topic, error);
}

/** 42P01 about anything but `topic_states` (a missing `topic_states` means `initialize` never ran). */
function isMissingEventsTable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === UNDEFINED_TABLE && !(typeof message === 'string' && message.includes('topic_states'));
}
