import { TopicTableMissingError, eventsTableName, isEventHubError, storageError } from '@eventhub/core';

/** What mysql2 puts on its errors (server errors carry `errno`/`code`; lost connections `fatal`). */
interface DriverError {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

const ER_NO_SUCH_TABLE = 1146;
const ER_LOCK_DEADLOCK = 1213;
/** Server-side reasons a connection ends: shutdown (MySQL, MariaDB), killed (MariaDB), idle timeout (MySQL 8.0.24+). */
const CONNECTION_ENDED_ERRNOS = new Set([1053, 1927, 4031]);
/** Client-side codes for a connection that is gone. */
const CONNECTION_LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const driverError = (error: unknown): DriverError =>
  typeof error === 'object' && error !== null ? (error as DriverError) : {};

/**
 * Maps a mysql2 error to the contract's errors: the topic's missing events table becomes
 * `TopicTableMissingError`; everything else a `StorageError` naming the operation and topic. The
 * driver error is always the `cause`.
 */
export function toMysqlError(operation: string, topic: string | undefined, error: unknown): Error {
  if (isEventHubError(error)) return error as Error;
  if (topic !== undefined && isMissingTable(error, eventsTableName(topic))) {
    return new TopicTableMissingError(topic, { operation, cause: error });
  }
  return storageError('mysql', operation, topic, error);
}

/**
 * ER_NO_SUCH_TABLE for this table only: a missing `topic_states` (not initialized) is a different
 * problem and stays a StorageError. The message names the table in every server language.
 */
function isMissingTable(error: unknown, table: string): boolean {
  const e = driverError(error);
  if (e.errno !== ER_NO_SUCH_TABLE && e.code !== 'ER_NO_SUCH_TABLE') return false;
  const message = String(e.sqlMessage ?? e.message ?? '');
  return message.includes(`.${table}'`) || message.includes(`'${table}'`) || !message.includes("'");
}

/** The server chose this transaction as a deadlock victim and rolled it back: safe to run again. */
export function isDeadlock(error: unknown): boolean {
  const e = driverError(error);
  return e.errno === ER_LOCK_DEADLOCK || e.code === 'ER_LOCK_DEADLOCK';
}

/** MySQL 8.0.24+ ended a session that idled past `wait_timeout` (ER_CLIENT_INTERACTION_TIMEOUT). */
export function isIdleTimeout(error: unknown): boolean {
  const e = driverError(error);
  return e.errno === 4031 || e.code === 'ER_CLIENT_INTERACTION_TIMEOUT';
}

/** The connection is gone (the server rolls back whatever transaction it had open). */
export function isConnectionLost(error: unknown): boolean {
  const e = driverError(error);
  return (
    e.fatal === true ||
    (typeof e.code === 'string' && CONNECTION_LOST_CODES.has(e.code)) ||
    (typeof e.errno === 'number' && CONNECTION_ENDED_ERRNOS.has(e.errno))
  );
}
