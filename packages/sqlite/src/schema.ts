import { eventsTableName, processedIndexName } from '@eventhub/core';

/** Quotes an identifier built from a validated topic name (validation happens in the name helpers). */
export const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

export const TOPIC_STATES_DDL = `
CREATE TABLE IF NOT EXISTS topic_states (
  topic_name TEXT PRIMARY KEY,
  version_id TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
)`;

/**
 * `AUTOINCREMENT` matters: without it SQLite may reuse the id of a deleted newest row after
 * retention cleanup, and a subscriber whose cursor is past that id would skip the new event.
 * Timestamps are integer milliseconds since the epoch.
 */
export function topicTableDdl(topic: string): string[] {
  const table = quote(eventsTableName(topic));
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  processed_timestamp INTEGER NOT NULL,
  originated_timestamp INTEGER NOT NULL,
  event_data TEXT NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${quote(processedIndexName(topic))} ON ${table} (processed_timestamp)`,
  ];
}
