import { eventsTableName, processedIndexName } from '@eventhub/core';

/**
 * A schema name the adapter accepts: lower case, so it means the same quoted or not, and at most
 * 54 characters, so the NOTIFY channel `eventhub_{schema}` fits PostgreSQL's 63-byte identifier
 * limit. `pg_` is reserved for system schemas.
 */
export const SCHEMA_NAME_PATTERN = /^(?!pg_)[a-z_][a-z0-9_]{0,53}$/;

/** Quotes an identifier that has already been validated (a schema or a name built from a topic). */
export const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** A string literal for a validated name (no quote can occur in it; escaped anyway). */
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The NOTIFY channel of a schema: every adapter on that schema LISTENs on it. */
export const channelName = (schema: string): string => `eventhub_${schema}`;

/** `"schema"."table"` for a table (or index) name built from a validated topic name. */
export const qualified = (schema: string, name: string): string => `${quote(schema)}.${quote(name)}`;

/**
 * Both keys of the advisory lock that serializes DDL on a schema. Concurrent `CREATE TABLE IF NOT
 * EXISTS` of the same table is not safe in PostgreSQL (both pass the existence check and one fails
 * on the `pg_type` unique index), so every DDL transaction takes this lock first. The first key
 * says "eventhub DDL", the second is a 32-bit FNV-1a hash of the schema name.
 */
export function ddlLockKeys(schema: string): [number, number] {
  let hash = 0x811c9dc5;
  for (const char of schema) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return [0x45564855 /* 'EVHU' */, hash | 0];
}

/**
 * One DO block is one statement and one transaction, so it runs the same through PgBouncer in
 * transaction mode. It checks first and takes the lock only when something is missing: a role
 * without CREATE privilege can still run it once a migration has created the tables.
 */
function ddlBlock(schema: string, missing: string, statements: string[]): string {
  return `DO $eventhub$
BEGIN
  IF ${missing} THEN
    PERFORM pg_advisory_xact_lock(${ddlLockKeys(schema).join(', ')});
    IF to_regnamespace(${literal(quote(schema))}) IS NULL THEN
      CREATE SCHEMA ${quote(schema)};
    END IF;
${statements.map((s) => `    ${s};`).join('\n')}
  END IF;
END
$eventhub$`;
}

export function topicStatesDdl(schema: string): string {
  const table = qualified(schema, 'topic_states');
  return `CREATE TABLE IF NOT EXISTS ${table} (
  topic_name text PRIMARY KEY,
  version_id text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
)`;
}

/**
 * The identity column never reuses a value, even after the newest rows are deleted by retention,
 * so a subscriber's cursor stays valid. Timestamps are `timestamptz`; the hub's are milliseconds.
 */
export function topicTableDdl(schema: string, topic: string): string[] {
  const table = qualified(schema, eventsTableName(topic));
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  processed_timestamp timestamptz NOT NULL DEFAULT now(),
  originated_timestamp timestamptz NOT NULL,
  event_data text NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${quote(processedIndexName(topic))} ON ${table} (processed_timestamp)`,
  ];
}

/** `initialize`: creates the schema and `topic_states` if missing. */
export function initializeSql(schema: string): string {
  const missing = `to_regclass(${literal(qualified(schema, 'topic_states'))}) IS NULL`;
  return ddlBlock(schema, missing, [topicStatesDdl(schema)]);
}

/** `createTopicTable`: creates the schema, `{topic}_events` and its index if missing. */
export function createTopicTableSql(schema: string, topic: string): string {
  const missing =
    `to_regclass(${literal(qualified(schema, eventsTableName(topic)))}) IS NULL` +
    ` OR to_regclass(${literal(qualified(schema, processedIndexName(topic)))}) IS NULL`;
  return ddlBlock(schema, missing, topicTableDdl(schema, topic));
}
