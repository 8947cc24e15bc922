import { eventsTableName, processedIndexName } from '@eventhub/core';

/**
 * Quotes an identifier with backticks. Only names built by the core helpers reach it, and those
 * validate the topic name first; doubling backticks is the second line of defence.
 */
export const quote = (identifier: string): string => `\`${identifier.replaceAll('`', '``')}\``;

/**
 * Table options for every table: InnoDB for row locks and transactions, utf8mb4 so any payload
 * fits, and `utf8mb4_bin`, which both servers have (their default collations differ), so topic
 * names compare byte for byte.
 */
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/**
 * Timestamps are `DATETIME(3)` holding UTC wall-clock time: `DATETIME` is never converted by the
 * session `time_zone` (a `TIMESTAMP` is) and reaches past 2038. The adapter writes and reads them as
 * UTC text itself, so neither the server's nor the session's time zone, nor the driver's `timezone`
 * option, can shift a stored instant.
 */
export const TOPIC_STATES_DDL = `CREATE TABLE IF NOT EXISTS \`topic_states\` (
  \`topic_name\` VARCHAR(64) NOT NULL,
  \`version_id\` VARCHAR(64) NOT NULL DEFAULT '',
  \`updated_at\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`topic_name\`)
) ${TABLE_OPTIONS}`;

/**
 * The index is declared inside `CREATE TABLE IF NOT EXISTS`, so one idempotent statement makes
 * both (MySQL 8 has no `CREATE INDEX IF NOT EXISTS`). `BIGINT AUTO_INCREMENT` ids: InnoDB keeps the
 * counter across restarts on MySQL 8 and MariaDB 10.2.4+, so deleting the newest events never
 * lets an id be reused. `LONGTEXT` holds payloads up to 4 GiB (in practice: max_allowed_packet).
 */
export function topicTableDdl(topic: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quote(eventsTableName(topic))} (
  \`id\` BIGINT NOT NULL AUTO_INCREMENT,
  \`processed_timestamp\` DATETIME(3) NOT NULL,
  \`originated_timestamp\` DATETIME(3) NOT NULL,
  \`event_data\` LONGTEXT NOT NULL,
  PRIMARY KEY (\`id\`),
  KEY ${quote(processedIndexName(topic))} (\`processed_timestamp\`)
) ${TABLE_OPTIONS}`;
}

/** For a table that exists without its index (made by hand or a migration). */
export function topicIndexDdl(topic: string): string {
  return `CREATE INDEX ${quote(processedIndexName(topic))} ON ${quote(eventsTableName(topic))} (\`processed_timestamp\`)`;
}

/**
 * One DDL lock per database (user-level locks are server-wide, so the name carries a hash of the
 * database name; it stays under the 64-character limit of lock names). Without a database the
 * lock still works, and the DDL then fails with "No database selected" (1046), which says what
 * is wrong.
 */
export const DDL_LOCK_NAME = "CONCAT('eventhub_ddl_', SHA1(COALESCE(DATABASE(), '')))";

/** How long DDL waits for another instance's DDL before failing. */
export const DDL_LOCK_TIMEOUT_S = 60;
