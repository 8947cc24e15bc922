import {
  HubClosedError,
  InvalidArgumentError,
  assertValidTopicName,
  eventsTableName,
  startVersionPoller,
  type Event,
  type NewEvent,
  type StorageAdapter,
  type TopicState,
  type Unwatch,
  type WakeTarget,
} from '@eventhub/core';
import { v7 as uuidv7 } from 'uuid';
import { isConnectionLost, isDeadlock, isIdleTimeout, toMysqlError } from './errors.js';
import { openPool, type MysqlPool, type MysqlPoolConnection, type MysqlQueryOptions, type OwnedPool } from './pool.js';
import { DDL_LOCK_NAME, DDL_LOCK_TIMEOUT_S, TOPIC_STATES_DDL, quote, topicIndexDdl, topicTableDdl } from './schema.js';
import { clampedDatetimeLiteral, datetimeLiteral, parseDatetime, selectDatetime, textLiteral, toId } from './values.js';

interface SharedOptions {
  /**
   * How often `watch` reads `topic_states.version_id` of the hub's topics (one query for all of
   * them) to notice events written by other hub instances. Other instances' events arrive about
   * this long after their commit.
   * @default 100
   */
  pollIntervalMs?: number;
}

export type MysqlAdapterOptions = SharedOptions &
  (
    | {
        /**
         * A mysql2 connection URI naming the database, e.g. `mysql://user:password@host:3306/eventhub`.
         * The adapter opens its own pool from it (pool settings go in the query string, e.g.
         * `?connectionLimit=20`) and ends that pool on `close()`.
         */
        uri: string;
        pool?: never;
      }
    | {
        /**
         * Your own mysql2 promise pool (`createPool` from `mysql2/promise`), with a default database.
         * It stays open when the adapter closes: its owner ends it.
         */
        pool: MysqlPool;
        uri?: never;
      }
  );

/** How often an append runs again after a deadlock or a lost connection, before giving up. */
const APPEND_ATTEMPTS = 3;
/**
 * Upper bound for one INSERT statement. A batch beyond it is split into several INSERTs in the same
 * transaction; bigger statements gain nothing measurable and cost memory.
 */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;
/** Room under `max_allowed_packet` for the packet header and the statement's head. */
const PACKET_HEADROOM = 4096;

/** Results as arrays, with mysql2's default conversions, whatever a passed-in pool is set to. */
const ROWS: Omit<MysqlQueryOptions, 'sql'> = { rowsAsArray: true, typeCast: true, nestTables: false, namedPlaceholders: false };

/** EventHub storage on MySQL 8 or MariaDB 10.11+: several hub instances share one database. */
export function createMysqlAdapter(options: MysqlAdapterOptions): StorageAdapter {
  return new MysqlAdapter(options);
}

/** An append attempt that failed before COMMIT was sent, for a reason worth one more try. */
class RetryableAppendError extends Error {}

class MysqlAdapter implements StorageAdapter {
  readonly name = 'mysql';
  readonly capabilities = { wakeups: 'poll' } as const;
  private readonly userPool: MysqlPool | undefined;
  private readonly uri: string | undefined;
  private readonly pollIntervalMs: number;
  private ownPool: OwnedPool | undefined;
  private readonly watches = new Set<Unwatch>();
  private readonly targets = new Set<WakeTarget>();
  /** Every query under way; close() waits for them before it ends the pool. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private statementBudget: Promise<{ soft: number; hard: number }> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: MysqlAdapterOptions) {
    // Only checks: no connection and no DDL here; the pool opens on first use.
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('createMysqlAdapter needs { uri } or { pool }', { operation: 'createMysqlAdapter' });
    }
    if (options.pool !== undefined && options.uri !== undefined) {
      throw new InvalidArgumentError('createMysqlAdapter takes { uri } or { pool }, not both', {
        operation: 'createMysqlAdapter',
      });
    }
    if (options.pool !== undefined) {
      if (typeof options.pool.getConnection !== 'function' || typeof options.pool.query !== 'function') {
        throw new InvalidArgumentError('createMysqlAdapter: `pool` must be a mysql2 promise pool (mysql2/promise createPool)', {
          operation: 'createMysqlAdapter',
        });
      }
      this.userPool = options.pool;
    } else if (typeof options.uri === 'string' && options.uri !== '') {
      this.uri = options.uri;
    } else {
      throw new InvalidArgumentError('createMysqlAdapter needs { uri } or { pool }', { operation: 'createMysqlAdapter' });
    }
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    if (!Number.isSafeInteger(this.pollIntervalMs) || this.pollIntervalMs < 1) {
      throw new InvalidArgumentError('createMysqlAdapter: pollIntervalMs must be a positive integer', {
        operation: 'createMysqlAdapter',
      });
    }
  }

  async initialize(): Promise<void> {
    await this.track('initialize', undefined, (pool) =>
      this.withDdlLock(pool, async (connection) => {
        await connection.query({ sql: TOPIC_STATES_DDL });
      }),
    );
  }

  async createTopicTable(topicName: string): Promise<void> {
    const table = eventsTableName(topicName);
    await this.track('createTopicTable', topicName, (pool) =>
      this.withDdlLock(pool, async (connection) => {
        await connection.query({ sql: topicTableDdl(topicName) });
        // The table may predate this call (a migration, by hand) without the index.
        const [indexed] = await connection.query({
          sql: `SELECT 1 FROM information_schema.STATISTICS
                WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'processed_timestamp' AND SEQ_IN_INDEX = 1
                LIMIT 1`,
          values: [table],
          ...ROWS,
        });
        if ((indexed as unknown[]).length === 0) await connection.query({ sql: topicIndexDdl(topicName) });
      }),
    );
  }

  async openTopic(topicName: string): Promise<void> {
    const table = quote(eventsTableName(topicName));
    await this.track('openTopic', topicName, async (pool) => {
      // Fails with ER_NO_SUCH_TABLE (→ TopicTableMissingError) before anything is written.
      await pool.query({ sql: `SELECT 1 FROM ${table} LIMIT 0`, ...ROWS });
      await pool.query({
        sql: `INSERT INTO topic_states (topic_name, version_id, updated_at) VALUES ('${topicName}', '', ${datetimeLiteral(new Date())})
              ON DUPLICATE KEY UPDATE topic_name = topic_name`,
      });
    });
  }

  async appendEvents(topicName: string, events: readonly NewEvent[]): Promise<Event[]> {
    const table = quote(eventsTableName(topicName));
    return this.track('append', topicName, async (pool) => {
      if (events.length === 0) return []; // no events, no new version
      // Encode before the transaction, so the row lock is held only for the round trips.
      const inserts = insertStatements(table, events, await this.budget(pool));
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.appendOnce(pool, topicName, table, events, inserts);
        } catch (error) {
          if (!(error instanceof RetryableAppendError)) throw error;
          if (attempt >= APPEND_ATTEMPTS) throw error.cause;
        }
      }
    });
  }

  async readEvents(topicName: string, afterId: number, limit: number): Promise<Event[]> {
    const table = quote(eventsTableName(topicName));
    const rows = await this.rows(
      'read',
      topicName,
      `SELECT id, ${selectDatetime('processed_timestamp')}, ${selectDatetime('originated_timestamp')}, event_data
       FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`,
      [afterId, limit],
    );
    return rows.map((row) => ({
      id: toId(row[0]),
      topicName,
      processedTimestamp: parseDatetime(row[1]),
      originatedTimestamp: parseDatetime(row[2]),
      eventData: text(row[3]),
    }));
  }

  async getLastEventId(topicName: string): Promise<number> {
    const table = quote(eventsTableName(topicName));
    const [row] = await this.rows('getLastEventId', topicName, `SELECT MAX(id) FROM ${table}`);
    return row?.[0] == null ? 0 : toId(row[0]);
  }

  async getTopicState(topicName: string): Promise<TopicState | undefined> {
    assertValidTopicName(topicName);
    const [row] = await this.rows(
      'getTopicState',
      topicName,
      `SELECT topic_name, version_id, ${selectDatetime('updated_at')} FROM topic_states WHERE topic_name = ?`,
      [topicName],
    );
    return row && { topicName: text(row[0]), versionId: text(row[1]), updatedAt: parseDatetime(row[2]) };
  }

  async listTopics(): Promise<string[]> {
    const rows = await this.rows('listTopics', undefined, 'SELECT topic_name FROM topic_states ORDER BY topic_name');
    return rows.map((row) => text(row[0]));
  }

  async deleteEvents(topicName: string, from: Date, to: Date, limit: number): Promise<number> {
    const table = quote(eventsTableName(topicName));
    return this.track('cleanup', topicName, async (pool) => {
      const range = `processed_timestamp BETWEEN ${clampedDatetimeLiteral(from)} AND ${clampedDatetimeLiteral(to)}`;
      // Two short statements instead of DELETE ... ORDER BY id LIMIT: that one reads and sorts
      // every row in the range for each chunk (quadratic over a backlog) and locks all it reads.
      // Here a plain read walks the processed_timestamp index in order and stops after `limit`;
      // the DELETE then locks just those rows, so appends are never held up.
      const [rows] = await pool.query({
        sql: `SELECT id FROM ${table} WHERE ${range} ORDER BY processed_timestamp, id LIMIT ?`,
        values: [limit],
        ...ROWS,
      });
      const ids = (rows as unknown[][]).map((row) => toId(row[0]));
      if (ids.length === 0) return 0;
      const [result] = await pool.query({ sql: `DELETE FROM ${table} WHERE id IN (${ids.join(',')}) AND ${range}` });
      return (result as { affectedRows: number }).affectedRows;
    });
  }

  async watch(target: WakeTarget): Promise<Unwatch> {
    if (this.closed) throw new HubClosedError('watch', undefined, 'eventhub/mysql');
    const stop = startVersionPoller({
      intervalMs: this.pollIntervalMs,
      target,
      // One indexed primary-key lookup for all of the hub's topics per interval.
      readVersions: async (topics) => {
        const rows = await this.rows(
          'watch',
          undefined,
          'SELECT topic_name, version_id FROM topic_states WHERE topic_name IN (?)',
          [topics],
        );
        return new Map(rows.map((row) => [text(row[0]), text(row[1])]));
      },
    });
    this.targets.add(target);
    const unwatch: Unwatch = async () => {
      this.watches.delete(unwatch);
      this.targets.delete(target);
      await stop();
    };
    this.watches.add(unwatch);
    return unwatch;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.watches].map((unwatch) => unwatch()));
    await Promise.allSettled([...this.inFlight]);
    const pool = this.ownPool;
    this.ownPool = undefined;
    if (pool === undefined) return; // a passed-in pool belongs to its owner
    try {
      await pool.end();
    } catch (error) {
      throw toMysqlError('close', undefined, error);
    }
  }

  /**
   * One transaction. The `topic_states` row lock comes first, before any id is drawn: InnoDB hands
   * out auto-increment ids when a row is inserted, not when it commits, so two writers that
   * inserted at once could commit in the other order (id 11 visible while id 10 is not yet), and a
   * reader tailing `id > cursor` would step past 10 for good. Every writer, in every process, must
   * take the topic's row lock before its INSERT and keeps it until COMMIT, so one topic's inserts
   * and commits happen one transaction at a time and ids become visible in increasing order.
   */
  private async appendOnce(
    pool: MysqlPool,
    topicName: string,
    table: string,
    events: readonly NewEvent[],
    inserts: InsertPlan,
  ): Promise<Event[]> {
    let connection: MysqlPoolConnection;
    try {
      connection = await pool.getConnection();
    } catch (error) {
      if (isConnectionLost(error)) throw new RetryableAppendError('connect failed', { cause: error });
      throw error;
    }
    let commitSent = false;
    try {
      await connection.query({ sql: 'START TRANSACTION' });
      const version = uuidv7();
      const now = datetimeLiteral(new Date());
      // Normally the row exists (openTopic made it), and the UPDATE takes its record lock only;
      // otherwise insert it, which locks it just the same.
      const [updated] = await connection.query({
        sql: `UPDATE topic_states SET version_id = '${version}', updated_at = ${now} WHERE topic_name = '${topicName}'`,
      });
      if ((updated as { affectedRows: number }).affectedRows === 0) {
        await connection.query({
          sql: `INSERT INTO topic_states (topic_name, version_id, updated_at) VALUES ('${topicName}', '${version}', ${now})
                ON DUPLICATE KEY UPDATE version_id = '${version}', updated_at = ${now}`,
        });
      }
      const firstIds: number[] = [];
      for (const sql of inserts.statements) {
        const [header] = await connection.query({ sql });
        firstIds.push(toId((header as { insertId: unknown }).insertId));
      }
      // Read the ids back rather than compute them from LAST_INSERT_ID(): they are consecutive only
      // under some innodb_autoinc_lock_mode settings (MySQL 8 defaults to 2, "interleaved", which does
      // not promise it) and with auto_increment_increment = 1 (not so under Galera or group
      // replication). Under the row lock, the rows from our first id on are ours.
      const [rows] = await connection.query({
        sql: `SELECT id FROM ${table} WHERE id >= ${firstIds[0]} ORDER BY id LIMIT ${events.length}`,
        ...ROWS,
      });
      const ids = (rows as unknown[][]).map((row) => toId(row[0]));
      checkIds(ids, firstIds, inserts.counts, table);
      commitSent = true;
      await connection.query({ sql: 'COMMIT' });
      connection.release();
      return events.map((event, i) => ({
        id: ids[i]!,
        topicName,
        processedTimestamp: new Date(event.processedTimestamp.getTime()),
        originatedTimestamp: new Date(event.originatedTimestamp.getTime()),
        eventData: event.eventData,
      }));
    } catch (error) {
      if (commitSent) {
        // The outcome of a failed COMMIT is unknown; the connection is not trusted again.
        connection.destroy();
        throw error;
      }
      const connectionAlive = await rollback(connection);
      // Before COMMIT nothing is written: the server rolls back a deadlock victim, and the open
      // transaction of a connection that ends. Such an append may run again on a new connection.
      // (A killed connection may first report an ordinary server error, then close: the failed
      // ROLLBACK tells.)
      if (isDeadlock(error) || isConnectionLost(error) || !connectionAlive) {
        throw new RetryableAppendError('append failed', { cause: error });
      }
      throw error;
    }
  }

  /** Statement size limits from the server's `max_allowed_packet`, read once. */
  private budget(pool: MysqlPool): Promise<{ soft: number; hard: number }> {
    this.statementBudget ??= pool.query({ sql: 'SELECT @@max_allowed_packet', ...ROWS }).then(
      ([rows]) => {
        const hard = toId((rows as unknown[][])[0]?.[0]) - PACKET_HEADROOM;
        return { soft: Math.min(MAX_STATEMENT_BYTES, hard), hard };
      },
      (error: unknown) => {
        this.statementBudget = undefined; // read it again next time
        throw error;
      },
    );
    return this.statementBudget;
  }

  /** DDL runs on one connection holding the database's DDL lock, so instances starting at once take turns. */
  private async withDdlLock(pool: MysqlPool, work: (connection: MysqlPoolConnection) => Promise<void>): Promise<void> {
    const connection = await pool.getConnection();
    let reusable = true;
    try {
      const [rows] = await connection.query({ sql: `SELECT GET_LOCK(${DDL_LOCK_NAME}, ${DDL_LOCK_TIMEOUT_S})`, ...ROWS });
      if (toId((rows as unknown[][])[0]?.[0]) !== 1) {
        throw new Error(`[eventhub/mysql] another instance held the DDL lock for more than ${DDL_LOCK_TIMEOUT_S} s`);
      }
      try {
        await work(connection);
      } finally {
        try {
          await connection.query({ sql: `DO RELEASE_LOCK(${DDL_LOCK_NAME})` });
        } catch {
          // The work's own error, if any, is the one to report. The lock goes with the session:
          // the connection is destroyed below instead of going back to the pool holding it.
          reusable = false;
        }
      }
    } catch (error) {
      if (isConnectionLost(error)) reusable = false;
      throw error;
    } finally {
      if (reusable) connection.release();
      else connection.destroy();
    }
  }

  /** Runs a query whose rows come back as arrays. */
  private rows(operation: string, topic: string | undefined, sql: string, values?: unknown[]): Promise<unknown[][]> {
    return this.track(operation, topic, async (pool) => {
      const [rows] = await pool.query({ sql, values, ...ROWS });
      return rows as unknown[][];
    });
  }

  /** Every database call goes through here: refused after close(), waited for by close(), errors mapped. */
  private track<T>(operation: string, topic: string | undefined, work: (pool: MysqlPool) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new HubClosedError(operation, topic, 'eventhub/mysql'));
    const promise = (async () => {
      try {
        return await work(this.pool());
      } catch (error) {
        throw toMysqlError(operation, topic, error);
      }
    })();
    this.inFlight.add(promise);
    const forget = (): void => void this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private pool(): MysqlPool {
    if (this.userPool) return this.userPool;
    this.ownPool ??= openPool(this.uri!, (error) => this.connectionFailed(error));
    return this.ownPool;
  }

  /**
   * A connection of our own pool failed while no query of ours was waiting on it; the pool has
   * dropped it. Logged through the hub (its watch), since it may be the first sign of an outage.
   * A session the server ended for idling past `wait_timeout` (MySQL 8 says so) is routine.
   */
  private connectionFailed(error: unknown): void {
    if (this.closed || isIdleTimeout(error)) return;
    const reported = toMysqlError('connection', undefined, error);
    for (const target of this.targets) target.reportError(reported);
  }
}

interface InsertPlan {
  statements: string[];
  /** Rows in each statement. */
  counts: number[];
}

/**
 * Multi-row INSERTs for a batch, each under the statement budget. Values are literals the adapter
 * builds itself (see values.ts), so there are no placeholders and no placeholder limit: the only
 * limit is the server's `max_allowed_packet`.
 */
function insertStatements(table: string, events: readonly NewEvent[], budget: { soft: number; hard: number }): InsertPlan {
  const head = `INSERT INTO ${table} (processed_timestamp, originated_timestamp, event_data) VALUES `;
  const statements: string[] = [];
  const counts: number[] = [];
  let sql = head;
  let count = 0;
  let lastTime = Number.NaN;
  let lastLiteral = '';
  // The hub stamps a whole batch with one processed timestamp: format it once.
  const processed = (date: Date): string => {
    if (date.getTime() !== lastTime) {
      lastTime = date.getTime();
      lastLiteral = datetimeLiteral(date);
    }
    return lastLiteral;
  };
  for (const event of events) {
    const row = `(${processed(event.processedTimestamp)},${datetimeLiteral(event.originatedTimestamp)},${textLiteral(event.eventData)})`;
    if (head.length + row.length > budget.hard) {
      throw new RangeError(
        `[eventhub/mysql] an event of ${Buffer.byteLength(event.eventData)} bytes does not fit the server's max_allowed_packet ` +
          `(${budget.hard + PACKET_HEADROOM} bytes; the adapter sends payloads hex-encoded, so an event may use about half of it)`,
      );
    }
    if (count > 0 && sql.length + 1 + row.length > budget.soft) {
      statements.push(sql);
      counts.push(count);
      sql = head;
      count = 0;
    }
    sql += count === 0 ? row : `,${row}`;
    count++;
  }
  statements.push(sql);
  counts.push(count);
  return { statements, counts };
}

/** The ids read back must start where each INSERT's first id says its rows start. */
function checkIds(ids: readonly number[], firstIds: readonly number[], counts: readonly number[], table: string): void {
  let offset = 0;
  let consistent = ids.length === counts.reduce((sum, n) => sum + n, 0);
  for (let i = 0; consistent && i < counts.length; i++) {
    consistent = ids[offset] === firstIds[i];
    offset += counts[i]!;
  }
  if (!consistent) {
    throw new Error(
      `[eventhub/mysql] the ids read back from ${table} do not match the inserted rows: ` +
        'something inserts into the table without taking its topic_states row lock first',
    );
  }
}

/**
 * Ends a transaction that failed before COMMIT; false if the connection is gone. If ROLLBACK
 * fails, the connection is destroyed: the server rolls back the transaction of a connection that
 * ends, and a connection in an unknown state never returns to the pool. The append's own error is
 * the one reported.
 */
async function rollback(connection: MysqlPoolConnection): Promise<boolean> {
  try {
    await connection.query({ sql: 'ROLLBACK' });
  } catch {
    connection.destroy();
    return false;
  }
  connection.release();
  return true;
}

/** A text column's value; a pool whose results come back in a binary character set hands over Buffers. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}
