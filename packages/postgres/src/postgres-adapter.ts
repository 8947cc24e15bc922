import {
  HubClosedError,
  InvalidArgumentError,
  TopicTableMissingError,
  assertValidTopicName,
  eventsTableName,
  storageError,
  type Event,
  type NewEvent,
  type StorageAdapter,
  type TopicState,
  type Unwatch,
  type WakeTarget,
} from '@eventhub/core';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { toPostgresError } from './errors.js';
import { Notifier } from './notifier.js';
import { SCHEMA_NAME_PATTERN, channelName, createTopicTableSql, initializeSql, qualified } from './schema.js';
import {
  MAX_ROWS_PER_STATEMENT,
  rowParameters,
  sharesProcessedTimestamp,
  stateStatements,
  topicStatements,
  type TopicStatements,
} from './store.js';

/**
 * The part of a `pg.Pool` the adapter uses, typed structurally (as Kysely does) so that a pool
 * from the application's own copy of `pg` fits without a second copy of the driver's types.
 */
export interface PostgresPool {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  connect(): Promise<PostgresPoolClient>;
  /**
   * The pool's connection settings (`pg.Pool` has them). The listening connection is opened with
   * them unless `listenConnectionString` is given.
   */
  readonly options?: object;
}

export interface PostgresPoolClient {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PostgresQueryConfig {
  text: string;
  values?: unknown[];
}

export interface PostgresQueryResult {
  // `any`, as pg's own result type has it: the adapter reads rows by its own SQL's column names.
  rows: any[];
  rowCount: number | null;
}

interface SharedOptions {
  /**
   * The schema that holds `topic_states` and the `{topic}_events` tables; created by `initialize`
   * or `createTopicTable` if missing. Lower case letters, digits and `_`, at most 54 characters
   * (the NOTIFY channel is `eventhub_{schema}`), not starting with `pg_`.
   * @default 'public'
   */
  schema?: string;
  /**
   * A direct connection string for the LISTEN connection, for when the pool's connections go
   * through PgBouncer in transaction mode (where LISTEN does not work). Without it the listener
   * uses `connectionString`, or the settings of the `pool` passed in.
   */
  listenConnectionString?: string;
  /**
   * Most connections in the pool this adapter opens (not used with a `pool` passed in).
   * @default 10
   */
  maxConnections?: number;
  /**
   * How long opening a connection (and, in the adapter's own pool, waiting for a free one) may take.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * How often the listening connection is checked with a query. TCP keepalive on every connection
   * the adapter opens starts after the same idle time.
   * @default 5000
   */
  heartbeatIntervalMs?: number;
  /**
   * A heartbeat that gets no answer within this time marks the listening connection dead; it is
   * then replaced.
   * @default 5000
   */
  heartbeatTimeoutMs?: number;
  /**
   * Delay before the first attempt to replace a lost listening connection; doubles per failed attempt.
   * @default 100
   */
  reconnectInitialDelayMs?: number;
  /**
   * Cap on the delay between attempts to replace a lost listening connection.
   * @default 5000
   */
  reconnectMaxDelayMs?: number;
}

export type PostgresAdapterOptions = SharedOptions &
  (
    | {
        /** A `postgres://` URL; the adapter opens a `pg.Pool` on it and ends it on `close()`. */
        connectionString: string;
        pool?: never;
      }
    | {
        /** An application's `pg.Pool`; it stays open when the adapter closes (its owner ends it). */
        pool: PostgresPool;
        connectionString?: never;
      }
  );

interface Settings {
  schema: string;
  channel: string;
  maxConnections: number;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
}

interface EventRow {
  id: string;
  processed_timestamp: Date;
  originated_timestamp: Date;
  event_data: string;
}

/**
 * Storage on PostgreSQL for many hub instances on one database, woken by LISTEN/NOTIFY. Nothing
 * connects and no DDL runs until the adapter is used.
 */
export function createPostgresAdapter(options: PostgresAdapterOptions): StorageAdapter {
  return new PostgresAdapter(options);
}

class PostgresAdapter implements StorageAdapter {
  readonly name = 'postgres';
  readonly capabilities = { wakeups: 'notify' } as const;
  private readonly settings: Settings;
  private readonly listenConfig: pg.ClientConfig;
  /** The pool queries go to, once the adapter is first used. */
  private activePool: PostgresPool | undefined;
  /** The pool the adapter opened itself, which `close()` ends. */
  private ownPool: pg.Pool | undefined;
  private readonly topicSql = new Map<string, TopicStatements>();
  private readonly stateSql: { get: string; list: string };
  private readonly watches = new Map<Notifier, WakeTarget>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PostgresAdapterOptions) {
    if (typeof options !== 'object' || options === null) {
      throw invalid('needs { connectionString } or { pool }');
    }
    const { connectionString, pool, listenConnectionString } = options;
    if (pool !== undefined) {
      const { query, connect } = (pool ?? {}) as Partial<PostgresPool>;
      if (typeof query !== 'function' || typeof connect !== 'function') {
        throw invalid('`pool` must be a pg.Pool (or have its query and connect methods)');
      }
    } else if (typeof connectionString !== 'string' || connectionString === '') {
      throw invalid('needs { connectionString } or { pool }');
    }
    if (listenConnectionString !== undefined && (typeof listenConnectionString !== 'string' || !listenConnectionString)) {
      throw invalid('`listenConnectionString` must be a non-empty string');
    }
    const schema = options.schema ?? 'public';
    if (typeof schema !== 'string' || !SCHEMA_NAME_PATTERN.test(schema)) {
      throw invalid(
        `invalid schema ${JSON.stringify(schema)}: it must match ${SCHEMA_NAME_PATTERN.source} ` +
          '(lower case, at most 54 characters, not pg_*)',
      );
    }
    this.settings = {
      schema,
      channel: channelName(schema),
      maxConnections: positiveInteger('maxConnections', options.maxConnections, 10),
      connectTimeoutMs: positiveInteger('connectTimeoutMs', options.connectTimeoutMs, 10_000),
      heartbeatIntervalMs: positiveInteger('heartbeatIntervalMs', options.heartbeatIntervalMs, 5000),
      heartbeatTimeoutMs: positiveInteger('heartbeatTimeoutMs', options.heartbeatTimeoutMs, 5000),
      reconnectInitialDelayMs: positiveInteger('reconnectInitialDelayMs', options.reconnectInitialDelayMs, 100),
      reconnectMaxDelayMs: positiveInteger('reconnectMaxDelayMs', options.reconnectMaxDelayMs, 5000),
    };
    if (listenConnectionString !== undefined) {
      this.listenConfig = { connectionString: listenConnectionString };
    } else if (connectionString !== undefined) {
      this.listenConfig = { connectionString };
    } else if (typeof pool?.options === 'object' && pool.options !== null) {
      this.listenConfig = { ...(pool.options as pg.ClientConfig) };
    } else {
      throw invalid('pass `listenConnectionString`: the pool given has no `options` to open the listening connection with');
    }
    this.listenConfig.fallback_application_name ??= 'eventhub';
    this.stateSql = stateStatements(schema);
  }

  async initialize(): Promise<void> {
    await this.query('initialize', undefined, initializeSql(this.settings.schema));
  }

  async createTopicTable(topicName: string): Promise<void> {
    assertValidTopicName(topicName);
    await this.query('createTopicTable', topicName, createTopicTableSql(this.settings.schema, topicName));
  }

  async openTopic(topicName: string): Promise<void> {
    const sql = this.statements(topicName);
    const table = qualified(this.settings.schema, eventsTableName(topicName));
    const { rows } = await this.query('openTopic', topicName, sql.open, [table, topicName]);
    if (rows[0]?.exists !== true) throw new TopicTableMissingError(topicName, { operation: 'registerTopic' });
  }

  async appendEvents(topicName: string, events: readonly NewEvent[]): Promise<Event[]> {
    const sql = this.statements(topicName);
    if (events.length === 0) return [];
    const versionId = uuidv7();
    const shared = sharesProcessedTimestamp(events);
    let ids: number[];
    if (events.length <= MAX_ROWS_PER_STATEMENT) {
      const values = rowParameters([topicName, versionId], events, 0, events.length, shared);
      ids = idsOf((await this.query('append', topicName, sql.append(events.length, shared), values)).rows);
    } else {
      ids = await this.appendInChunks(topicName, sql, versionId, shared, events);
    }
    if (ids.length !== events.length) {
      throw storageError('postgres', 'append', topicName, new Error(`${ids.length} ids returned for ${events.length} rows`));
    }
    // The ids were drawn in input order (see the statement), and come back sorted.
    return events.map((event, i) => ({
      id: ids[i]!,
      topicName,
      processedTimestamp: new Date(event.processedTimestamp.getTime()),
      originatedTimestamp: new Date(event.originatedTimestamp.getTime()),
      eventData: event.eventData,
    }));
  }

  async readEvents(topicName: string, afterId: number, limit: number): Promise<Event[]> {
    const sql = this.statements(topicName);
    const { rows } = await this.query('read', topicName, sql.read, [afterId, limit]);
    return (rows as EventRow[]).map((row) => ({
      id: Number(row.id),
      topicName,
      processedTimestamp: row.processed_timestamp,
      originatedTimestamp: row.originated_timestamp,
      eventData: row.event_data,
    }));
  }

  async getLastEventId(topicName: string): Promise<number> {
    const sql = this.statements(topicName);
    const { rows } = await this.query('getLastEventId', topicName, sql.lastId);
    return rows[0]?.id == null ? 0 : Number(rows[0].id);
  }

  async getTopicState(topicName: string): Promise<TopicState | undefined> {
    assertValidTopicName(topicName);
    const { rows } = await this.query('getTopicState', topicName, this.stateSql.get, [topicName]);
    const row = rows[0] as { topic_name: string; version_id: string; updated_at: Date } | undefined;
    return row && { topicName: row.topic_name, versionId: row.version_id, updatedAt: row.updated_at };
  }

  async listTopics(): Promise<string[]> {
    const { rows } = await this.query('listTopics', undefined, this.stateSql.list);
    return rows.map((row: { topic_name: string }) => row.topic_name);
  }

  async deleteEvents(topicName: string, from: Date, to: Date, limit: number): Promise<number> {
    const sql = this.statements(topicName);
    const { rowCount } = await this.query('cleanup', topicName, sql.delete, [from.toISOString(), to.toISOString(), limit]);
    return rowCount ?? 0;
  }

  async watch(target: WakeTarget): Promise<Unwatch> {
    this.assertOpen('watch');
    const { settings } = this;
    const notifier = new Notifier({
      clientConfig: this.listenConfig,
      channel: settings.channel,
      target,
      connectTimeoutMs: settings.connectTimeoutMs,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
      reconnectInitialDelayMs: settings.reconnectInitialDelayMs,
      reconnectMaxDelayMs: settings.reconnectMaxDelayMs,
      wrapError: (error) => toPostgresError('listen', undefined, error),
    });
    this.watches.set(notifier, target);
    try {
      await notifier.start();
    } catch (error) {
      this.watches.delete(notifier);
      await notifier.stop();
      throw toPostgresError('watch', undefined, error);
    }
    let stopping: Promise<void> | undefined;
    return () => {
      stopping ??= (async () => {
        this.watches.delete(notifier);
        await notifier.stop();
      })();
      return stopping;
    };
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.watches.keys()].map((notifier) => notifier.stop()));
    this.watches.clear();
    this.topicSql.clear();
    this.activePool = undefined;
    await this.ownPool?.end();
  }

  /**
   * More rows than one statement can bind (65535 parameters): one transaction on one connection.
   * The first statement is the full append (lock, insert, notify); the rest only insert, still
   * under the row lock the first one took.
   */
  private async appendInChunks(
    topicName: string,
    sql: TopicStatements,
    versionId: string,
    shared: boolean,
    events: readonly NewEvent[],
  ): Promise<number[]> {
    const client = await this.pool('append', topicName)
      .connect()
      .catch((error: unknown) => {
        throw toPostgresError('append', topicName, error);
      });
    // pg emits 'error' on a client whose connection dies even while a query runs; that query
    // rejects with the same error, which is how it is reported. Unhandled, the event would kill the process.
    const onError = (): void => {};
    client.on('error', onError);
    let failed = false;
    try {
      await client.query({ text: 'BEGIN' });
      const ids: number[] = [];
      for (let start = 0; start < events.length; start += MAX_ROWS_PER_STATEMENT) {
        const count = Math.min(MAX_ROWS_PER_STATEMENT, events.length - start);
        const first = start === 0;
        const { rows } = await client.query({
          text: first ? sql.append(count, shared) : sql.insert(count, shared),
          values: rowParameters(first ? [topicName, versionId] : [], events, start, count, shared),
        });
        for (const id of idsOf(rows)) ids.push(id);
      }
      await client.query({ text: 'COMMIT' });
      return ids;
    } catch (error) {
      failed = true;
      throw toPostgresError('append', topicName, error);
    } finally {
      client.removeListener('error', onError);
      // After a failure the connection is discarded (release(true)): closing it rolls the transaction back.
      client.release(failed);
    }
  }

  private async query(
    operation: string,
    topic: string | undefined,
    text: string,
    values?: unknown[],
  ): Promise<PostgresQueryResult> {
    const pool = this.pool(operation, topic);
    try {
      return await pool.query(values === undefined ? { text } : { text, values });
    } catch (error) {
      throw toPostgresError(operation, topic, error);
    }
  }

  private pool(operation: string, topic: string | undefined): PostgresPool {
    this.assertOpen(operation, topic);
    if (this.activePool) return this.activePool;
    if (this.options.pool) {
      this.activePool = this.options.pool;
      return this.activePool;
    }
    const pool = new pg.Pool({
      connectionString: this.options.connectionString,
      max: this.settings.maxConnections,
      connectionTimeoutMillis: this.settings.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: this.settings.heartbeatIntervalMs,
      fallback_application_name: 'eventhub',
    });
    // An idle connection that dies makes the pool emit 'error' (unhandled, it would kill the
    // process). pg has already dropped that connection and the next query opens a new one, so
    // there is nothing to recover; the hubs watching through this adapter are told, for their logs.
    pool.on('error', (error) => {
      for (const target of this.watches.values()) target.reportError(toPostgresError('pool', undefined, error));
    });
    this.ownPool = pool;
    this.activePool = pool;
    return pool;
  }

  private statements(topicName: string): TopicStatements {
    let sql = this.topicSql.get(topicName);
    if (sql) return sql;
    assertValidTopicName(topicName);
    sql = topicStatements(this.settings.schema, topicName, this.settings.channel);
    this.topicSql.set(topicName, sql);
    return sql;
  }

  private assertOpen(operation: string, topic?: string): void {
    if (this.closed) throw new HubClosedError(operation, topic, 'eventhub/postgres');
  }
}

/** bigint ids arrive as strings (pg does not narrow int8); they stay far below 2^53. */
function idsOf(rows: readonly { id: string }[]): number[] {
  return rows.map((row) => Number(row.id));
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(`createPostgresAdapter: ${message}`, { operation: 'createPostgresAdapter' });
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}
